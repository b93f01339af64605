from django.apps import AppConfig


class DifferencesConfig(AppConfig):
    name = "mutual.differences"
    label = "differences"
    verbose_name = "Differences"
