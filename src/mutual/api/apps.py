from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "mutual.api"
    label = "api"
    verbose_name = "API"
