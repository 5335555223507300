"""The communicatieplan op maat of one family (issue 15 §1): what the student needs, the forms of contact,
who takes the initiative, whether the student is present, a review date and the moments as data.

The plan made in the startgesprek IS this plan: the same `communicatieplan` row (one per student per
school year). Its free-text `momenten` (what was typed in the talk) stays until the mentor turns it into
moment rows (`convert_momenten`); what cannot be read as a moment stays as text, so nothing is lost.

Concurrency (two pages on one plan):
- the plan's own fields are saved with the row's `version` (`update_versioned`); a page that still has
  no plan (version None) while another page made one gets a `VersionConflict` ("Herladen");
- each moment is its own row with its own version: two pages adding moments both keep theirs;
- filling the plan from a pattern or converting the free text replaces or adds moments only when the
  page knew the current plan version AND the same moment rows (`known_moment_ids`), else a conflict.

The five patterns (content/nl/communicatieplan.yaml) follow the five example students of CPS basisvorm 2,
rewritten for Stip. Services take the connection and the acting staff member; one transaction per action.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from stip import content, klassen, moments, timefmt
from stip.errors import UserError
from stip.schools import Actor, find_student
from stip.startgesprek import INITIATIEF, VORMEN
from stip.store import VersionConflict, update_versioned
from stip.store import tables as T
from stip.validation import check_texts

__all__ = [
    "VORMEN",
    "INITIATIEF",
    "LEERLING_ERBIJ",
    "CommunicatieplanError",
    "Pattern",
    "patterns",
    "pattern",
    "class_students",
    "get_plan",
    "save_plan",
    "add_moment",
    "save_moment",
    "delete_moment",
    "apply_pattern",
    "suggested_date",
    "split_momenten",
    "convert_momenten",
    "plan_start",
    "upcoming",
]

LEERLING_ERBIJ = ("ja", "nee", "soms")
PLAN_FIELDS = (
    "behoefte",
    "vormen",
    "initiatief",
    "leerling_erbij",
    "review_on",
    "notes",
    "momenten",
    "frequentie",
)
MOMENT_FIELDS = ("moment", "vorm", "initiatief")


class CommunicatieplanError(UserError):
    """A user error with a Dutch catalog text; `field` names the form field when there is one."""


# -- patterns ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str
    title: str
    voor: str
    behoefte: str
    vormen: tuple[str, ...]
    initiatief: str
    leerling_erbij: str
    review: str  # a moment as typed ("juni-evaluatie"): resolved to the review date
    momenten: tuple[tuple[str, str, str, str], ...]  # (kind, value, vorm, initiatief)
    vaste_datum: dict[str, str] = field(default_factory=dict)  # label, suggest, vorm, initiatief


def patterns() -> list[Pattern]:
    """The five patterns, in the order of the content file."""
    found = []
    for item in content.load("communicatieplan")["patterns"]:
        rows = tuple(
            (*moments.parse_moment(m["moment"]), m.get("vorm", ""), m.get("initiatief", ""))
            for m in item.get("momenten") or []
        )
        found.append(
            Pattern(
                key=item["key"],
                title=item["title"],
                voor=item["voor"].strip(),
                behoefte=item["behoefte"].strip(),
                vormen=tuple(item["vormen"]),
                initiatief=item["initiatief"],
                leerling_erbij=item["leerling_erbij"],
                review=item.get("review", ""),
                momenten=rows,
                vaste_datum=dict(item.get("vaste_datum") or {}),
            )
        )
    return found


def pattern(key: str) -> Pattern:
    for candidate in patterns():
        if candidate.key == key:
            return candidate
    raise CommunicatieplanError("communicatieplan.pattern_unknown", field="patroon")


def suggested_date(
    chosen: Pattern, calendar: moments.SchoolCalendar, today: date | None = None
) -> date | None:
    """The date a pattern with `vaste_datum` proposes: the next date of its `suggest` moment ("na
    rapport 1"), or "over N weken" from today, on a school day; None for a pattern without one."""
    suggest = (chosen.vaste_datum or {}).get("suggest")
    if not suggest:
        return None
    today = today or timefmt.today()
    if match := re.fullmatch(r"over (\d+) weken?", suggest.strip()):
        day = today + timedelta(weeks=int(match[1]))
        return calendar.school_day_from(day) or day
    found = moments.next_occurrence(moments.parse_moment(suggest), calendar, today)
    return found or calendar.school_day_from(today + timedelta(weeks=2)) or today + timedelta(weeks=2)


def _review_date(chosen: Pattern, calendar: moments.SchoolCalendar, today: date) -> date | None:
    if not chosen.review:
        return None
    found = moments.next_occurrence(moments.parse_moment(chosen.review), calendar, today)
    return found or calendar.school_day_from(today + timedelta(weeks=6))


# -- reading -------------------------------------------------------------------------------------------


def class_students(conn: Connection, actor: Actor, klas_id: int | None) -> list[dict[str, Any]]:
    """The students of a class (id, naam), by name: one statement."""
    if klas_id is None:
        return []
    s = T.student.c
    rows = conn.execute(
        select(s.id, s.roepnaam, s.tussenvoegsel, s.achternaam)
        .where(s.school_id == actor.school_id, s.klas_id == klas_id, s.left_on.is_(None))
        .order_by(s.achternaam, s.roepnaam, s.id)
    ).all()
    return [{"id": r.id, "naam": klassen.full_name(r.roepnaam, r.tussenvoegsel, r.achternaam)} for r in rows]


def _plan_row(conn: Connection, actor: Actor, student_id: int):
    cp = T.communicatieplan
    return (
        conn.execute(
            select(cp).where(
                cp.c.student_id == student_id,
                cp.c.school_year_id == actor.school_year_id,
                cp.c.school_id == actor.school_id,
            )
        )
        .mappings()
        .first()
    )


def _moment_rows(conn: Connection, plan_id: int) -> list[dict[str, Any]]:
    m = T.plan_moment
    rows = conn.execute(
        select(m.c.id, m.c.kind, m.c.value, m.c.vorm, m.c.initiatief, m.c.position, m.c.version)
        .where(m.c.communicatieplan_id == plan_id)
        .order_by(m.c.position, m.c.id)
    ).mappings()
    return [dict(r) for r in rows]


def get_plan(conn: Connection, actor: Actor, student_id: int) -> dict[str, Any] | None:
    """This year's plan of the student with its `moments` (rows with id, kind, value, vorm, initiatief,
    version, in order), or None when there is none yet. Two statements."""
    row = _plan_row(conn, actor, student_id)
    if row is None:
        return None
    plan = dict(row)
    plan["moments"] = _moment_rows(conn, plan["id"])
    return plan


def plan_start(plan: Mapping[str, Any] | None) -> date | None:
    """The day the plan was made (where "elke n weken" counts from, as the agenda does)."""
    if not plan or not plan.get("created_at"):
        return None
    return timefmt.local(plan["created_at"]).date()


def upcoming(
    plan: Mapping[str, Any], calendar: moments.SchoolCalendar, today: date | None = None, limit: int = 5
) -> list[tuple[date, dict[str, Any]]]:
    """The next dates of the plan's moments from `today` (at most `limit`), each with its moment."""
    today = today or timefmt.today()
    anchor = plan_start(plan)
    found = []
    for moment in plan.get("moments", []):
        end = date.max if moment["kind"] == "datum" else calendar.ends_on
        for day in moments.occurrences(moment, calendar, today, max(end, today), anchor=anchor):
            found.append((day, moment))
    found.sort(key=lambda pair: (pair[0], pair[1]["position"], pair[1]["id"]))
    return found[:limit]


# -- saving ----------------------------------------------------------------------------------------------


def _own(conn: Connection, actor: Actor, student_id: int) -> None:
    if find_student(conn, actor, student_id) is None:
        raise CommunicatieplanError("communicatieplan.student_not_found")


def _check_plan_values(changes: Mapping[str, Any]) -> dict[str, Any]:
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items() if k in PLAN_FIELDS}
    values = check_texts(T.communicatieplan, values, error=CommunicatieplanError)
    if "vormen" in values:
        chosen = set(values["vormen"] or [])
        if chosen - set(VORMEN):
            raise CommunicatieplanError("communicatieplan.choice_unknown", field="vormen")
        values["vormen"] = [v for v in VORMEN if v in chosen]
    if values.get("initiatief", "") not in ("", *INITIATIEF):
        raise CommunicatieplanError("communicatieplan.choice_unknown", field="initiatief")
    if values.get("leerling_erbij", "") not in ("", *LEERLING_ERBIJ):
        raise CommunicatieplanError("communicatieplan.choice_unknown", field="leerling_erbij")
    if (
        "review_on" in values
        and values["review_on"] is not None
        and not isinstance(values["review_on"], date)
    ):
        raise CommunicatieplanError("communicatieplan.date_invalid", field="review_on")
    return values


def _create(conn: Connection, actor: Actor, student_id: int, values: Mapping[str, Any]) -> int:
    return conn.execute(
        insert(T.communicatieplan).values(
            school_id=actor.school_id,
            student_id=student_id,
            school_year_id=actor.school_year_id,
            author_id=actor.id,
            **values,
        )
    ).inserted_primary_key[0]


def save_plan(
    conn: Connection, actor: Actor, student_id: int, changes: Mapping[str, Any], version: int | None
) -> int:
    """Create (version None) or update this year's plan with `changes` (behoefte, vormen, initiatief,
    leerling_erbij, review_on, notes); returns the new version. A page that had no plan while another
    page made one meanwhile gets a `VersionConflict`."""
    values = _check_plan_values(changes)
    _own(conn, actor, student_id)
    current = _plan_row(conn, actor, student_id)
    if current is None:
        if version is not None:
            raise VersionConflict()  # removed meanwhile (student left and came back): reload
        _create(conn, actor, student_id, values)
        return 1
    if version is None:
        raise VersionConflict()
    if not values:
        return version
    cp = T.communicatieplan
    return update_versioned(conn, cp, version, values, cp.c.id == current["id"], author_id=actor.id)


def _ensure_plan(conn: Connection, actor: Actor, student_id: int) -> tuple[dict[str, Any], bool]:
    """The plan, made now when there was none; and whether it was made now."""
    _own(conn, actor, student_id)
    current = _plan_row(conn, actor, student_id)
    if current is None:
        _create(conn, actor, student_id, {})
        return dict(_plan_row(conn, actor, student_id)), True
    return dict(current), False


def _moment_values(changes: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "moment" in changes:
        text = changes["moment"]
        kind, value = moments.parse_moment(text) if isinstance(text, str) else moments.check_moment(*text)
        values.update(kind=kind, value=value)
    if "vorm" in changes:
        vorm = (changes["vorm"] or "").strip()
        if vorm not in ("", *VORMEN):
            raise CommunicatieplanError("communicatieplan.choice_unknown", field="vorm")
        values["vorm"] = vorm
    if "initiatief" in changes:
        initiatief = (changes["initiatief"] or "").strip()
        if initiatief not in ("", *INITIATIEF):
            raise CommunicatieplanError("communicatieplan.choice_unknown", field="initiatief")
        values["initiatief"] = initiatief
    return values


def add_moment(
    conn: Connection,
    actor: Actor,
    student_id: int,
    moment: str | tuple[str, str],
    vorm: str = "",
    initiatief: str = "",
) -> tuple[int, bool]:
    """Add a moment (typed, "na rapport 1", or (kind, value)) to the student's plan, made when needed;
    returns (moment id, True when the plan was made now: its version is 1). The new moment's version
    is 1. Never conflicts: another page's moments stay."""
    values = _moment_values({"moment": moment, "vorm": vorm, "initiatief": initiatief})
    plan, created = _ensure_plan(conn, actor, student_id)
    m = T.plan_moment
    position = conn.execute(
        select(func.coalesce(func.max(m.c.position), 0)).where(m.c.communicatieplan_id == plan["id"])
    ).scalar_one()
    new_id = conn.execute(
        insert(m).values(
            school_id=actor.school_id,
            student_id=student_id,
            communicatieplan_id=plan["id"],
            position=position + 1,
            author_id=actor.id,
            **values,
        )
    ).inserted_primary_key[0]
    return new_id, created


def _moment_where(actor: Actor, student_id: int, moment_id: int):
    m = T.plan_moment.c
    return (m.id == moment_id, m.student_id == student_id, m.school_id == actor.school_id)


def save_moment(
    conn: Connection, actor: Actor, student_id: int, moment_id: int, changes: Mapping[str, Any], version: int
) -> int:
    """Change a moment's `moment` (typed), `vorm` and/or `initiatief`; returns its new version."""
    values = _moment_values(changes)
    if not values:
        return version
    return update_versioned(
        conn, T.plan_moment, version, values, *_moment_where(actor, student_id, moment_id), author_id=actor.id
    )


def delete_moment(conn: Connection, actor: Actor, student_id: int, moment_id: int, version: int) -> None:
    """Remove a moment; a conflict when another page changed (or removed) it meanwhile."""
    removed = conn.execute(
        delete(T.plan_moment).where(
            *_moment_where(actor, student_id, moment_id), T.plan_moment.c.version == version
        )
    ).rowcount
    if removed == 0:
        raise VersionConflict()


def _check_known(
    conn: Connection, actor: Actor, student_id: int, version: int | None, known_moment_ids: Iterable[int]
) -> dict[str, Any]:
    """The plan (made when needed) if the page knew its version and its moment rows; else a conflict."""
    current = _plan_row(conn, actor, student_id)
    if current is None:
        if version is not None or set(known_moment_ids):
            raise VersionConflict()
        return _ensure_plan(conn, actor, student_id)[0]
    if version is None or version != current["version"]:
        raise VersionConflict()
    ids = {r["id"] for r in _moment_rows(conn, current["id"])}
    if ids != set(known_moment_ids):
        raise VersionConflict()
    return dict(current)


def _insert_moments(
    conn: Connection,
    actor: Actor,
    student_id: int,
    plan_id: int,
    rows: list[tuple[str, str, str, str]],
    first: int,
) -> None:
    if not rows:
        return
    conn.execute(
        insert(T.plan_moment),
        [
            {
                "school_id": actor.school_id,
                "student_id": student_id,
                "communicatieplan_id": plan_id,
                "kind": kind,
                "value": value,
                "vorm": vorm,
                "initiatief": initiatief,
                "position": first + n,
                "author_id": actor.id,
            }
            for n, (kind, value, vorm, initiatief) in enumerate(rows)
        ],
    )


def apply_pattern(
    conn: Connection,
    actor: Actor,
    student_id: int,
    key: str,
    version: int | None,
    known_moment_ids: Iterable[int] = (),
    fixed_date: date | None = None,
    calendar: moments.SchoolCalendar | None = None,
    today: date | None = None,
) -> int:
    """Fill the plan from pattern `key`: forms, initiative, the student present or not, what the student
    needs, the review date and the moments (replacing the moments there were; the free-text `momenten`
    and the notes stay). A pattern with a fixed date gets it as a `datum` moment (`fixed_date`, or the
    suggested date). Returns the plan's new version; a conflict when the page's view was stale."""
    chosen = pattern(key)
    if fixed_date is not None and not isinstance(fixed_date, date):
        raise CommunicatieplanError("communicatieplan.date_invalid", field="vaste_datum")
    calendar = calendar or moments.school_calendar(conn, actor)
    today = today or timefmt.today()
    plan = _check_known(conn, actor, student_id, version, known_moment_ids)
    rows = list(chosen.momenten)
    if chosen.vaste_datum:
        day = fixed_date or suggested_date(chosen, calendar, today)
        fixed = chosen.vaste_datum
        rows.insert(0, ("datum", day.isoformat(), fixed.get("vorm", ""), fixed.get("initiatief", "")))
    values = {
        "patroon": chosen.key,
        "behoefte": chosen.behoefte,
        "vormen": [v for v in VORMEN if v in chosen.vormen],
        "initiatief": chosen.initiatief,
        "leerling_erbij": chosen.leerling_erbij,
        "review_on": _review_date(chosen, calendar, today),
    }
    cp = T.communicatieplan
    new_version = update_versioned(
        conn, cp, plan["version"], values, cp.c.id == plan["id"], author_id=actor.id
    )
    conn.execute(delete(T.plan_moment).where(T.plan_moment.c.communicatieplan_id == plan["id"]))
    _insert_moments(conn, actor, student_id, plan["id"], rows, 1)
    return new_version


# -- the free text of the startgesprek ---------------------------------------------------------------------

VORM_WORDS = {
    "gesprek op school": "gesprek op school",
    "op school": "gesprek op school",
    "gesprek": "gesprek op school",
    "bellen": "telefoon",
    "belafspraak": "telefoon",
    "telefonisch": "telefoon",
    "telefoon": "telefoon",
    "videobellen": "video",
    "video": "video",
    "mailen": "mail",
    "mail": "mail",
    "appen": "app",
    "app": "app",
    "huisbezoek": "huisbezoek",
}
_VORM = re.compile(r"\b(" + "|".join(sorted(VORM_WORDS, key=len, reverse=True)) + r")\b")
_SEGMENTS = re.compile(r"\s*[,;\n]+\s*")
_PARTS = re.compile(r"\s*(?:\+|\ben\b|\bdaarna\b)\s*")


def _read_part(part: str, previous: tuple[str, str, str] | None) -> tuple[str, str, str] | None:
    lowered = part.casefold()
    vorm_match = _VORM.search(lowered)
    vorm = VORM_WORDS[vorm_match[1]] if vorm_match else ""
    bare = _VORM.sub(" ", lowered).strip(" .:-")
    bare = re.sub(r"^(?:in|op|per|via|met)\s+", "", bare)
    if bare.isdigit() and previous and previous[0] == "na_rapport":  # "na rapport 1 en 2"
        bare = f"na rapport {bare}"
        vorm = vorm or previous[2]
    try:
        kind, value = moments.parse_moment(bare)
    except moments.MomentError:
        return None
    return kind, value, vorm


def split_momenten(text: str) -> tuple[list[tuple[str, str, str]], str]:
    """Read free text ("bellen na rapport 1 en 2, huisbezoek in november") as moments: a list of (kind,
    value, vorm) and the rest that is no moment ("" when everything was read). The text is cut at commas,
    semicolons and new lines; a piece is read only when all of it is moments ("na rapport 1 en 2"),
    otherwise it stays in the rest word for word."""
    found: list[tuple[str, str, str]] = []
    rest: list[str] = []
    for segment in filter(None, (p.strip() for p in _SEGMENTS.split(text or ""))):
        read: list[tuple[str, str, str]] = []
        for part in filter(None, (p.strip() for p in _PARTS.split(segment))):
            moment = _read_part(part, read[-1] if read else (found[-1] if found else None))
            if moment is None:
                read = []
                break
            read.append(moment)
        if read:
            found.extend(read)
        else:
            rest.append(segment)
    return found, ", ".join(rest)


def convert_momenten(
    conn: Connection, actor: Actor, student_id: int, version: int | None, known_moment_ids: Iterable[int]
) -> tuple[int, int]:
    """Turn the plan's free-text `momenten` into moment rows (skipping ones already there); what is not
    a moment stays as text. Returns (moments added, the plan's new version)."""
    plan = _check_known(conn, actor, student_id, version, known_moment_ids)
    found, rest = split_momenten(plan["momenten"])
    existing = {(r["kind"], r["value"]) for r in _moment_rows(conn, plan["id"])}
    rows = []
    for kind, value, vorm in found:
        if (kind, value) not in existing:
            existing.add((kind, value))
            rows.append((kind, value, vorm, ""))
    first = 1 + max([r["position"] for r in _moment_rows(conn, plan["id"])] or [0])
    _insert_moments(conn, actor, student_id, plan["id"], rows, first)
    cp = T.communicatieplan
    new_version = update_versioned(
        conn, cp, plan["version"], {"momenten": rest}, cp.c.id == plan["id"], author_id=actor.id
    )
    return len(rows), new_version
