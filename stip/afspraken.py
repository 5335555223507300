"""Agreements with a family (issue 15 §4): what, who carries it, by when, its status and an evaluation.

One service for every agreement, whichever conversation it came from: the startgesprek's agreements
(`stip.startgesprek.save_afspraak` calls this module) and those of any later talk (`conversation_id`)
or none. `eigenaar` says who carries it (school, ouders, leerling), `wie` names the person freely. At the
date the mentor evaluates: did it help (`geholpen`: ja / deels / nee), what next (`vervolg`), on which
day (`evaluated_on`, today when left empty). Every update is versioned.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, case, delete, insert, select

from stip import klassen, timefmt
from stip.errors import UserError
from stip.schools import Actor, school_year_bounds
from stip.store import tables as T
from stip.store import update_versioned
from stip.validation import check_texts

__all__ = [
    "EIGENAAR",
    "GEHOLPEN",
    "STATUS",
    "AfspraakError",
    "afspraken",
    "class_afspraken",
    "conversations_of",
    "delete_afspraak",
    "save_afspraak",
]

STATUS = ("open", "gedaan", "bijgesteld", "niet gelukt")
EIGENAAR = ("school", "ouders", "leerling")
GEHOLPEN = ("ja", "deels", "nee")
FIELDS = (
    "wat",
    "eigenaar",
    "wie",
    "wanneer",
    "status",
    "evaluatie",
    "geholpen",
    "vervolg",
    "evaluated_on",
    "conversation_id",
)
DATE_FIELDS = ("wanneer", "evaluated_on")


class AfspraakError(UserError):
    """A user error with a Dutch catalog text; `field` names the form field when there is one."""


def _check_dates(values: dict[str, Any], error) -> None:
    today = timefmt.today()
    _name, first, last = school_year_bounds(today)
    for field in DATE_FIELDS:
        if field not in values or values[field] is None:
            continue
        day = values[field]
        if not isinstance(day, date):
            raise error("afspraken.date_invalid", field=field)
        # An agreement's date lies in a school year close to this one; a typo such as 2062 is refused.
        if day < first - timedelta(days=366) or day > last + timedelta(days=366):
            raise error("afspraken.date_far", field=field)
    if values.get("evaluated_on") and values["evaluated_on"] > today:
        raise error("afspraken.evaluated_in_future", field="evaluated_on")


def save_afspraak(
    conn: Connection,
    actor: Actor,
    student_id: int,
    afspraak_id: int | None,
    values: dict[str, Any],
    version: int | None = None,
    *,
    error: type[Exception] = AfspraakError,
) -> tuple[int, int]:
    """Create (id None) or update an agreement; returns (id, version). A new one needs `wat`; an
    evaluation (`geholpen` or `vervolg`) without a day is dated today. VersionConflict when stale."""
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items() if k in FIELDS}
    values = check_texts(T.afspraak, values, error=error)
    if (afspraak_id is None or "wat" in values) and not values.get("wat"):
        raise error("afspraken.needs_wat", field="wat")
    for field, allowed in (("status", STATUS), ("eigenaar", ("", *EIGENAAR)), ("geholpen", ("", *GEHOLPEN))):
        if field in values and values[field] not in allowed:
            raise error("afspraken.choice_unknown", field=field)
    _check_dates(values, error)
    if values.get("conversation_id") is not None:
        found = conn.execute(
            select(T.conversation.c.id).where(
                T.conversation.c.id == values["conversation_id"], T.conversation.c.student_id == student_id
            )
        ).scalar()
        if found is None:
            raise error("afspraken.conversation_unknown", field="conversation_id")
    if (values.get("geholpen") or values.get("vervolg")) and "evaluated_on" not in values:
        current = None
        if afspraak_id is not None:
            current = conn.execute(
                select(T.afspraak.c.evaluated_on).where(T.afspraak.c.id == afspraak_id)
            ).scalar()
        if current is None:
            values["evaluated_on"] = timefmt.today()
    klassen._own_student(conn, actor, student_id)
    if afspraak_id is None:
        new_id = conn.execute(
            insert(T.afspraak).values(
                school_id=actor.school_id, student_id=student_id, author_id=actor.id, **values
            )
        ).inserted_primary_key[0]
        return new_id, 1
    where = (
        T.afspraak.c.id == afspraak_id,
        T.afspraak.c.student_id == student_id,
        T.afspraak.c.school_id == actor.school_id,
    )
    if not values:
        return afspraak_id, version
    return afspraak_id, update_versioned(conn, T.afspraak, version, values, *where, author_id=actor.id)


def delete_afspraak(conn: Connection, actor: Actor, student_id: int, afspraak_id: int) -> None:
    conn.execute(
        delete(T.afspraak).where(
            T.afspraak.c.id == afspraak_id,
            T.afspraak.c.student_id == student_id,
            T.afspraak.c.school_id == actor.school_id,
        )
    )


def afspraken(conn: Connection, actor: Actor, student_id: int) -> list[dict[str, Any]]:
    """The agreements of one student in the order they were made."""
    rows = conn.execute(
        select(T.afspraak)
        .where(T.afspraak.c.student_id == student_id, T.afspraak.c.school_id == actor.school_id)
        .order_by(T.afspraak.c.id)
    ).mappings()
    return [dict(r) for r in rows]


def is_overdue(afspraak: dict[str, Any], today: date | None = None) -> bool:
    """Open and its date has passed."""
    today = today or timefmt.today()
    return afspraak["status"] == "open" and afspraak["wanneer"] is not None and afspraak["wanneer"] < today


def class_afspraken(conn: Connection, actor: Actor, klas_id: int) -> list[dict[str, Any]]:
    """Every agreement of the class's students with the student's name, in one statement: overdue
    first (oldest date first), then open ones by date, then the rest; `overdue` is set per row."""
    a = T.afspraak.c
    today = timefmt.today()
    overdue = (a.status == "open") & a.wanneer.is_not(None) & (a.wanneer < today)
    order = case((overdue, 0), (a.status == "open", 1), else_=2)
    rows = conn.execute(
        select(T.afspraak, *T.STUDENT_NAME)
        .join(T.student, T.student.c.id == a.student_id)
        .where(
            T.student.c.klas_id == klas_id,
            T.student.c.school_id == actor.school_id,
            T.student.c.left_on.is_(None),
        )
        .order_by(order, a.wanneer.is_(None), a.wanneer, T.student.c.achternaam, a.id)
    ).mappings()
    return [{**r, "overdue": is_overdue(r, today)} for r in rows]


def conversations_of(conn: Connection, actor: Actor, student_ids: list[int]) -> dict[int, list[dict]]:
    """Per student the conversations an agreement can come from (kind and day), newest first."""
    result: dict[int, list[dict]] = {sid: [] for sid in student_ids}
    if not student_ids:
        return result
    c = T.conversation.c
    rows = conn.execute(
        select(c.id, c.student_id, c.kind, c.held_on)
        .where(c.student_id.in_(student_ids), c.school_id == actor.school_id)
        .order_by(c.held_on.desc(), c.id.desc())
    ).mappings()
    for row in rows:
        result[row["student_id"]].append(dict(row))
    return result
