"""The kenniskring (issue 18): a trainer steps a room of phones through short activities.

Built on the live sessions of `stip.live` (a session of kind "kenniskring"); no widgets here, and only the
session tables (`live_session`, `session_item`, `participant`, `answer`) are touched: the participant app
imports this module for its phone pages.

Mapping onto the live-session tables (also in /tmp/tools/LIVE_CONTRACT.md, "## Kenniskring"):
- The programme is `live_session.settings["activiteiten"]`: a list, in order, of
  `{"key", "titel", "kind", "source", "instruction"}`; `settings` also holds `plaats` and `scholen`.
- Every question of an activity is a `session_item` with `theme` = the activity's key and `kind` = the
  activity's kind; items of one activity are ordered by `position`. Item keys are "<activity>.<n>" (the
  standard programme) or "<activity>.eigen<n>" (added by the trainer): stable, so a terugkomsessie
  compares per activity key and item key. A removed item is switched off (`enabled` False), a removed
  activity leaves the list and its items are switched off: answers already given are never deleted.
- `live_session.current_position` is the index of the activity on the screen now, `answering_open`
  whether phones may answer it. Every step (`go_next`, `go_previous`, `go_to`, `open_answering`,
  `close_answering`, every edit) bumps `live_version`, which the projector and the phones poll. Moving to
  another activity opens answering for it; the trainer closes it when the room should look at the results.
- Answers: `save_answer` here (not `live.save_answer` directly) also refuses an item that is not part of
  the current activity, so a phone left on an old page cannot change an activity the room has passed.

Kinds and their answers (`answer.waarde` / `answer.tekst`):
  stelling   waarde eens | oneens | weet_niet, tekst an optional reason
  tip        waarde doe_ik_al | wil_ik_proberen | past_niet
  casus      tekst: the plan or the first sentence one would say
  woordwolk  tekst: a few words
  voornemen  tekst: one intention for the coming weeks

Results are anonymous: any split, count or text of an activity is shown only when at least
`live.MIN_GROUP` participants answered that activity. Texts are sorted alphabetically (the order of
answering would say who wrote what). Results, the report and the CSV take a fixed number of statements,
however many participants or activities there are.
"""

from __future__ import annotations

import re
import secrets
from collections import Counter, defaultdict
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, insert, select, true, update

from stip import live
from stip.i18n import t
from stip.store.tables import answer as A
from stip.store.tables import live_session as S
from stip.store.tables import participant as P
from stip.store.tables import session_item as I
from stip.validation import check_text, check_texts

if TYPE_CHECKING:
    from stip.schools import Actor

__all__ = [
    "KIND",
    "ACTIVITY_KINDS",
    "OPTIONS",
    "KenniskringError",
    "standard_programme",
    "start",
    "activities",
    "add_activity",
    "edit_activity",
    "remove_activity",
    "move_activity",
    "add_item",
    "edit_item",
    "remove_item",
    "current",
    "go_next",
    "go_previous",
    "go_to",
    "open_answering",
    "close_answering",
    "phone_view",
    "save_answer",
    "voornemen_text",
    "voornemen_mailto",
    "activity_results",
    "all_results",
    "word_frequencies",
    "report_html",
    "report_pdf",
    "answers_csv",
    "compare",
    "set_previous",
    "earlier_sessions",
    "participants_count",
    "option_label",
    "kind_label",
]

KIND = "kenniskring"
ACTIVITY_KINDS = ("stelling", "tip", "casus", "woordwolk", "voornemen")
OPTIONS = {
    "stelling": ("eens", "oneens", "weet_niet"),
    "tip": ("doe_ik_al", "wil_ik_proberen", "past_niet"),
    "casus": (),
    "woordwolk": (),
    "voornemen": (),
}
OPTION_LABELS = {
    "eens": "kenniskring.option.eens",
    "oneens": "kenniskring.option.oneens",
    "weet_niet": "kenniskring.option.weet_niet",
    "doe_ik_al": "kenniskring.option.doe_ik_al",
    "wil_ik_proberen": "kenniskring.option.wil_ik_proberen",
    "past_niet": "kenniskring.option.past_niet",
}
KIND_LABELS = {
    "stelling": "kenniskring.kind.stelling",
    "tip": "kenniskring.kind.tip",
    "casus": "kenniskring.kind.casus",
    "woordwolk": "kenniskring.kind.woordwolk",
    "voornemen": "kenniskring.kind.voornemen",
}
KEY_PATTERN = re.compile(r"[^a-z0-9_]+")
CSV_HEADERS = (
    "kenniskring.csv_activiteit",
    "kenniskring.csv_soort",
    "kenniskring.csv_vraag",
    "kenniskring.csv_antwoord",
    "kenniskring.csv_tekst",
    "kenniskring.csv_deelnemer",
)
PATTERN_KEYS = {
    "doe_ik_al": "kenniskring.pattern_doe_ik_al",
    "wil_ik_proberen": "kenniskring.pattern_wil_ik_proberen",
    "past_niet": "kenniskring.pattern_past_niet",
}
MAX_TITLE = 120
MAX_INSTRUCTION = 600
MAX_CLOUD_WORDS = 40
PDF_HALO = ' stroke="#ffffff" stroke-width="3" paint-order="stroke"'  # as stip.charts draws it
MIN_WORD_LENGTH = 2

# Dutch words that say nothing in a word cloud (articles, pronouns, auxiliaries, small connecting words).
STOP_WORDS = frozenset(
    """
    de het een en of maar want dus dat die dit deze daar hier er ook nog al wel niet geen nooit
    ik je jij u hij zij ze wij we jullie hun hen hem haar mijn mij me jouw jou uw ons onze zijn
    is ben bent was waren wordt worden werd zal zullen zou zouden kan kun kunt kunnen moet moeten
    mag mogen wil wilt willen heb hebt heeft hebben had hadden doe doet doen gaat gaan ga
    van in op aan met voor bij naar om uit over door tot tegen onder tussen na zonder als dan
    te toe wat wie waar hoe welk welke wanneer waarom zo heel veel meer meest erg echt gewoon
    iets niets alles iemand men elk elke ieder iedere alle andere ander even nu toen straks
    """.split()
)

WORD = re.compile(r"[0-9a-zà-öø-ÿ]+(?:[-'][0-9a-zà-öø-ÿ]+)*")


class KenniskringError(live.LiveError):
    """A refused kenniskring action, with a Dutch catalog text (stip/i18n/nl/kenniskring.json)."""


def option_label(value: str) -> str:
    key = OPTION_LABELS.get(value)
    return t(key) if key else value


def kind_label(kind: str) -> str:
    key = KIND_LABELS.get(kind)
    return t(key) if key else kind


# ------------------------------------------------------------------------------------------- programme


def standard_programme() -> list[dict[str, Any]]:
    """Stip's 90-minute programme from content/nl/kenniskring.yaml: activities in order, each with
    key, titel, kind, source, instruction, minuten and items (key, tekst)."""
    from stip import content  # yaml: only the trainer's side loads content

    data = content.load("kenniskring")
    programme = []
    for activity in data["activiteiten"]:
        programme.append(
            {
                "key": activity["key"],
                "titel": activity["titel"],
                "kind": activity["kind"],
                "source": " ".join(activity["bron"].split()),
                "instruction": " ".join(activity["instructie"].split()),
                "minuten": int(activity.get("minuten", 0)),
                "items": [
                    {"key": f"{activity['key']}.{number}", "tekst": " ".join(text.split())}
                    for number, text in enumerate(activity["items"], start=1)
                ],
            }
        )
    return programme


def _activity_entry(activity: dict[str, Any]) -> dict[str, Any]:
    kind = activity.get("kind")
    if kind not in ACTIVITY_KINDS:
        raise KenniskringError("kenniskring.unknown_kind", field="kind")
    titel = " ".join(str(activity.get("titel") or "").split())
    if not titel:
        raise KenniskringError("kenniskring.titel_required", field="titel")
    if len(titel) > MAX_TITLE:
        raise KenniskringError("validation.too_long", field="titel", limit=MAX_TITLE, length=len(titel))
    instruction = check_text(
        "instruction", str(activity.get("instruction") or "").strip(), I.c.tekst, error=KenniskringError
    )
    if len(instruction) > MAX_INSTRUCTION:
        raise KenniskringError(
            "validation.too_long", field="instruction", limit=MAX_INSTRUCTION, length=len(instruction)
        )
    source = check_texts(I, {"source": str(activity.get("source") or "").strip()}, error=KenniskringError)
    return {
        "key": str(activity["key"]),
        "titel": titel,
        "kind": kind,
        "source": source["source"],
        "instruction": instruction,
        "minuten": int(activity.get("minuten") or 0),
    }


def _item_row(activity: dict[str, Any], key: str, tekst: str) -> dict[str, Any]:
    tekst = check_texts(I, {"tekst": " ".join(str(tekst or "").split())}, error=KenniskringError)["tekst"]
    if not tekst:
        raise KenniskringError("kenniskring.tekst_required", field="tekst")
    return {
        "key": key,
        "kind": activity["kind"],
        "theme": activity["key"],
        "tekst": tekst,
        "options": list(OPTIONS[activity["kind"]]),
        "source": activity["source"],
    }


def _slug(text: str) -> str:
    return KEY_PATTERN.sub("_", text.lower()).strip("_")[:40] or "activiteit"


def start(
    conn: Connection,
    actor: Actor,
    naam: str,
    held_on: date | None = None,
    plaats: str = "",
    scholen: list[str] | None = None,
    activities: list[dict[str, Any]] | None = None,
    previous_id: int | None = None,
) -> dict[str, Any]:
    """A new kenniskring session with its programme: `activities` None is Stip's standard programme;
    otherwise a list of activities like `standard_programme()` gives (the trainer's own; items may be
    plain strings). `previous_id` is the earlier session a terugkomsessie returns to. One executemany
    for the items. Starts on the first activity with answering open."""
    if previous_id is not None:
        earlier = live.get_session(conn, previous_id)
        if earlier is None or earlier["school_id"] != actor.school_id or earlier["kind"] != KIND:
            raise KenniskringError("kenniskring.previous_not_found", field="previous_id")
    programme = standard_programme() if activities is None else activities
    plaats = check_texts(S, {"naam": " ".join((plaats or "").split())}, error=KenniskringError)["naam"]
    schools = []
    for school in scholen or []:
        school = " ".join(str(school).split())
        if school:
            schools.append(check_texts(S, {"naam": school}, error=KenniskringError)["naam"])
    entries, rows, seen = [], [], set()
    for activity in programme:
        activity = dict(activity)
        activity.setdefault("key", _slug(activity.get("titel") or ""))
        base, n = activity["key"], 2
        while activity["key"] in seen:
            activity["key"] = f"{base}_{n}"
            n += 1
        seen.add(activity["key"])
        entry = _activity_entry(activity)
        entries.append(entry)
        for number, item in enumerate(activity.get("items") or [], start=1):
            text = item["tekst"] if isinstance(item, dict) else item
            key = item.get("key") if isinstance(item, dict) else None
            rows.append(_item_row(entry, key or f"{entry['key']}.{number}", text))
    settings = {"activiteiten": entries, "plaats": plaats, "scholen": schools}
    return live.start_session(
        conn, actor, KIND, naam, held_on, items=rows, previous_id=previous_id, settings=settings
    )


def _own(conn: Connection, actor: Actor, session_id: int) -> dict[str, Any]:
    session = live.get_session(conn, session_id)
    if session is None or session["school_id"] != actor.school_id or session["kind"] != KIND:
        raise KenniskringError("kenniskring.session_not_found")
    return session


def _open_own(conn: Connection, actor: Actor, session_id: int) -> dict[str, Any]:
    session = _own(conn, actor, session_id)
    if session["status"] != "open":
        raise KenniskringError("live.closed")
    return session


def activities(session: dict[str, Any]) -> list[dict[str, Any]]:
    """The session's programme, in order."""
    return list((session.get("settings") or {}).get("activiteiten") or [])


def _save_settings(conn: Connection, session: dict[str, Any], **changes: Any) -> None:
    settings = dict(session["settings"])
    settings.update(changes)
    values: dict[str, Any] = {"settings": settings, "live_version": S.c.live_version + 1}
    if "activiteiten" in changes:  # keep the current position on the programme
        count = len(changes["activiteiten"])
        values["current_position"] = min(session["current_position"], max(count - 1, 0))
    conn.execute(update(S).where(S.c.id == session["id"]).values(**values))


def _find(session: dict[str, Any], key: str) -> tuple[int, dict[str, Any]]:
    for index, activity in enumerate(activities(session)):
        if activity["key"] == key:
            return index, activity
    raise KenniskringError("kenniskring.activity_not_found")


def add_activity(
    conn: Connection,
    actor: Actor,
    session_id: int,
    kind: str,
    titel: str,
    instruction: str = "",
    items: list[str] | None = None,
    position: int | None = None,
) -> dict[str, Any]:
    """An own activity (before `position`, default at the end) with its items; returns the entry."""
    session = _open_own(conn, actor, session_id)
    programme = activities(session)
    existing = {a["key"] for a in programme} | set(
        conn.execute(select(I.c.theme).where(I.c.session_id == session_id).distinct()).scalars()
    )
    base = f"eigen_{_slug(titel)}"
    key, n = base, 2
    while key in existing:
        key, n = f"{base}_{n}", n + 1
    entry = _activity_entry(
        {
            "key": key,
            "titel": titel,
            "kind": kind,
            "instruction": instruction,
            "source": t("kenniskring.own_source"),
        }
    )
    rows = [_item_row(entry, f"{key}.{number}", text) for number, text in enumerate(items or [], start=1)]
    if rows:
        start_at = _next_position(conn, session_id)
        for offset, row in enumerate(rows):
            row.update(session_id=session_id, position=start_at + offset, enabled=True, marked=False)
        conn.execute(insert(I), rows)
    position = len(programme) if position is None else max(0, min(position, len(programme)))
    programme.insert(position, entry)
    _save_settings(conn, session, activiteiten=programme)
    return entry


def edit_activity(
    conn: Connection,
    actor: Actor,
    session_id: int,
    key: str,
    *,
    titel: str | None = None,
    instruction: str | None = None,
) -> dict[str, Any]:
    session = _own(conn, actor, session_id)
    programme = activities(session)
    index, activity = _find(session, key)
    changed = dict(activity)
    if titel is not None:
        changed["titel"] = titel
    if instruction is not None:
        changed["instruction"] = instruction
    entry = _activity_entry(changed)
    programme[index] = entry
    _save_settings(conn, session, activiteiten=programme)
    return entry


def remove_activity(conn: Connection, actor: Actor, session_id: int, key: str) -> None:
    """Take an activity out of the programme; its items are switched off, answers stay stored."""
    session = _own(conn, actor, session_id)
    index, _ = _find(session, key)
    programme = activities(session)
    del programme[index]
    conn.execute(update(I).where(I.c.session_id == session_id, I.c.theme == key).values(enabled=False))
    if index < session["current_position"]:
        session = dict(session, current_position=session["current_position"] - 1)
    _save_settings(conn, session, activiteiten=programme)


def move_activity(conn: Connection, actor: Actor, session_id: int, key: str, delta: int) -> None:
    """Move an activity `delta` places (−1 earlier, +1 later); the current activity stays current."""
    session = _own(conn, actor, session_id)
    index, activity = _find(session, key)
    programme = activities(session)
    target = max(0, min(index + delta, len(programme) - 1))
    if target == index:
        return
    current_key = programme[session["current_position"]]["key"] if programme else None
    del programme[index]
    programme.insert(target, activity)
    position = next((i for i, a in enumerate(programme) if a["key"] == current_key), 0)
    _save_settings(conn, dict(session, current_position=position), activiteiten=programme)


def _next_position(conn: Connection, session_id: int) -> int:
    last = conn.execute(select(func.max(I.c.position)).where(I.c.session_id == session_id)).scalar()
    return (last if last is not None else -1) + 1


def add_item(
    conn: Connection, actor: Actor, session_id: int, activity_key: str, tekst: str
) -> dict[str, Any]:
    """An own statement, tip, case or question at the end of an activity (key "<activity>.eigen<n>")."""
    session = _open_own(conn, actor, session_id)
    _, activity = _find(session, activity_key)
    keys = conn.execute(
        select(I.c.key).where(I.c.session_id == session_id, I.c.theme == activity_key)
    ).scalars()
    prefix = f"{activity_key}.eigen"
    numbers = [int(k[len(prefix) :]) for k in keys if k.startswith(prefix) and k[len(prefix) :].isdigit()]
    row = _item_row(activity, f"{prefix}{max(numbers, default=0) + 1}", tekst)
    row.update(session_id=session_id, position=_next_position(conn, session_id), author_id=actor.id)
    item_id = conn.execute(insert(I).values(**row)).inserted_primary_key[0]
    conn.execute(update(S).where(S.c.id == session_id).values(live_version=S.c.live_version + 1))
    return {"id": item_id, **{k: row[k] for k in ("key", "kind", "theme", "tekst", "options", "source")}}


def edit_item(conn: Connection, actor: Actor, session_id: int, item_id: int, tekst: str) -> None:
    _own(conn, actor, session_id)
    tekst = check_texts(I, {"tekst": " ".join((tekst or "").split())}, error=KenniskringError)["tekst"]
    if not tekst:
        raise KenniskringError("kenniskring.tekst_required", field="tekst")
    changed = conn.execute(
        update(I).where(I.c.id == item_id, I.c.session_id == session_id).values(tekst=tekst)
    ).rowcount
    if not changed:
        raise KenniskringError("live.item_not_found")
    conn.execute(update(S).where(S.c.id == session_id).values(live_version=S.c.live_version + 1))


def remove_item(conn: Connection, actor: Actor, session_id: int, item_id: int) -> None:
    """Switch an item off (its answers stay stored, but it is no longer shown or counted)."""
    live.set_item_enabled(conn, actor, session_id, item_id, False)


# ---------------------------------------------------------------------------------------- the steps


def _grouped(item_list: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in item_list:
        grouped[item["theme"]].append(item)
    return grouped


def current(conn: Connection, session_id: int) -> dict[str, Any]:
    """Where the session is now: {"session", "position", "count", "activity" (None for an empty
    programme), "items" (of the current activity), "answering_open", "status", "live_version"}.
    Two statements."""
    session = live.get_session(conn, session_id)
    if session is None or session["kind"] != KIND:
        raise KenniskringError("kenniskring.session_not_found")
    programme = activities(session)
    position = min(session["current_position"], max(len(programme) - 1, 0))
    activity = programme[position] if programme else None
    item_list = []
    if activity is not None:
        item_list = [
            i for i in live.items(conn, session_id) if i["theme"] == activity["key"]
        ]  # one statement; small
    return {
        "session": session,
        "position": position,
        "count": len(programme),
        "activity": activity,
        "items": item_list,
        "answering_open": session["answering_open"],
        "status": session["status"],
        "live_version": session["live_version"],
    }


def go_to(conn: Connection, actor: Actor, session_id: int, position: int) -> int:
    """Show activity `position` (clamped to the programme) and open answering for it."""
    session = _own(conn, actor, session_id)
    count = len(activities(session))
    position = max(0, min(int(position), max(count - 1, 0)))
    if position == session["current_position"] and session["answering_open"]:
        return position
    conn.execute(
        update(S)
        .where(S.c.id == session_id)
        .values(current_position=position, answering_open=True, live_version=S.c.live_version + 1)
    )
    return position


def go_next(conn: Connection, actor: Actor, session_id: int) -> int:
    """The next activity (the last one stays: nothing changes at the end)."""
    session = _own(conn, actor, session_id)
    if session["current_position"] >= len(activities(session)) - 1:
        return session["current_position"]
    return go_to(conn, actor, session_id, session["current_position"] + 1)


def go_previous(conn: Connection, actor: Actor, session_id: int) -> int:
    """The activity before (the first one stays)."""
    session = _own(conn, actor, session_id)
    if session["current_position"] <= 0:
        return 0
    return go_to(conn, actor, session_id, session["current_position"] - 1)


def _set_answering(conn: Connection, actor: Actor, session_id: int, value: bool) -> None:
    _own(conn, actor, session_id)
    conn.execute(
        update(S).where(S.c.id == session_id).values(answering_open=value, live_version=S.c.live_version + 1)
    )


def open_answering(conn: Connection, actor: Actor, session_id: int) -> None:
    _set_answering(conn, actor, session_id, True)


def close_answering(conn: Connection, actor: Actor, session_id: int) -> None:
    _set_answering(conn, actor, session_id, False)


# ------------------------------------------------------------------------------------ the phone side


def phone_view(conn: Connection, session_id: int, token: str) -> dict[str, Any]:
    """What a phone must show now (for the participant app): {"naam", "status", "live_version",
    "position", "count", "answering_open", "activity" ({key, titel, kind, instruction, source} or
    None), "items" ([{id, key, kind, tekst, options: [{"value", "label"}]}]), "mine" ({item_id:
    {"waarde", "tekst"}} of this token; empty for a new phone)}. Three statements; reads only."""
    now = current(conn, session_id)
    mine = live.my_answers(conn, session_id, token) if token else {}
    session = now["session"]
    activity = now["activity"]
    return {
        "naam": session["naam"],
        "status": session["status"],
        "live_version": session["live_version"],
        "position": now["position"],
        "count": now["count"],
        "answering_open": bool(session["answering_open"]) and session["status"] == "open",
        "activity": None
        if activity is None
        else {k: activity.get(k, "") for k in ("key", "titel", "kind", "instruction", "source")},
        "items": [
            {
                "id": item["id"],
                "key": item["key"],
                "kind": item["kind"],
                "tekst": item["tekst"],
                "options": [{"value": o, "label": option_label(o)} for o in item["options"]],
            }
            for item in now["items"]
        ],
        "mine": {item["id"]: mine[item["id"]] for item in now["items"] if item["id"] in mine},
    }


def save_answer(
    conn: Connection, session_id: int, token: str, item_id: int, waarde: str = "", tekst: str = ""
) -> None:
    """One answer from a phone (an upsert: sending it twice is harmless). Refused with a Dutch
    message when the session is closed, answering is closed, or the item is not part of the current
    activity; the participant row is made on the first answer. Bumps live_version (in live)."""
    session = live.get_session(conn, session_id)
    if session is None or session["kind"] != KIND:
        raise KenniskringError("kenniskring.session_not_found")
    if session["status"] != "open":
        raise KenniskringError("live.closed")
    if not session["answering_open"]:
        raise KenniskringError("live.answering_closed")
    programme = activities(session)
    position = min(session["current_position"], max(len(programme) - 1, 0))
    theme = conn.execute(
        select(I.c.theme).where(I.c.id == item_id, I.c.session_id == session_id, I.c.enabled == true())
    ).scalar()
    if theme is None:
        raise KenniskringError("live.item_not_found")
    if not programme or programme[position]["key"] != theme:
        raise KenniskringError("kenniskring.not_current")
    live.participant(conn, session_id, token, create=True)
    live.save_answer(conn, session_id, token, item_id, waarde, tekst)


def voornemen_text(conn: Connection, session_id: int, token: str) -> str:
    """This phone's intention(s) as plain text, to download or mail to oneself ("" when none)."""
    session = live.get_session(conn, session_id)
    if session is None:
        return ""
    mine = live.my_answers(conn, session_id, token)
    texts = [
        mine[item["id"]]["tekst"]
        for item in live.items(conn, session_id)
        if item["kind"] == "voornemen" and item["id"] in mine and mine[item["id"]]["tekst"]
    ]
    if not texts:
        return ""
    head = t("kenniskring.voornemen_head", naam=session["naam"])
    return head + "\n\n" + "\n\n".join(texts) + "\n"


def voornemen_mailto(conn: Connection, session_id: int, token: str) -> str:
    """A `mailto:` link (no address: the participant fills in their own) with this phone's intention as
    the body, for "mail het naar jezelf" on the phone page; "" when there is none."""
    from urllib.parse import quote

    body = voornemen_text(conn, session_id, token)
    if not body:
        return ""
    subject = t("kenniskring.voornemen_subject")
    return f"mailto:?subject={quote(subject)}&body={quote(body)}"


# ----------------------------------------------------------------------------------------- results


def word_frequencies(texts: list[str], limit: int = MAX_CLOUD_WORDS) -> list[tuple[str, int]]:
    """(word, count) most frequent first, Dutch stop words and one-letter words left out; ties
    alphabetical. A word counts once per answer."""
    counts: Counter[str] = Counter()
    for text in texts:
        words = {w.strip("-'") for w in WORD.findall(text.lower())}
        counts.update(w for w in words if len(w) >= MIN_WORD_LENGTH and w not in STOP_WORDS)
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]


def _load(
    conn: Connection, session_id: int, *, position: int | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]], list]:
    """Session, enabled items, and every answer to them (item_id, participant_id, waarde, tekst):
    three statements. With `position` only that activity's items and answers."""
    session = live.get_session(conn, session_id)
    if session is None or session["kind"] != KIND:
        raise KenniskringError("kenniskring.session_not_found")
    query = (
        select(A.c.item_id, A.c.participant_id, A.c.waarde, A.c.tekst)
        .select_from(A.join(I, I.c.id == A.c.item_id))
        .where(A.c.session_id == session_id, I.c.enabled == true())
    )
    item_list = live.items(conn, session_id)
    if position is not None:
        programme = activities(session)
        if not 0 <= position < len(programme):
            raise KenniskringError("kenniskring.activity_not_found")
        key = programme[position]["key"]
        item_list = [item for item in item_list if item["theme"] == key]
        query = query.where(I.c.theme == key)
    return session, item_list, conn.execute(query).all()


def _activity_result(activity: dict[str, Any], item_list: list[dict[str, Any]], rows: list) -> dict[str, Any]:
    ids = {item["id"] for item in item_list}
    mine = [r for r in rows if r.item_id in ids]
    people = {r.participant_id for r in mine}
    hidden = len(people) < live.MIN_GROUP
    kind = activity["kind"]
    by_item: dict[int, list] = defaultdict(list)
    if not hidden:
        for r in mine:
            by_item[r.item_id].append(r)
    result_items = []
    for item in item_list:
        answers = by_item[item["id"]]
        entry: dict[str, Any] = {
            "id": item["id"],
            "key": item["key"],
            "tekst": item["tekst"],
            "n": len(answers),
        }
        if kind in ("stelling", "tip"):
            options = OPTIONS[kind]
            entry["antwoorden"] = {o: sum(1 for r in answers if r.waarde == o) for o in options}
            entry["n"] = sum(entry["antwoorden"].values())
        if kind == "stelling":
            reasons: dict[str, list[str]] = {o: [] for o in (*OPTIONS["stelling"], "")}
            for r in answers:
                if r.tekst:
                    reasons[r.waarde if r.waarde in reasons else ""].append(r.tekst)
            entry["redenen"] = {o: sorted(texts, key=str.lower) for o, texts in reasons.items()}
        if kind in ("stelling", "tip") and 0 < entry["n"] < live.MIN_GROUP:
            # a statement or tip that only 1 or 2 of the room answered: no split of so few people
            entry["verborgen"] = True
            entry["antwoorden"] = dict.fromkeys(entry["antwoorden"], 0)
            if "redenen" in entry:
                entry["redenen"] = {o: [] for o in entry["redenen"]}
        if kind == "tip":
            counts = entry["antwoorden"]
            entry["meeste"] = (
                max(OPTIONS["tip"], key=lambda o: counts[o])
                if entry["n"] and not entry.get("verborgen")
                else None
            )
        if kind in ("casus", "woordwolk", "voornemen"):
            texts = sorted((r.tekst for r in answers if r.tekst), key=str.lower)
            entry["teksten"] = texts
            entry["n"] = len(texts)
        if kind == "woordwolk":
            entry["woorden"] = word_frequencies(entry["teksten"])
        result_items.append(entry)
    result: dict[str, Any] = {
        "activity": activity,
        "kind": kind,
        "deelnemers": len(people),
        "verborgen": hidden,
        "min_groep": live.MIN_GROUP,
        "items": result_items,
    }
    if kind == "tip":  # the room's pattern: what most already do, most want to try, least fits
        counted = [i for i in result_items if i["n"] and not i.get("verborgen")]

        def top(option: str) -> list[int]:  # only tips where this option beats each other one
            ranked = sorted(counted, key=lambda i: (-i["antwoorden"][option] / i["n"], i["tekst"]))
            return [i["id"] for i in ranked if _leads(i["antwoorden"], option)][:3]

        result["patroon"] = {option: top(option) for option in OPTIONS["tip"]}
    if kind == "woordwolk":
        result["woorden"] = word_frequencies([x for i in result_items for x in i["teksten"]])
    return result


def _leads(counts: dict[str, int], option: str) -> bool:
    """More answers for `option` than for every other option: a 1/1/1 tie leads nowhere, so a tip is
    never under "most already do" and "fits least" at once."""
    return all(counts[option] > n for other, n in counts.items() if other != option)


def all_results(conn: Connection, session_id: int) -> dict[str, Any]:
    """Every activity's results in programme order: {"session", "deelnemers" (who answered anything),
    "activities": [activity_results …]}. Three statements, whatever the size of room or programme."""
    session, item_list, rows = _load(conn, session_id)
    grouped = _grouped(item_list)
    return {
        "session": session,
        "deelnemers": len({r.participant_id for r in rows}),
        "activities": [_activity_result(a, grouped.get(a["key"], []), rows) for a in activities(session)],
    }


def activity_results(conn: Connection, session_id: int, position: int) -> dict[str, Any]:
    """The results of the activity at `position` (see the module docstring); per kind:
    stelling: per item "antwoorden" {eens, oneens, weet_niet}, "n", "redenen" {option: [texts]};
    tip: per item "antwoorden" {doe_ik_al, wil_ik_proberen, past_niet}, "meeste", and "patroon"
    {option: [item ids, highest share first, max 3]}; casus / voornemen: per item "teksten";
    woordwolk: per item "teksten" and "woorden", and "woorden" of the whole activity. Everything is
    empty and "verborgen" True while fewer than MIN_GROUP answered. Three statements."""
    session, item_list, rows = _load(conn, session_id, position=position)
    return _activity_result(activities(session)[position], item_list, rows)


# ------------------------------------------------------------------------------------------ report

REPORT_CSS = """
@page { size: A4; margin: 14mm 15mm; @bottom-right { content: counter(page) " / " counter(pages);
  font-size: 8pt; color: #5b6470; } }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #1d2733; margin: 0;
  line-height: 1.35; }
h1 { font-size: 18pt; color: #1f4e79; margin: 0 0 1mm; }
h2 { font-size: 13pt; color: #1f4e79; margin: 0 0 1mm; }
h3 { font-size: 10.5pt; margin: 3mm 0 1mm; }
.meta, .muted, .source { color: #5b6470; }
.source { font-size: 8.5pt; }
section.activity { border-top: 2px solid #1f4e79; padding-top: 3mm; margin-top: 6mm; }
.chart { margin: 1mm 0 3mm; page-break-inside: avoid; }
.chart svg { width: 100%; height: auto; max-width: 175mm; }
table.counts { border-collapse: collapse; margin: 1mm 0 3mm; font-size: 9pt; }
table.counts th, table.counts td { border: 1px solid #c9d3de; padding: 1mm 2mm; text-align: left;
  vertical-align: top; }
table.counts td.n { text-align: right; }
ul.texts { margin: 1mm 0 3mm; padding-left: 5mm; }
ul.texts li { margin: 0 0 1mm; }
.cloud { line-height: 1.6; margin: 2mm 0; }
.cloud span { display: inline-block; margin: 0 2mm; color: #1f4e79; }
.hidden { color: #5b6470; font-style: italic; }
@media screen { body { background: #eef1f5; } main { background: white; max-width: 185mm;
  margin: 8mm auto; padding: 12mm 15mm; box-shadow: 0 1px 4px #0003; } }
"""


def _e(value: object) -> str:
    from html import escape

    return escape(str(value if value is not None else ""), quote=True)


def _series(kind: str):
    from stip import charts

    fills = {
        "eens": ("#0072B2", False, "#ffffff"),
        "oneens": ("#D55E00", True, "#000000"),
        "weet_niet": ("#eeeeee", False, "#000000"),
        "doe_ik_al": ("#0072B2", False, "#ffffff"),
        "wil_ik_proberen": ("#9DC3E6", False, "#000000"),
        "past_niet": ("#eeeeee", False, "#000000"),
    }
    return [charts.Series(o, option_label(o), *fills[o]) for o in OPTIONS[kind]]


def _chart_label(kind: str, text: str) -> str:
    """A tip card's name ("Gouden mail — stuur …" → "Gouden mail"): the chart stays readable from the back
    of the room; the full text is in the table and the report."""
    if kind == "tip" and " — " in text:
        return text.split(" — ", 1)[0]
    return text


def results_chart(result: dict[str, Any], *, width: int = 760, label_chars: int = 46) -> str:
    """The SVG of a stelling or tip activity: one 100% bar per statement or tip ("" for other kinds).
    A narrower `width` draws larger text where the chart is stretched (the projector)."""
    from stip import charts

    kind = result["kind"]
    if kind not in ("stelling", "tip") or result["verborgen"]:
        return ""
    rows = [
        (
            _chart_label(kind, item["tekst"])
            + (f" ({t('kenniskring.item_hidden', minimum=live.MIN_GROUP)})" if item.get("verborgen") else ""),
            item["antwoorden"],
        )
        for item in result["items"]
    ]
    return charts.distribution(
        result["activity"]["titel"],
        t("kenniskring.chart_desc", count=result["deelnemers"]),
        rows,
        _series(kind),
        width=width,
        label_chars=label_chars,
        max_label_lines=4,
        empty_text=t("kenniskring.no_answers"),
    )


def cloud_html(words: list[tuple[str, int]]) -> str:
    """Words sized by how often they were given (HTML, no script, every word escaped)."""
    if not words:
        return ""
    peak = max(n for _, n in words)
    spans = []
    for word, n in sorted(words, key=lambda pair: pair[0]):
        size = 1 + 1.6 * (n - 1) / max(peak - 1, 1) if peak > 1 else 1.2
        spans.append(f'<span style="font-size:{size:.2f}em" title="{_e(word)}: {n}">{_e(word)}</span>')
    return '<div class="cloud">' + " ".join(spans) + "</div>"


def _texts_html(texts: list[str]) -> str:
    if not texts:
        return f'<p class="muted">{_e(t("kenniskring.no_texts"))}</p>'
    lines = "".join("<li>" + _e(text).replace("\n", "<br>") + "</li>" for text in texts)
    return f'<ul class="texts">{lines}</ul>'


def activity_html(
    result: dict[str, Any], *, chart: bool = True, heading: str | None = "h2", details: bool = True
) -> str:
    """One activity's results as HTML (escaped): chart and counts, reasons, texts, word cloud.
    `heading` None leaves the title out; `details` False leaves out the table of counts and the reasons
    (for the terugkomsessie's side-by-side view, where the charts carry the comparison)."""
    activity, kind = result["activity"], result["kind"]
    parts = ['<section class="activity">']
    if heading:
        parts.append(f"<{heading}>{_e(activity['titel'])}</{heading}>")
    parts.append(
        f'<p class="meta">{_e(kind_label(kind))} · '
        f"{_e(t('kenniskring.answered', count=result['deelnemers']))}</p>"
    )
    if result["verborgen"]:
        parts.append(f'<p class="hidden">{_e(t("kenniskring.hidden", minimum=result["min_groep"]))}</p>')
    elif kind in ("stelling", "tip"):
        if chart:
            parts.append(f'<div class="chart">{results_chart(result)}</div>')
        options = OPTIONS[kind]
        head = "".join(f"<th>{_e(option_label(o))}</th>" for o in options)
        few = _e(t("kenniskring.item_hidden", minimum=live.MIN_GROUP))
        body = "".join(
            f"<tr><td>{_e(item['tekst'])}</td>"
            + (
                f'<td class="muted" colspan="{len(options)}">{few}</td>'
                if item.get("verborgen")
                else "".join(f'<td class="n">{item["antwoorden"][o]}</td>' for o in options)
            )
            + "</tr>"
            for item in result["items"]
        )
        if details:
            parts.append(
                f'<table class="counts"><thead><tr><th>{_e(t("kenniskring.col_item"))}</th>{head}'
                f"</tr></thead><tbody>{body}</tbody></table>"
            )
        if kind == "stelling" and details:
            for item in result["items"]:
                reasons = [(o, x) for o, texts in item["redenen"].items() for x in texts]
                if reasons:
                    parts.append(f"<h3>{_e(t('kenniskring.reasons_for', tekst=item['tekst']))}</h3>")
                    parts.append(
                        '<ul class="texts">'
                        + "".join(
                            f"<li>{_e(x)}"
                            + (f' <span class="muted">({_e(option_label(o))})</span>' if o else "")
                            + "</li>"
                            for o, x in reasons
                        )
                        + "</ul>"
                    )
        if kind == "tip":
            names = {item["id"]: item["tekst"] for item in result["items"]}
            for option, ids in result["patroon"].items():
                if ids:
                    parts.append(f"<h3>{_e(t(PATTERN_KEYS[option]))}</h3>")
                    parts.append(_texts_html([names[i] for i in ids]))
    else:
        if kind == "woordwolk":
            parts.append(cloud_html(result["woorden"]))
        for item in result["items"]:
            parts.append(f"<h3>{_e(item['tekst'])}</h3>")
            parts.append(_texts_html(item["teksten"]))
    parts.append(f'<p class="source">{_e(t("kenniskring.source", source=activity.get("source", "")))}</p>')
    parts.append("</section>")
    return "".join(parts)


def _meta_line(session: dict[str, Any]) -> str:
    from stip.timefmt import format_date

    settings = session["settings"]
    bits = [format_date(session["held_on"]) if session["held_on"] else "", settings.get("plaats", "")]
    line = " · ".join(b for b in bits if b)
    schools = ", ".join(settings.get("scholen") or [])
    if schools:
        line = (line + " · " if line else "") + t("kenniskring.schools", scholen=schools)
    return line


def report_html(conn: Connection, session_id: int) -> str:
    """The session report as a complete HTML page with a print stylesheet: every activity's results
    with its chart, the reasons, the cases' answers, the word cloud and the anonymous intentions."""
    results = all_results(conn, session_id)
    session = results["session"]
    body = [
        f"<h1>{_e(session['naam'])}</h1>",
        f'<p class="meta">{_e(_meta_line(session))}</p>',
        f'<p class="meta">{_e(t("kenniskring.report_people", count=results["deelnemers"]))}</p>',
        f'<p class="muted">{_e(t("kenniskring.report_intro", minimum=live.MIN_GROUP))}</p>',
    ]
    body.extend(activity_html(result) for result in results["activities"])
    title = _e(t("kenniskring.report_title", naam=session["naam"]))
    return (
        f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{REPORT_CSS}</style></head><body><main>{''.join(body)}</main></body></html>"
    )


def report_pdf(conn: Connection, session_id: int) -> bytes:
    """The report as PDF (WeasyPrint, loaded on this call only)."""
    from stip.sheets import to_pdf

    # WeasyPrint draws SVG text without `paint-order`: the white outline that keeps a number readable on
    # the screen would be painted over the number. In the PDF the numbers go without it.
    return to_pdf(report_html(conn, session_id).replace(PDF_HALO, ""))


def answers_csv(conn: Connection, session_id: int) -> bytes:
    """Every answer as a CSV row (activity, kind, item, answer, text, participant number), cells that a
    spreadsheet would read as a formula neutralised (stip.exports). Participants are numbered in a
    random order (the number says nothing about who joined when); fewer than MIN_GROUP participants:
    the header only."""
    from stip.exports import to_csv

    session, item_list, rows = _load(conn, session_id)
    headers = [t(key) for key in CSV_HEADERS]
    people = sorted({r.participant_id for r in rows})
    if len(people) < live.MIN_GROUP:
        return to_csv(headers, [])
    secrets.SystemRandom().shuffle(people)
    number = {pid: index for index, pid in enumerate(people, start=1)}
    order = {a["key"]: index for index, a in enumerate(activities(session))}
    titles = {a["key"]: a["titel"] for a in activities(session)}
    items_by_id = {i["id"]: (order.get(i["theme"], len(order)), n, i) for n, i in enumerate(item_list)}
    out = []
    for r in rows:
        if r.item_id not in items_by_id:
            continue
        rank, n, item = items_by_id[r.item_id]
        if item["theme"] not in order:
            continue
        out.append(
            (
                (rank, n, number[r.participant_id]),
                [
                    titles[item["theme"]],
                    kind_label(item["kind"]),
                    item["tekst"],
                    option_label(r.waarde) if r.waarde else "",
                    r.tekst,
                    number[r.participant_id],
                ],
            )
        )
    out.sort(key=lambda pair: pair[0])
    return to_csv(headers, [row for _, row in out])


# ------------------------------------------------------------------------------ terugkomsessie


def compare(conn: Connection, session_id: int) -> dict[str, Any]:
    """The earlier session's results (previous_id) beside this one's, per activity key:
    {"nu": {id, naam, held_on, deelnemers}, "eerder": {...} | None, "activities": [{"key", "titel",
    "kind", "nu": result, "eerder": result | None}]}. Per item, results can be matched by item key.
    Six statements."""
    now = all_results(conn, session_id)
    session = now["session"]
    earlier = None
    if session["previous_id"] is not None:
        earlier = all_results(conn, session["previous_id"])
    before = {r["activity"]["key"]: r for r in (earlier or {}).get("activities", [])}

    def head(results: dict[str, Any] | None) -> dict[str, Any] | None:
        if results is None:
            return None
        s = results["session"]
        return {
            "id": s["id"],
            "naam": s["naam"],
            "held_on": s["held_on"],
            "deelnemers": results["deelnemers"],
        }

    return {
        "nu": head(now),
        "eerder": head(earlier),
        "activities": [
            {
                "key": r["activity"]["key"],
                "titel": r["activity"]["titel"],
                "kind": r["kind"],
                "nu": r,
                "eerder": before.get(r["activity"]["key"]),
            }
            for r in now["activities"]
        ],
    }


def earlier_sessions(conn: Connection, actor: Actor, exclude: int | None = None) -> list[dict[str, Any]]:
    """The school's kenniskring sessions, newest first (for the terugkomsessie choice)."""
    return [s for s in live.sessions(conn, actor, KIND) if s["id"] != exclude]


def participants_count(conn: Connection, session_id: int) -> int:
    """How many phones joined (anyone, answered or not): one statement."""
    return conn.execute(select(func.count()).where(P.c.session_id == session_id)).scalar() or 0


def set_previous(conn: Connection, actor: Actor, session_id: int, previous_id: int | None) -> None:
    """Link (or unlink, None) the earlier kenniskring this terugkomsessie returns to."""
    _own(conn, actor, session_id)
    if previous_id is not None:
        earlier = live.get_session(conn, previous_id)
        if (
            earlier is None
            or previous_id == session_id
            or earlier["school_id"] != actor.school_id
            or earlier["kind"] != KIND
        ):
            raise KenniskringError("kenniskring.previous_not_found", field="previous_id")
    conn.execute(
        update(S)
        .where(S.c.id == session_id)
        .values(previous_id=previous_id, live_version=S.c.live_version + 1)
    )
