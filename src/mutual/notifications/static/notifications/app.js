/* Mutual, installable: registers the service worker (/sw.js, which keeps only the
 * offline page), and on the notifications page turns push on or off for this browser.
 * Nothing is stored in the browser by this script.
 */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) {
    return;
  }
  var ready = navigator.serviceWorker.register("/sw.js", { scope: "/" });

  var control = document.querySelector("[data-push-key]");
  if (!control) {
    return;
  }
  var status = document.querySelector("[data-push-status]");
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function keyBytes(base64) {
    var padded = (base64 + "===".slice((base64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) {
      bytes[i] = raw.charCodeAt(i);
    }
    return bytes;
  }

  function send(body) {
    return fetch(control.getAttribute("data-push-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
      body: JSON.stringify(body)
    });
  }

  if (!("PushManager" in window)) {
    say(control.getAttribute("data-push-unsupported"));
    control.disabled = true;
    return;
  }
  control.hidden = false;
  control.addEventListener("click", function () {
    control.disabled = true;
    ready.then(function (registration) {
      return navigator.serviceWorker.ready.then(function () {
        return registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(control.getAttribute("data-push-key"))
        });
      });
    }).then(function (subscription) {
      return send(subscription.toJSON());
    }).then(function (response) {
      say(control.getAttribute(response.ok ? "data-push-done" : "data-push-failed"));
    }).catch(function () {
      say(control.getAttribute("data-push-failed"));
    }).then(function () {
      control.disabled = false;
    });
  });
})();
