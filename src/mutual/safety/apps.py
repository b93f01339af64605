from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "mutual.safety"
    label = "safety"
    verbose_name = "Safety"
