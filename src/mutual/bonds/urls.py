from django.urls import path

from .views import bond_pages, exchange_pages, joining

app_name = "bonds"

urlpatterns = [
    # Bonds and their pages (views/bond_pages.py)
    path("", bond_pages.home, name="home"),
    path("bonds/", bond_pages.bond_list, name="list"),
    path("bonds/<uuid:bond_id>/", bond_pages.bond_detail, name="bond"),
    path("bonds/<uuid:bond_id>/history/", bond_pages.history, name="history"),
    path("bonds/<uuid:bond_id>/numbers/", bond_pages.numbers, name="numbers"),
    path("bonds/<uuid:bond_id>/ready/", bond_pages.ready, name="ready"),
    path("bonds/<uuid:bond_id>/step-back/", bond_pages.step_back, name="step_back"),
    path("bonds/<uuid:bond_id>/desire/", bond_pages.desire, name="desire"),
    path("bonds/<uuid:bond_id>/prompts/", bond_pages.prompts, name="prompts"),
    path("bonds/<uuid:bond_id>/prompts/new/", bond_pages.prompt_new, name="prompt_new"),
    path("bonds/<uuid:bond_id>/exchanges/", bond_pages.exchange_open, name="exchange_open"),
    # Invites and joining (views/joining.py)
    path("bonds/<uuid:bond_id>/invite/", joining.invite, name="invite"),
    path("join/", joining.join, name="join"),
    path("join/<str:code>/", joining.join, name="join_code"),
    # One exchange (views/exchange_pages.py)
    path("exchanges/<uuid:exchange_id>/", exchange_pages.exchange, name="exchange"),
    path("revelations/<uuid:revelation_id>/take-back/", exchange_pages.take_back, name="take_back"),
    path("revelations/<uuid:revelation_id>/reply/", exchange_pages.reply, name="reply"),
    path("revelations/<uuid:revelation_id>/rate/", exchange_pages.rate, name="rate"),
]
