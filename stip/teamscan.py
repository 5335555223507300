"""Stip's standard team scan (issue 17): the content of `content/nl/teamscan.yaml` as session items.

`standard_items()` gives what `stip.live.start_session` copies into a new team-scan session: per theme its
statements (kind "schaal", the four-point scale plus "weet ik niet"), then one optional comment (kind
"opmerking", key "<theme>.opmerking"); at the end the two open questions (kind "open"). Keys stay the same
from round to round, so a later session compares per statement. `theme` is the theme's Dutch title (what
the participant and the projector show); every item carries its theme's source.
"""

from __future__ import annotations

from typing import Any

from stip import content

SCALE = ("1", "2", "3", "4", "weet_niet")  # the same as stip.live.SCALE (a test keeps them equal)


def texts() -> dict[str, Any]:
    """Title, intro and the comment prompt of the scan."""
    data = content.load("teamscan")
    return {"title": data["title"], "intro": data["intro"], "opmerking": data["opmerking"]}


def standard_items() -> list[dict[str, Any]]:
    """Every item of the standard scan, in order: key, kind, theme, tekst, options, source."""
    data = content.load("teamscan")
    result: list[dict[str, Any]] = []
    for theme in data["themes"]:
        titel, bron = theme["titel"], " ".join(theme["bron"].split())
        for number, statement in enumerate(theme["stellingen"], start=1):
            result.append(
                {
                    "key": f"{theme['key']}.{number}",
                    "kind": "schaal",
                    "theme": titel,
                    "tekst": statement,
                    "options": list(SCALE),
                    "source": bron,
                }
            )
        result.append(
            {
                "key": f"{theme['key']}.opmerking",
                "kind": "opmerking",
                "theme": titel,
                "tekst": data["opmerking"],
                "options": [],
                "source": bron,
            }
        )
    closing = data["open"]
    for question in closing["vragen"]:
        result.append(
            {
                "key": f"open.{question['key']}",
                "kind": "open",
                "theme": closing["titel"],
                "tekst": question["tekst"],
                "options": [],
                "source": closing["bron"],
            }
        )
    return result


def theme_sources() -> dict[str, str]:
    """Theme title → its source, in the order of the scan."""
    data = content.load("teamscan")
    return {theme["titel"]: " ".join(theme["bron"].split()) for theme in data["themes"]}
