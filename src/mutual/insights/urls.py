from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("bonds/<uuid:bond_id>/insights/", views.insights_page, name="page"),
]
