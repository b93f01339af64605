/* Mutual at the device: the idle lock and the quick exit.
 *
 * Quick exit: every page has a link marked data-quick-exit (it works without this script:
 * the server signs out and sends a neutral page). Here it also answers to pressing Escape
 * twice, and replaces the current history entry so that Back does not return to Mutual.
 *
 * Idle lock: when <body data-idle-lock="MINUTES"> is set (signed-in pages only), the page
 * locks after that many minutes without a key press, click, touch or scroll. The server
 * enforces the same limit on its side.
 *
 * Nothing is ever written to localStorage, sessionStorage, IndexedDB or cookies here.
 */
(function () {
  "use strict";

  var body = document.body;
  var exitLink = document.querySelector("[data-quick-exit]");
  var exitUrl = exitLink ? exitLink.getAttribute("href") : "/exit/";
  var neutralUrl = (exitLink && exitLink.getAttribute("data-quick-exit")) || exitUrl;
  var lockUrl = body.getAttribute("data-lock-url") || "/lock/";
  var leaving = false;

  function hide() {
    try {
      document.title = "";
      body.hidden = true;
    } catch (e) { /* keep going */ }
  }

  /* Sign out on the server first (briefly), then go to the neutral page, replacing
     this entry of the history. Without a token there is no session to end. */
  function quickExit(event) {
    if (event) { event.preventDefault(); }
    if (leaving) { return; }
    leaving = true;
    hide();
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    var go = function () { window.location.replace(neutralUrl); };
    if (!token || !window.fetch) { go(); return; }
    var data = new FormData();
    data.append("csrfmiddlewaretoken", token.value);
    var signOut = window.fetch(exitUrl, {
      method: "POST", body: data, credentials: "same-origin", keepalive: true,
      redirect: "manual"
    }).catch(function () { return null; });
    var enough = new Promise(function (resolve) { window.setTimeout(resolve, 1500); });
    Promise.race([signOut, enough]).then(go, go);
  }

  if (exitLink) {
    exitLink.addEventListener("click", quickExit);
  }

  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    if (now - lastEscape < 1000) {
      quickExit(event);
    }
    lastEscape = now;
  });

  var minutes = parseInt(body.getAttribute("data-idle-lock") || "", 10);
  if (!minutes || minutes < 1) { return; }
  var limit = minutes * 60 * 1000;
  var timer = null;

  function arm() {
    if (timer !== null) { window.clearTimeout(timer); }
    timer = window.setTimeout(function () {
      hide();
      window.location.replace(lockUrl);
    }, limit);
  }

  ["keydown", "pointerdown", "touchstart", "scroll", "wheel"].forEach(function (name) {
    window.addEventListener(name, arm, { passive: true });
  });
  arm();
})();
