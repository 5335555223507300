"""The page's query string: Voilà hands the kernel the raw query in `QUERY_STRING` (DESIGN §2)."""

from __future__ import annotations

import os
from urllib.parse import parse_qs

SECRET_PARAMETERS = {"token"}


def query_params(raw: str | None = None) -> dict[str, str]:
    """The page's query parameters, first value each, without `token` (never shown, logged or stored)."""
    if raw is None:
        raw = os.environ.get("QUERY_STRING", "")
    parsed = parse_qs(raw, keep_blank_values=False)
    return {key: values[0] for key, values in parsed.items() if key not in SECRET_PARAMETERS}
