from django.urls import path

from . import views

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
    path("revelations/<uuid:revelation_id>/take-back/", views.take_back, name="take_back"),
    path("revelations/<uuid:revelation_id>/reply/", views.reply, name="reply"),
    path("revelations/<uuid:revelation_id>/rate/", views.rate, name="rate"),
]
