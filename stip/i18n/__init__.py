"""One message catalog for every user-visible text: `t("key", name=...)`.

Catalogs are JSON files in one folder per language beside this module (`nl/*.json` first; `en/`
can follow); each module of Stip owns one file (`nl/start.json`, `nl/components.json`, ...), and a key
lives in exactly one file. A key missing from the chosen language falls back to Dutch, then to the key.
"""

from __future__ import annotations

import json
import logging
from functools import cache
from pathlib import Path

from stip import config

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
DEFAULT_LANGUAGE = "nl"


@cache
def catalog(language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted((HERE / language).glob("*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def _lookup(key: str) -> str | None:
    return catalog(config.language()).get(key) or catalog(DEFAULT_LANGUAGE).get(key)


def t(key: str, /, **values: object) -> str:
    """The text for `key` in the configured language, with `{placeholders}` filled in.

    With `count=1` the key's singular form `<key>.one` is used when the catalog has one
    ("1 gezin" instead of "1 gezinnen").
    """
    text = (_lookup(f"{key}.one") if values.get("count") == 1 else None) or _lookup(key)
    if text is None:
        log.warning("missing message key %s", key)
        return key
    return text.format(**values) if values else text
