from django.urls import path

from . import views

app_name = "checkins"

urlpatterns = [
    path("bonds/<uuid:bond_id>/checkins/", views.checkins_page, name="page"),
]
