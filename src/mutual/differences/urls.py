from django.urls import path

from . import views

app_name = "differences"

urlpatterns = [
    path("bonds/<uuid:bond_id>/differences/", views.differences_page, name="list"),
    path(
        "bonds/<uuid:bond_id>/differences/<uuid:difference_id>/",
        views.difference_page,
        name="detail",
    ),
    path(
        "bonds/<uuid:bond_id>/differences/<uuid:difference_id>/<slug:step>/",
        views.difference_step,
        name="step",
    ),
]
