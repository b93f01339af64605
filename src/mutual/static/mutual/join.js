/* Mutual: an invite link carries its code after "#" (/join/#CODE). Browsers never send
 * that part to the server, so the code stays out of request logs. This fills the join
 * form from it, then removes it from the address bar and this history entry.
 * Without this script the person types or pastes the code into the same form.
 * Nothing is written to localStorage, sessionStorage, IndexedDB or cookies.
 */
(function () {
  "use strict";

  var code = "";
  try {
    code = decodeURIComponent(window.location.hash.replace(/^#/, "")).trim();
  } catch (e) { code = ""; }
  if (!code) { return; }
  var field = document.querySelector("[data-join-form] input[name=code]");
  if (!field) { return; }
  if (!field.value) { field.value = code; }
  var lead = document.querySelector("[data-invited-lead]");
  var plain = document.querySelector("[data-plain-lead]");
  if (lead) { lead.hidden = false; }
  if (plain) { plain.hidden = true; }
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
})();
