"""Templates with `{placeholders}` and a readability check for texts to parents (DESIGN §9). No widgets.

`fill(template, values, allowed)` fills a template such as an invitation or a gouden mail; every problem is a
`TemplateError` whose `str()` is a Dutch message from the catalog (`stip/i18n/nl/texts.json`).
`readability(text)` gives a quick, Dutch-specific estimate of whether a text is at B1 level, and
`readability_summary(...)` turns it into one line for the mentor.

Template rules:
- A placeholder is `{name}` with `name` made of lowercase letters and `_` (`{roepnaam}`, `{vragen_ouders}`).
- `{{` and `}}` are a literal `{` and `}`. Any other brace (`{Roepnaam}`, `{ datum }`, a lone `{`) is an
  error, so a mistyped placeholder never reaches a parent.
- Every placeholder needs a value; a value that is None or only whitespace counts as missing, except for
  the names given as `optional`: an empty optional placeholder takes its whole line away (with a label
  such as "Adres:"), and no double blank line is left behind.
- Values are inserted as plain text: braces inside a value stay as they are (`"{x}"` stays `"{x}"`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from stip.i18n import t

# One token of a template: an escaped brace ("{{" or "}}") or a placeholder `{name}`.
# Group "name" is None for an escaped brace; use `placeholders()` for the names.
PLACEHOLDER = re.compile(r"\{\{|\}\}|\{(?P<name>[a-z_]+)\}")

LONG_SENTENCE_WORDS = 15  # a sentence with more words than this is long
LONG_WORD_LETTERS = 13  # a word with at least this many letters is long
MAX_LISTED = 5  # at most this many words are named in the one-line summary

# Abbreviations whose final dot does not end a sentence (compared in lowercase, without the final dot).
ABBREVIATIONS = frozenset(
    ("bijv", "bv", "o.a", "d.w.z", "enz", "etc", "m.b.t", "z.s.m", "evt", "ca", "dhr", "mevr", "nr")
    + ("i.p.v", "t.a.v", "n.a.v", "a.s", "o.b.v", "resp", "incl", "excl")
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(r"(?:https?://|www\.)[^\s]*[^\s.,;:!?)\]]", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?]+(?=[\s\"')\]”’]|$)|\n")
WORD = re.compile(r"[^\W_]+(?:[-'’.:/][^\W_]+)*")
NEUTRAL = "X"  # stands in for a placeholder, e-mail address or URL: one short word


class TemplateError(Exception):
    """A template that cannot be filled; `str(error)` is the Dutch message (catalog key `message_key`)."""

    def __init__(self, message_key: str, names: Collection[str] = (), **values: object) -> None:
        super().__init__(message_key)
        self.message_key = message_key
        self.names = tuple(names)  # the placeholders it is about, without braces
        self.values: dict[str, object] = {"names": braced(self.names), **values}

    def __str__(self) -> str:
        return t(self.message_key, **self.values)

    @property
    def message(self) -> str:
        return str(self)


def braced(names: Collection[str]) -> str:
    return ", ".join(f"{{{name}}}" for name in names)


def placeholders(template: str) -> set[str]:
    """The names of the placeholders in `template` (`"Dag {roepnaam}"` -> `{"roepnaam"}`)."""
    return {m["name"] for m in PLACEHOLDER.finditer(template) if m["name"]}


def _bad_brace(template: str) -> str | None:
    """The text around the first brace that is neither a placeholder nor `{{`/`}}`, else None."""
    rest = PLACEHOLDER.sub(lambda m: "\0" * len(m[0]), template)
    for index, char in enumerate(rest):
        if char in "{}":
            if char == "{":
                end = template.find("}", index)
                end = end + 1 if 0 < end - index < 30 else index + 20
                return template[index:end].splitlines()[0]
            return template[max(0, index - 20) : index + 1].splitlines()[-1]
    return None


def fill(
    template: str,
    values: Mapping[str, object],
    allowed: Collection[str] | None = None,
    optional: Collection[str] = (),
) -> str:
    """`template` with every `{name}` replaced by `values[name]` as plain text.

    Raises `TemplateError`, checked in this order:
    - `texts.bad_brace`: a brace that is not a placeholder nor `{{`/`}}` (`values["fragment"]` shows it);
    - `texts.unknown_placeholder`: `allowed` is given and a placeholder is not in it (`error.names`);
    - `texts.missing_value`: a placeholder without a value, or with an empty one (`error.names`), unless
      it is `optional` (see the module's rules).
    """
    fragment = _bad_brace(template)
    if fragment is not None:
        raise TemplateError("texts.bad_brace", fragment=fragment)
    names = list(dict.fromkeys(m["name"] for m in PLACEHOLDER.finditer(template) if m["name"]))
    if allowed is not None:
        unknown = [name for name in names if name not in allowed]
        if unknown:
            raise TemplateError("texts.unknown_placeholder", unknown, allowed=braced(sorted(allowed)) or "-")
    empty = {name for name in names if values.get(name) is None or not str(values[name]).strip()}
    missing = [name for name in names if name in empty and name not in optional]
    if missing:
        raise TemplateError("texts.missing_value", missing)
    if empty:
        template = _drop_empty_lines(template, empty)

    def replace(match: re.Match[str]) -> str:
        name = match["name"]
        if name is None:
            return match[0][0]
        return "" if name in empty else str(values[name])

    return PLACEHOLDER.sub(replace, template)


def _drop_empty_lines(template: str, empty: Collection[str]) -> str:
    """`template` without the lines that hold one of the `empty` placeholders (with their label, as in
    "Adres: {adres}"); a blank line that would then follow another blank line, or end the text, goes too."""
    marks = [f"{{{name}}}" for name in empty]
    kept: list[str] = []
    removed = False  # a line was left out since the last kept line
    for line in template.split("\n"):
        if any(mark in line for mark in marks):
            removed = True
            continue
        if removed and not line.strip() and (not kept or not kept[-1].strip()):
            continue
        removed = False
        kept.append(line)
    if removed:
        while kept and not kept[-1].strip():
            kept.pop()
    return "\n".join(kept)


@dataclass
class Readability:
    sentences: int
    words: int
    average_sentence_words: float
    long_sentences: list[str] = field(default_factory=list)
    long_words: list[str] = field(default_factory=list)
    jargon: list[tuple[str, str]] = field(default_factory=list)  # (term as in the jargon list, explanation)
    level: str = "B1"  # "B1" (fine), "B1+" (a bit hard) or "moeilijk"


def _neutral(text: str) -> str:
    """`text` with placeholders, e-mail addresses and URLs as one short word, and `{{`/`}}` dropped."""
    text = PLACEHOLDER.sub(lambda m: NEUTRAL if m["name"] else "", text)
    text = EMAIL.sub(NEUTRAL, text)
    return URL.sub(NEUTRAL, text)


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`: split after `.`, `!` and `?` (not after a known abbreviation) and at line
    ends; empty pieces are dropped. E-mail addresses, URLs, times (19.20) and placeholders are not split."""
    pieces, start = [], 0
    for match in SENTENCE_END.finditer(text):
        if match[0].startswith("."):
            before = text[start : match.start()].split()
            if before and before[-1].lstrip("(\"'“‘").lower() in ABBREVIATIONS:
                continue
        pieces.append(text[start : match.end()])
        start = match.end()
    pieces.append(text[start:])
    return [" ".join(piece.split()) for piece in pieces if piece.strip()]


def _points(value: float, limits: tuple[float, float, float]) -> int:
    """0 when value <= limits[0], 1 when <= limits[1], 2 when <= limits[2], else 3."""
    return sum(value > limit for limit in limits)


def readability(text: str, jargon: Mapping[str, str] | None = None) -> Readability:
    """A quick estimate of how easy `text` is to read for parents, with Dutch heuristics.

    - Sentences: see `split_sentences`; a sentence without words (only "-" or an emoji) is not counted.
    - Words: letters and digits, with `-`, `'`, `.`, `:` or `/` inside one word ("e-mail", "19:20").
      A placeholder (`{datum}`), e-mail address or URL counts as one short word.
    - Long sentence: more than 15 words. Long word: at least 13 letters; words with digits, placeholders,
      e-mail addresses, URLs and names (a capital letter not at the start of a sentence) do not count.
    - Jargon: the terms of `jargon` (default: the `jargon` list of content `startgesprek`), found as whole
      words in any case; placeholders are not searched (`{mentor}` is not the word "mentor").

    Level: each of three measures gives 0 to 3 points,
      average words per sentence   <= 12: 0   <= 15: 1   <= 20: 2   more: 3
      long words, share of words   <= 5%: 0   <= 10%: 1  <= 15%: 2  more: 3
      different jargon terms       <= 1:  0   <= 3:  1   <= 5:  2   more: 3
    and the total gives the level: 0 "B1" (fine), 1-2 "B1+" (a bit hard), 3 or more "moeilijk".
    One jargon term is free: a letter may name "mentor" once it explains the word.
    """
    if jargon is None:
        from stip import content

        jargon = content.load("startgesprek")["jargon"]
    sentences = 0
    words = 0
    long_sentences: list[str] = []
    long_words: dict[str, str] = {}
    long_count = 0
    for sentence in split_sentences(text):
        tokens = WORD.findall(_neutral(sentence))
        if not tokens:
            continue
        sentences += 1
        words += len(tokens)
        if len(tokens) > LONG_SENTENCE_WORDS:
            long_sentences.append(sentence)
        for position, token in enumerate(tokens):
            letters = sum(char.isalpha() for char in token)
            if letters < LONG_WORD_LETTERS or any(char.isdigit() for char in token):
                continue
            if position > 0 and token[0].isupper():
                continue  # a name such as "Voorbeeldschool"
            long_count += 1
            long_words.setdefault(token.lower(), token)
    searchable = _neutral(text)
    found: list[tuple[int, str, str]] = []
    for term, explanation in jargon.items():
        words_of_term = [re.escape(part) for part in str(term).split()]
        pattern = r"(?<![^\W_])" + r"\s+".join(words_of_term) + r"(?![^\W_])"
        match = re.search(pattern, searchable, re.IGNORECASE)
        if match:
            found.append((match.start(), str(term), str(explanation)))
    found.sort(key=lambda item: item[0])
    average = round(words / sentences, 1) if sentences else 0.0
    share = long_count / words if words else 0.0
    score = (
        _points(average, (12, 15, 20)) + _points(share, (0.05, 0.10, 0.15)) + _points(len(found), (1, 3, 5))
    )
    level = "B1" if score == 0 else "B1+" if score <= 2 else "moeilijk"
    return Readability(
        sentences=sentences,
        words=words,
        average_sentence_words=average,
        long_sentences=long_sentences,
        long_words=list(long_words.values()),
        jargon=[(term, explanation) for _, term, explanation in found],
        level=level,
    )


LEVEL_KEYS = {"B1": "texts.summary.b1", "B1+": "texts.summary.b1_plus", "moeilijk": "texts.summary.moeilijk"}


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:MAX_LISTED])
    return shown + (" …" if len(items) > MAX_LISTED else "")


def readability_summary(r: Readability) -> str:
    """One Dutch line for the mentor: the level, the average sentence length and what to improve."""
    if not r.sentences:
        return t("texts.summary.empty")
    parts = [t(LEVEL_KEYS[r.level], average=int(r.average_sentence_words + 0.5))]
    if len(r.long_sentences) == 1:
        parts.append(t("texts.advice.long_sentence"))
    elif r.long_sentences:
        parts.append(t("texts.advice.long_sentences", count=len(r.long_sentences)))
    if r.long_words:
        parts.append(t("texts.advice.long_words", words=_listed(r.long_words)))
    if r.jargon:
        parts.append(t("texts.advice.jargon", words=_listed([term for term, _ in r.jargon])))
    return " ".join(parts)
