from typing import Any

from django.apps import AppConfig
from django.core import checks


class SafetyConfig(AppConfig):
    name = "mutual.safety"
    label = "safety"
    verbose_name = "Safety"

    def ready(self) -> None:
        checks.register(support_file_check)


def support_file_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The operator's support file, if set, can be read and holds what it should."""
    from mutual.web import support

    try:
        support.directory()
    except support.SupportFileError as exc:
        return [
            checks.Error(
                str(exc),
                hint="See docs/configuration.md, MUTUAL_SUPPORT_FILE.",
                id="safety.E001",
            )
        ]
    return []
