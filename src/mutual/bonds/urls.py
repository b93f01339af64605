from django.urls import path

from . import views, views_checkins, views_differences, views_safety

app_name = "bonds"

urlpatterns = [
    path("", views.home, name="home"),
    # Check-ins and differences (views_checkins.py, views_differences.py)
    path("bonds/<uuid:bond_id>/checkins/", views_checkins.checkins_page, name="checkins"),
    path(
        "bonds/<uuid:bond_id>/differences/",
        views_differences.differences_page,
        name="differences",
    ),
    path(
        "bonds/<uuid:bond_id>/differences/<uuid:difference_id>/",
        views_differences.difference_page,
        name="difference",
    ),
    path(
        "bonds/<uuid:bond_id>/differences/<uuid:difference_id>/<slug:step>/",
        views_differences.difference_step,
        name="difference_step",
    ),
    # Safety and privacy (views_safety.py)
    path("who-sees-what/", views_safety.who_sees_what, name="who_sees_what"),
    path(
        "revelations/<uuid:revelation_id>/withdraw/",
        views_safety.withdraw,
        name="safety_withdraw",
    ),
    path("bonds/<uuid:bond_id>/safety/", views_safety.safety_home, name="safety_home"),
    path("bonds/<uuid:bond_id>/safety/report/", views_safety.report, name="safety_report"),
    path("bonds/<uuid:bond_id>/safety/pause/", views_safety.pause, name="safety_pause"),
    path("bonds/<uuid:bond_id>/safety/resume/", views_safety.resume, name="safety_resume"),
    path("bonds/<uuid:bond_id>/safety/leave/", views_safety.leave, name="safety_leave"),
    path(
        "bonds/<uuid:bond_id>/safety/mode-off/",
        views_safety.safety_mode_leave,
        name="safety_mode_leave",
    ),
    path(
        "reports/<uuid:report_id>/confirm-deception/",
        views_safety.deception_confirm,
        name="safety_confirm_deception",
    ),
]
