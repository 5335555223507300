"""The conversation plan of a difficult conversation (issue 16, step 8): questions and the flow of the talk.

`questions(soort)` is the bank of open questions for one kind of conversation; `build_flow(answers, context)`
turns the mentor's answers into the parts of the talk, in order, each with its lines and minutes:
positive opening → the concern as facts → the parents' view first → the student's view → a shared goal →
what school can do and agreements → a closing check. For bad news (soort "slecht_nieuws") the message
comes early and clearly, then room for the reaction, then the rest. Only the mentor's own answers fill
the lines: an empty answer gives no line, and nothing is filled in for the mentor. `worked_examples()`
are the two fictional preparations in `voorbeelden/moeilijk_gesprek.yaml`.

Pure: no widgets, no database. Texts in `content/nl/gespreksplan.yaml` (sources named there).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from itertools import zip_longest
from typing import Any

from stip import config, content

__all__ = [
    "BAD_NEWS",
    "QUESTION_BANK",
    "build_flow",
    "interpreter_note",
    "planned_minutes",
    "question_texts",
    "questions",
    "worked_examples",
]

BAD_NEWS = "slecht_nieuws"
MAX_MINUTES = 600  # a "duur" above this is a typing error, not a plan
EXAMPLES = config.REPO_ROOT / "voorbeelden" / "moeilijk_gesprek.yaml"


@cache
def _content() -> dict[str, Any]:
    return content.load("gespreksplan")


@cache
def _bank() -> tuple[dict[str, Any], ...]:
    return tuple(
        {
            "id": q["id"],
            "tekst": " ".join(q["tekst"].split()),
            "fase": q["fase"],
            "aan": q.get("aan", "iedereen"),
            "soorten": tuple(q.get("soorten") or ()),
        }
        for q in _content()["vragen"]
    )


class _Bank(Mapping[str, dict[str, Any]]):
    """`QUESTION_BANK`: every question of the bank by id ({"id", "tekst", "fase", "aan", "soorten"}),
    read from the content on first use."""

    def __getitem__(self, key: str) -> dict[str, Any]:
        return {q["id"]: q for q in _bank()}[key]

    def __iter__(self) -> Iterator[str]:
        return iter([q["id"] for q in _bank()])

    def __len__(self) -> int:
        return len(_bank())


QUESTION_BANK = _Bank()


def questions(soort: str = "") -> list[dict[str, str]]:
    """The open questions for this kind of conversation, in the order of the talk:
    [{"id", "tekst", "fase"}]. A question meant for some kinds only is left out for the others."""
    return [
        {"id": q["id"], "tekst": q["tekst"], "fase": q["fase"]}
        for q in _bank()
        if not q["soorten"] or soort in q["soorten"]
    ]


def _chosen(answers: dict[str, str]) -> list[dict[str, Any]]:
    """The chosen questions (ids one per line, unknown ids skipped, each once) in the order chosen."""
    by_id = {q["id"]: q for q in _bank()}
    seen: list[str] = []
    for line in (answers.get("vragen") or "").splitlines():
        qid = line.strip()
        if qid in by_id and qid not in seen:
            seen.append(qid)
    return [by_id[qid] for qid in seen]


def question_texts(answers: dict[str, str]) -> list[str]:
    """The texts of the chosen questions, as they stand in the flow (the sheet marks them)."""
    return [q["tekst"] for q in _chosen(answers)]


def planned_minutes(duur: Any) -> int | None:
    """The planned length in whole minutes, or None when it is empty or not a sensible number."""
    text = str(duur or "").strip().removesuffix("min").strip()
    if not text.isdigit():
        return None
    minutes = int(text)
    return minutes if 0 < minutes <= MAX_MINUTES else None


def _spread(total: int, weights: list[int]) -> list[int]:
    """`total` minutes over parts by weight (largest remainder), summing exactly to `total`; every part gets
    at least one minute when there are enough minutes."""
    base = [1] * len(weights) if total >= len(weights) else [0] * len(weights)
    rest = total - sum(base)
    whole = sum(weights) or 1
    shares = [rest * w / whole for w in weights]
    extra = [int(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: (-(shares[i] - extra[i]), i))
    for i in order[: rest - sum(extra)]:
        extra[i] += 1
    return [b + e for b, e in zip(base, extra, strict=True)]


def _clean(value: Any) -> str:
    return str(value or "").strip()


def _lines(value: str) -> list[str]:
    """The non-empty lines of an answer, list dashes dropped."""
    lines = [line.strip().lstrip("-•*–").strip() for line in (value or "").splitlines()]
    return [line for line in lines if line]


def _one_line(value: str) -> str:
    """A multi-line answer as one line: its lines joined, list dashes dropped ("- a\\n- b" → "a; b")."""
    joined = ""
    for line in _lines(value):
        if joined:
            joined += " " if joined[-1] in ".!?;:" else "; "
        joined += line
    return joined


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _starting(template: str, text: str) -> str:
    """`text` with a capital when its template starts with the student's name ("de leerling …")."""
    return _capital(text) if template.startswith("{roepnaam}") else text


class _Builder:
    def __init__(self, answers: dict[str, str], context: dict[str, Any]):
        self.answers = {key: _clean(value) for key, value in (answers or {}).items()}
        self.context = context or {}
        flow = _content()["flow"]
        self.lines: dict[str, str] = {k: " ".join(v.split()) for k, v in flow["regels"].items()}
        self.titles: dict[str, str] = flow["titels"]
        self.roepnaam = _clean(self.context.get("roepnaam")) or flow["leerling_zonder_naam"]

    def value(self, key: str) -> str:
        return _one_line(self.answers.get(key, ""))

    def text(self, key: str, **values: str) -> str:
        return _starting(self.lines[key], self.lines[key].format(roepnaam=self.roepnaam, **values))

    def field(self, line_key: str, field: str | None = None) -> list[str]:
        """The line for an answer, or nothing when the answer is empty."""
        value = self.value(field or line_key)
        return [self.text(line_key, waarde=value)] if value else []

    def title(self, key: str) -> str:
        return _starting(self.titles[key], self.titles[key].format(roepnaam=self.roepnaam))


def _interpreter(b: _Builder) -> list[str]:
    return [b.text("tolk")] if b.answers.get("tolk") == "ja" else []


def _welcome(b: _Builder) -> list[str]:
    return [b.text("welkom")]  # the length itself stands in the sheet's header


def _positives(b: _Builder) -> list[str]:
    return [line for key in ("positief_1", "positief_2", "positief_3") for line in b.field("positief", key)]


def _emotions(b: _Builder) -> list[str]:
    emotions = _lines(b.answers.get("emoties", ""))
    sentences = [s.strip('“”"').strip() for s in _lines(b.answers.get("begrip", ""))]
    sentences = [s for s in sentences if s]
    lines = []
    for emotion, sentence in zip_longest(emotions, sentences, fillvalue=""):
        if emotion and sentence:
            lines.append(b.text("emotie_begrip", emotie=emotion, begrip=sentence))
        elif emotion:
            lines.append(b.text("emotie", emotie=emotion))
        elif sentence:
            lines.append(b.text("begrip", begrip=sentence))
    return lines


def _concern(b: _Builder) -> list[str]:
    return b.field("feiten") + b.field("interpretaties") + b.field("kijk_school")


def _parents(b: _Builder, with_emotions: bool) -> list[str]:
    lines = [b.text("ouders_intro"), *b.field("kijk_ouders"), *b.field("zorgen_ouders")]
    return lines + (_emotions(b) if with_emotions else [])


def _student(b: _Builder) -> list[str]:
    erbij = b.answers.get("leerling_erbij", "")
    lines = []
    if erbij == "ja":
        lines.append(b.text("leerling_erbij"))
    elif erbij == "deels":
        lines.append(b.text("leerling_deels"))
    elif erbij == "nee":
        lines.append(b.text("leerling_niet"))
    else:
        lines.append(b.text("leerling_intro"))
    gesproken = b.answers.get("leerling_gesproken", "")
    if gesproken == "ja":
        lines.append(b.text("leerling_gesproken"))
    elif gesproken in ("nee", "nog_niet"):
        lines.append(b.text("leerling_niet_gesproken"))
    return lines + b.field("kijk_leerling") + b.field("leerling_herkent") + b.field("leerling_nodig")


def _goal(b: _Builder, with_talk_goal: bool) -> list[str]:
    lines = [b.text("doel_intro")]
    if with_talk_goal:
        lines += b.field("doel") + b.field("niet_doel")
    return lines + b.field("gedeeld_doel") + b.field("doel_cognitief") + b.field("doel_sociaal_emotioneel")


def _agreements(b: _Builder) -> list[str]:
    return [
        *b.field("school_kan"),
        *b.field("school_kan_niet"),
        *b.field("betrokkenen"),
        b.text("afspraken_intro"),
    ]


def _closing(b: _Builder) -> list[str]:
    return [b.text("afsluiting_check"), b.text("afsluiting_samenvatten")]


def _normal_parts(b: _Builder) -> dict[str, list[str]]:
    return {
        "opening": [
            *_interpreter(b),
            *_welcome(b),
            *_positives(b),
            *b.field("trots", "trots_ouders"),
            *b.field("doel"),
            *b.field("niet_doel"),
        ],
        "zorg": [b.text("zorg_intro"), *b.field("boodschap"), *_concern(b)],
        "ouders": _parents(b, with_emotions=True),
        "leerling": _student(b),
        "doel": _goal(b, with_talk_goal=False),
        "afspraken": _agreements(b),
        "afsluiting": _closing(b),
    }


def _bad_news_parts(b: _Builder) -> dict[str, list[str]]:
    return {
        "welkom": [*_interpreter(b), *_welcome(b), b.text("welkom_kort")],
        "boodschap": [b.text("boodschap_intro"), *b.field("boodschap")],
        "reactie": [b.text("reactie_intro"), *_emotions(b)],
        "zorg": _concern(b),
        "ouders": _parents(b, with_emotions=False),
        "leerling": _student(b),
        "positief": [b.text("positief_later"), *_positives(b), *b.field("trots", "trots_ouders")],
        "doel": _goal(b, with_talk_goal=True),
        "afspraken": _agreements(b),
        "afsluiting": _closing(b),
    }


def build_flow(answers: dict[str, str], context: dict[str, Any]) -> list[dict[str, Any]]:
    """The parts of the talk in order: [{"key", "titel", "regels": [str], "minuten": int | None}].

    `answers` are the preparation's fields (see the contract of issue 16), `context` gives at least
    "roepnaam" (and "soort", "tolk_taal" as fallbacks). Minutes are spread over the parts by weight and
    sum to the planned `duur`; without a `duur` they are None. A part without lines is left out.
    """
    b = _Builder(answers, context)
    soort = b.answers.get("soort") or _clean((context or {}).get("soort"))
    variant = "slecht_nieuws" if soort == BAD_NEWS else "normaal"
    flow = _content()["flow"]
    parts = _bad_news_parts(b) if variant == "slecht_nieuws" else _normal_parts(b)

    student_present = b.answers.get("leerling_erbij") in ("ja", "deels")
    to_part = flow["fase_naar"][variant]
    for q in _chosen(b.answers):
        target = q["fase"] if q["fase"] in parts else to_part.get(q["fase"], "ouders")
        if q["aan"] == "leerling" and not student_present:
            parts["leerling"].append(b.text("vraag_later", vraag=q["tekst"]))
        else:
            parts[target].append(q["tekst"])

    keys = [key for key in flow["volgorde"][variant] if parts.get(key)]
    weights = [flow["volgorde"][variant][key] for key in keys]
    minutes = planned_minutes(b.answers.get("duur"))
    spread = _spread(minutes, weights) if minutes else [None] * len(keys)
    title_keys = {"zorg": "zorg_slecht_nieuws"} if variant == "slecht_nieuws" else {}
    return [
        {"key": key, "titel": b.title(title_keys.get(key, key)), "regels": parts[key], "minuten": spread[i]}
        for i, key in enumerate(keys)
    ]


def interpreter_note() -> str:
    """For the preparation step Praktisch (never on the sheet): how to arrange an interpreter."""
    return " ".join(_content()["flow"]["tolk_voorbereiding"].split())


def worked_examples() -> list[dict[str, Any]]:
    """The two fictional worked examples: [{"id", "titel", "soort", "answers": {field: text}}]."""
    import yaml

    data = yaml.safe_load(EXAMPLES.read_text(encoding="utf-8"))
    examples = []
    for example in data["voorbeelden"]:
        answers = {key: str(value).strip() for key, value in example["answers"].items() if value is not None}
        answers.setdefault("soort", example["soort"])
        examples.append(
            {
                "id": example["id"],
                "titel": example["titel"],
                "soort": example["soort"],
                "context": dict(example.get("context") or {}),
                "answers": answers,
            }
        )
    return examples
