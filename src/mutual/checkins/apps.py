from django.apps import AppConfig


class CheckInsConfig(AppConfig):
    name = "mutual.checkins"
    label = "checkins"
    verbose_name = "Check-ins"
