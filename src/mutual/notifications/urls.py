from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("waiting/", views.waiting, name="waiting"),
    path("notifications/", views.settings_page, name="settings"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("notifications/push/", views.push_subscription, name="push"),
    path("bonds/<uuid:bond_id>/rhythm/", views.rhythm_page, name="rhythm"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
]
