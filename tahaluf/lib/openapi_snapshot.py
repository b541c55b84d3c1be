"""Print the live OpenAPI schema of /api/v1/ as the committed snapshot is written:
pretty-printed, keys sorted. `make openapi` runs this into docs/openapi.json, and
tahaluf/tests/test_docs.py fails when the two differ."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def live_schema() -> dict[str, Any]:
    from tahaluf.api import api

    # Through JSON and back: the same types (string keys, lists) as the file read back.
    return json.loads(json.dumps(api.get_openapi_schema()))


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tahaluf.settings")
    import django

    django.setup()
    sys.stdout.write(render(live_schema()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
