from django.urls import path

from . import views

urlpatterns = [
    path("accounts/export/", views.export_page, name="mutual_export"),
    path("accounts/export.json", views.export_json, name="mutual_export_json"),
    path("accounts/delete/", views.delete_account, name="mutual_delete"),
]
