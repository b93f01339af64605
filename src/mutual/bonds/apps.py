from django.apps import AppConfig


class BondsConfig(AppConfig):
    name = "mutual.bonds"
    label = "bonds"
    verbose_name = "Bonds"
