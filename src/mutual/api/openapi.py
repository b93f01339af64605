"""Print the OpenAPI document of API v1, as served at ``/api/v1/openapi.json``.

``python -m mutual.api.openapi > docs/openapi.json`` regenerates the committed copy.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def document() -> dict[str, Any]:
    from django.urls import reverse

    from .api import api

    return dict(api.get_openapi_schema(path_prefix=reverse("api-v1:api-root")))


def render() -> str:
    return json.dumps(document(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutual.config.settings")
    import django

    django.setup()
    sys.stdout.write(render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
