from django.urls import path

from . import views

app_name = "learn"

urlpatterns = [
    path("", views.index, name="index"),
    path("model/", views.model, name="model"),
    path("references/", views.references, name="references"),
    path("concepts/<slug:slug>/", views.concept, name="concept"),
]
