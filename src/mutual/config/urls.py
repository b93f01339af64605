from django.urls import URLPattern, URLResolver, include, path

from mutual.api.api import api as api_v1
from mutual.api.api import not_found as api_not_found
from mutual.web.source import source

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("mutual.accounts.urls")),
    path("", include("mutual.yourdata.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api_v1.urls),
    path("api/<path:rest>", api_not_found),
    path("learn/", include("mutual.learn.urls")),
    path("source/", source, name="source"),
    path("", include("mutual.bonds.urls")),
    path("", include("mutual.checkins.urls")),
    path("", include("mutual.differences.urls")),
    path("", include("mutual.safety.urls")),
    path("", include("mutual.insights.urls")),
    path("", include("mutual.notifications.urls")),
]
