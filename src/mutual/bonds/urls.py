from django.urls import path

from . import views, views_checkins, views_differences

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
]
