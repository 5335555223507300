"""Contact moments with a family (issue 15 §3): logged in seconds, from the agenda or from anywhere.

A contact is a day (default today, never in the future), a channel (`KANALEN`, the forms of the
communicatieplan), a tone (positief / neutraal / zorg) and one line. `last_contacts` gives the latest
contact of many students in one statement, whatever their number. Services take a connection and the
acting staff member; every update is versioned.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from stip import klassen, timefmt
from stip.errors import UserError
from stip.schools import Actor
from stip.store import tables as T
from stip.store import update_versioned
from stip.validation import check_texts

__all__ = [
    "KANALEN",
    "TONEN",
    "ContactError",
    "contact",
    "contacts",
    "delete_contact",
    "last_contacts",
    "log_contact",
    "prompts",
    "save_contact",
]

KANALEN = klassen.KANALEN  # gesprek op school, telefoon, video, mail, app, huisbezoek
TONEN = ("positief", "neutraal", "zorg")
FIELDS = ("happened_on", "kanaal", "toon", "regel", "conversation_id")
REQUIRED = {"kanaal": "contacten.kanaal_needed", "toon": "contacten.toon_needed"}


class ContactError(UserError):
    """A user error with a Dutch catalog text; `field` names the form field when there is one."""


def _clean(conn: Connection, actor: Actor, student_id: int, changes: dict[str, Any]) -> dict[str, Any]:
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items() if k in FIELDS}
    values = check_texts(T.contact_moment, values, error=ContactError)
    if "kanaal" in values and values["kanaal"] not in KANALEN:
        raise ContactError("contacten.kanaal_needed", field="kanaal")
    if "toon" in values and values["toon"] not in TONEN:
        raise ContactError("contacten.toon_needed", field="toon")
    if "…" in values.get("regel", ""):  # a prompt's dots not yet filled in: never stored as they are
        raise ContactError("contacten.fill_dots", field="regel")
    if "happened_on" in values:
        day = values["happened_on"]
        if not isinstance(day, date):
            raise ContactError("contacten.date_needed", field="happened_on")
        if day > timefmt.today():
            raise ContactError("contacten.date_in_future", field="happened_on")
    if values.get("conversation_id") is not None:
        found = conn.execute(
            select(T.conversation.c.id).where(
                T.conversation.c.id == values["conversation_id"],
                T.conversation.c.student_id == student_id,
            )
        ).scalar()
        if found is None:
            raise ContactError("contacten.conversation_unknown", field="conversation_id")
    return values


def log_contact(conn: Connection, actor: Actor, student_id: int, values: dict[str, Any]) -> tuple[int, int]:
    """Store a new contact of `student_id`; returns (id, version). Channel and tone are required; the
    day defaults to today."""
    values = {"happened_on": timefmt.today(), "regel": "", **values}
    values = _clean(conn, actor, student_id, values)
    for required, key in REQUIRED.items():
        if not values.get(required):
            raise ContactError(key, field=required)
    klassen._own_student(conn, actor, student_id)
    new_id = conn.execute(
        insert(T.contact_moment).values(
            school_id=actor.school_id,
            student_id=student_id,
            school_year_id=actor.school_year_id,
            author_id=actor.id,
            **values,
        )
    ).inserted_primary_key[0]
    return new_id, 1


def save_contact(
    conn: Connection, actor: Actor, student_id: int, contact_id: int, changes: dict[str, Any], version: int
) -> int:
    """Change fields of a contact; returns the new version (VersionConflict when stale)."""
    values = _clean(conn, actor, student_id, changes)
    for required, key in REQUIRED.items():
        if required in values and not values[required]:
            raise ContactError(key, field=required)
    if not values:
        return version
    where = (
        T.contact_moment.c.id == contact_id,
        T.contact_moment.c.student_id == student_id,
        T.contact_moment.c.school_id == actor.school_id,
    )
    return update_versioned(conn, T.contact_moment, version, values, *where, author_id=actor.id)


def delete_contact(conn: Connection, actor: Actor, student_id: int, contact_id: int) -> None:
    conn.execute(
        delete(T.contact_moment).where(
            T.contact_moment.c.id == contact_id,
            T.contact_moment.c.student_id == student_id,
            T.contact_moment.c.school_id == actor.school_id,
        )
    )


def contacts(
    conn: Connection, actor: Actor, student_id: int, limit: int | None = None
) -> list[dict[str, Any]]:
    """The contacts of one student, newest first (all school years)."""
    query = (
        select(T.contact_moment)
        .where(T.contact_moment.c.student_id == student_id, T.contact_moment.c.school_id == actor.school_id)
        .order_by(T.contact_moment.c.happened_on.desc(), T.contact_moment.c.id.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return [dict(r) for r in conn.execute(query).mappings()]


def contact(conn: Connection, actor: Actor, student_id: int, contact_id: int) -> dict[str, Any] | None:
    """One contact of the student, or None when it is gone."""
    c = T.contact_moment.c
    row = (
        conn.execute(
            select(T.contact_moment).where(
                c.id == contact_id, c.student_id == student_id, c.school_id == actor.school_id
            )
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def last_contacts(conn: Connection, actor: Actor, student_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per student (only those with one) the latest contact of this school year, in one statement."""
    if not student_ids:
        return {}
    c = T.contact_moment.c
    ranked = (
        select(
            T.contact_moment,
            func.row_number()
            .over(partition_by=c.student_id, order_by=(c.happened_on.desc(), c.id.desc()))
            .label("rank"),
        )
        .where(
            c.student_id.in_(student_ids),
            c.school_id == actor.school_id,
            c.school_year_id == actor.school_year_id,
        )
        .subquery()
    )
    rows = conn.execute(select(ranked).where(ranked.c.rank == 1)).mappings()
    return {r["student_id"]: {k: v for k, v in r.items() if k != "rank"} for r in rows}


def prompts() -> list[dict[str, str]]:
    """Prompts for a positive contact ("iets wat goed ging deze week"), each with its source."""
    from stip import content

    data = content.load("contacten")
    return [{"text": p["text"], "source": data["source"]} for p in data["prompts"]]
