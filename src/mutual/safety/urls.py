from django.urls import path

from . import views

app_name = "safety"

urlpatterns = [
    path("who-sees-what/", views.who_sees_what, name="who_sees_what"),
    path("support/", views.support_page, name="support"),
    path("safety/", views.overview, name="overview"),
    path("revelations/<uuid:revelation_id>/withdraw/", views.withdraw, name="withdraw"),
    path("bonds/<uuid:bond_id>/safety/", views.safety_home, name="home"),
    path("bonds/<uuid:bond_id>/safety/report/", views.report, name="report"),
    path("bonds/<uuid:bond_id>/safety/key-checked/", views.key_checked, name="key_checked"),
    path("bonds/<uuid:bond_id>/safety/pause/", views.pause, name="pause"),
    path("bonds/<uuid:bond_id>/safety/resume/", views.resume, name="resume"),
    path("bonds/<uuid:bond_id>/safety/leave/", views.leave, name="leave"),
    path("bonds/<uuid:bond_id>/safety/mode-off/", views.safety_mode_leave, name="mode_leave"),
    path(
        "reports/<uuid:report_id>/confirm-deception/",
        views.deception_confirm,
        name="confirm_deception",
    ),
]
