from django.urls import path

from . import views, views_checkins, views_differences, views_safety

app_name = "bonds"

urlpatterns = [
    # The core loop (views.py)
    path("", views.home, name="home"),
    path("bonds/", views.bond_list, name="list"),
    path("bonds/<uuid:bond_id>/", views.bond_detail, name="bond"),
    path("bonds/<uuid:bond_id>/history/", views.history, name="history"),
    path("bonds/<uuid:bond_id>/invite/", views.invite, name="invite"),
    path("bonds/<uuid:bond_id>/ready/", views.ready, name="ready"),
    path("bonds/<uuid:bond_id>/step-back/", views.step_back, name="step_back"),
    path("bonds/<uuid:bond_id>/desire/", views.desire, name="desire"),
    path("bonds/<uuid:bond_id>/prompts/", views.prompts, name="prompts"),
    path("bonds/<uuid:bond_id>/prompts/new/", views.prompt_new, name="prompt_new"),
    path("bonds/<uuid:bond_id>/exchanges/", views.exchange_open, name="exchange_open"),
    path("join/", views.join, name="join"),
    path("join/<str:code>/", views.join, name="join_code"),
    path("exchanges/<uuid:exchange_id>/", views.exchange, name="exchange"),
    path("revelations/<uuid:revelation_id>/take-back/", views.discard, name="discard"),
    path("revelations/<uuid:revelation_id>/reply/", views.reply, name="reply"),
    path("revelations/<uuid:revelation_id>/rate/", views.rate, name="rate"),
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
