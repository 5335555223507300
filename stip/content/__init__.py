"""Content files (YAML, per language) with their sources named; loaded once per process."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from stip import config

HERE = Path(__file__).resolve().parent


@cache
def load(name: str, language: str | None = None) -> dict[str, Any]:
    """The content file `<language>/<name>.yaml`, falling back to Dutch."""
    import yaml

    for lang in (language or config.language(), "nl"):
        path = HERE / lang / f"{name}.yaml"
        if path.exists():
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: faster
            return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    raise FileNotFoundError(name)
