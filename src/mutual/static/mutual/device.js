/* Mutual at the device: the idle lock and the quick exit.
 *
 * Both end the session by a POST that carries the page's CSRF token: the server changes
 * nothing on a GET, so no other site can sign anyone out with an image or a link.
 *
 * Quick exit: every page has a control marked data-quick-exit (signed in, a button in a
 * form that posts to /exit/; it works without this script: the server signs out and
 * sends a neutral page). Here it also answers to pressing Escape twice, signs out in the
 * background and replaces the current history entry, so that Back does not return to
 * Mutual.
 *
 * Idle lock: when <body data-idle-lock="MINUTES"> is set (signed-in pages only), the page
 * locks after that many minutes without a key press, click, touch or scroll: it posts to
 * /lock/, then replaces itself with /lock/, which leads to the sign-in page. The server
 * enforces the same limit on its side.
 *
 * Nothing is ever written to localStorage, sessionStorage, IndexedDB or cookies here.
 */
(function () {
  "use strict";

  var body = document.body;
  var exitControl = document.querySelector("[data-quick-exit]");
  var exitForm = exitControl ? exitControl.form || null : null;
  var exitUrl = exitForm ? exitForm.getAttribute("action")
    : (exitControl && exitControl.getAttribute("href")) || "/exit/";
  var neutralUrl = (exitControl && exitControl.getAttribute("data-quick-exit")) || exitUrl;
  var lockUrl = body.getAttribute("data-lock-url") || "/lock/";
  var leaving = false;

  /* The keys this tab opened (keys.mjs) are forgotten whenever the session ends here:
     sign-out, quick exit, the idle lock. */
  function forgetKeys() {
    try {
      ["mutual.keys.private", "mutual.keys.unwrap", "mutual.keys.recovery"].forEach(
        function (name) { window.sessionStorage.removeItem(name); });
    } catch (e) { /* no storage: nothing kept */ }
  }

  document.addEventListener("submit", function (event) {
    var action = event.target && event.target.getAttribute("action") || "";
    if (/\/(logout|exit|lock)\/$/.test(action)) { forgetKeys(); }
  }, true);

  function hide() {
    forgetKeys();
    try {
      document.title = "";
      body.hidden = true;
    } catch (e) { /* keep going */ }
  }

  /* POST to url with the page's CSRF token; settles when the server answered or after
     `wait` milliseconds, whichever comes first. Without a token (signed out) there is
     no session to end, and it settles at once. */
  function post(url, wait) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (!token || !window.fetch) { return Promise.resolve(null); }
    var data = new FormData();
    data.append("csrfmiddlewaretoken", token.value);
    var sent = window.fetch(url, {
      method: "POST", body: data, credentials: "same-origin", keepalive: true,
      redirect: "manual"
    }).catch(function () { return null; });
    var enough = new Promise(function (resolve) { window.setTimeout(resolve, wait); });
    return Promise.race([sent, enough]);
  }

  /* Sign out on the server first (briefly), then go to the neutral page, replacing
     this entry of the history. */
  function quickExit(event) {
    if (event) { event.preventDefault(); }
    if (leaving) { return; }
    leaving = true;
    hide();
    var go = function () { window.location.replace(neutralUrl); };
    post(exitUrl, 1500).then(go, go);
  }

  if (exitForm) {
    exitForm.addEventListener("submit", quickExit);
  } else if (exitControl) {
    exitControl.addEventListener("click", quickExit);
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

  /* Sign out, then show /lock/: signed out, it leads to the sign-in page; if the sign-out
     did not reach the server, it offers a button that locks, and nothing of this page. */
  function lock() {
    if (leaving) { return; }
    leaving = true;
    hide();
    var go = function () { window.location.replace(lockUrl); };
    post(lockUrl, 5000).then(go, go);
  }

  function arm() {
    if (timer !== null) { window.clearTimeout(timer); }
    timer = window.setTimeout(lock, limit);
  }

  ["keydown", "pointerdown", "touchstart", "scroll", "wheel"].forEach(function (name) {
    window.addEventListener(name, arm, { passive: true });
  });
  arm();
})();
