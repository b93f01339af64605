/* The browser's time zone, for a form that asks for it.
 *
 * Fills every empty <input data-zone-detect> (the hidden field of the sign-up form) with
 * the zone the browser reports, such as "Europe/Berlin", and preselects it in a
 * <select data-zone-suggest> when the person has never chosen one. Nothing is stored
 * in the browser; without this script the account starts on UTC and the zone can be
 * chosen in settings.
 */
(function () {
  "use strict";
  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (e) {
    zone = "";
  }
  if (!zone) {
    return;
  }
  var fields = document.querySelectorAll("input[data-zone-detect]");
  for (var i = 0; i < fields.length; i += 1) {
    if (!fields[i].value) {
      fields[i].value = zone;
    }
  }
  var hints = document.querySelectorAll("[data-zone-browser]");
  for (var j = 0; j < hints.length; j += 1) {
    hints[j].textContent = zone;
    hints[j].parentNode.hidden = false;
  }
})();
