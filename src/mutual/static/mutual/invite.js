/* Mutual: a "Copy" button next to the invite link and code, for a phone without easy
 * text selection. Shown only where the browser lets a page copy (a secure context);
 * without this script the link and code are plain text to select.
 * Nothing is written to localStorage, sessionStorage, IndexedDB or cookies. The words
 * it shows come from the page (data-copied, data-copy-failed), marked for translation.
 */
(function () {
  "use strict";

  if (!window.isSecureContext || !navigator.clipboard) { return; }
  var status = document.querySelector("[data-copy-status]");
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        if (status) { status.textContent = button.getAttribute("data-copied") || ""; }
      }, function () {
        if (status) { status.textContent = status.getAttribute("data-copy-failed") || ""; }
      });
    });
  });
})();
