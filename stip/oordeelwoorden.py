"""Judgement words in the facts of a difficult conversation: "lui", "brutaal", "altijd", "nooit", …

A fact says what was seen or measured; a judgement word says what the mentor makes of it (or turns a few
times into "always"), and puts parents on the defensive. `flag(text)` finds them — whole words only, in
any case, in their Dutch word forms — and `message(flags)` is the gentle Dutch hint shown at the field.
The words, their forms and the suggestions are content: `content/nl/gespreksplan.yaml` (`oordeelwoorden`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from stip import content
from stip.i18n import t

__all__ = ["Flag", "flag", "message", "words"]

GROUPS = ("label", "veralgemening")


@dataclass(frozen=True)
class Flag:
    """One judgement word in a text: `word` as typed, `text[start:end] == word`."""

    word: str
    start: int
    end: int
    lemma: str
    suggestion: str


@cache
def words() -> dict[str, dict[str, str]]:
    """Every word form (lower case) → {"lemma", "groep", "suggestion"}."""
    section = content.load("gespreksplan")["oordeelwoorden"]
    found: dict[str, dict[str, str]] = {}
    for entry in section["words"]:
        groep = entry.get("groep", "label")
        info = {
            "lemma": entry["lemma"],
            "groep": groep,
            "suggestion": " ".join((entry.get("suggestion") or section["suggestions"][groep]).split()),
        }
        for form in entry["forms"]:
            found[form.lower()] = info
    return found


@cache
def _pattern() -> re.Pattern[str]:
    forms = sorted(words(), key=len, reverse=True)  # the longest form first: "luie" before "lui"
    alternatives = "|".join(re.escape(form) for form in forms)
    # A whole word: no letter or digit right before or after it, and no hyphen that joins it to one
    # ("altijd-groen" is one word; "lui - zegt hij" and "(altijd)" are not).
    return re.compile(rf"(?<![\w])(?<![\w]-)(?:{alternatives})(?![\w])(?!-[\w])", re.IGNORECASE)


def flag(text: str) -> list[Flag]:
    """The judgement words in `text`, in order of appearance."""
    if not text:
        return []
    flags = []
    for match in _pattern().finditer(text):
        info = words().get(match.group().lower())
        if info is None:  # a case fold that the lookup does not share (never for the current list)
            continue
        flags.append(Flag(match.group(), match.start(), match.end(), info["lemma"], info["suggestion"]))
    return flags


def _quoted_list(items: list[str]) -> str:
    quoted = [f"“{item}”" for item in items]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " " + t("oordeelwoorden.and") + " " + quoted[-1]


def message(flags: list[Flag]) -> str:
    """One short Dutch hint naming the words found ("" when there are none)."""
    if not flags:
        return ""
    shown: list[str] = []
    for item in flags:
        if item.word.lower() not in (seen.lower() for seen in shown):
            shown.append(item.word.lower())
    only_generalisations = all(words()[f.word.lower()]["groep"] == "veralgemening" for f in flags)
    hint = t("oordeelwoorden.hint_veralgemening" if only_generalisations else "oordeelwoorden.hint_label")
    return t("oordeelwoorden.message", count=len(shown), woorden=_quoted_list(shown), hint=hint)
