from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mutual.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from . import signals

        signals.connect()
