/* Mutual's service worker.
 *
 * It keeps exactly one thing: the offline page (/offline/, fetched without cookies, so it
 * holds nothing of anyone). Every other request goes to the network and is never stored:
 * a private page is never cached. When the network is out, a page visit is answered with
 * the offline page.
 *
 * A push carries only the fixed words "Something is waiting for you in Mutual"; a tap on
 * the notification opens Mutual.
 */
"use strict";

var CACHE = "mutual-offline-v1";
var OFFLINE = "/offline/";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return cache.add(new Request(OFFLINE, { credentials: "omit", cache: "reload" }));
    }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name !== CACHE;
      }).map(function (name) {
        return caches.delete(name);
      }));
    }).then(function () {
      return self.clients.claim();
    })
  );
});

self.addEventListener("fetch", function (event) {
  if (event.request.mode !== "navigate") {
    return;
  }
  event.respondWith(
    fetch(event.request).catch(function () {
      return caches.open(CACHE).then(function (cache) {
        return cache.match(OFFLINE);
      });
    })
  );
});

self.addEventListener("push", function (event) {
  var data = { title: "Mutual", body: "Something is waiting for you in Mutual", url: "/bonds/" };
  try {
    if (event.data) {
      data = event.data.json();
    }
  } catch (e) {
    /* keep the fixed words */
  }
  event.waitUntil(
    self.registration.showNotification(data.title || "Mutual", {
      body: data.body,
      data: { url: data.url || "/bonds/" },
      tag: "mutual"
    })
  );
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = (event.notification.data && event.notification.data.url) || "/bonds/";
  event.waitUntil(self.clients.openWindow(url));
});
