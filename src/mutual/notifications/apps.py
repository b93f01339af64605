from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "mutual.notifications"
    label = "notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Listens to what the features say waits (``mutual.bonds.signals``).
        from . import receivers  # noqa: F401
