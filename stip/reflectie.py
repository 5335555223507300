"""Terugblikken: a short reflection after a conversation in the five steps of Korthagen's ALACT cycle.

A reflection belongs to one conversation (any row of `conversation`) and is private to its author
(`author_id`) unless shared. That privacy is a query filter here (`visible`), used by every read: another
staff member never sees a private reflection, not even in a count. Only the author changes or deletes a
reflection. The mentor's list of reflections and intentions over time (`mine`) is newest first; each
intention is marked later as tried (ja / deels / nee).

The inzage and the deletion of a student (stip/privacy.py) walk every table with a `student_id`, so every
reflection about a student is part of them (docs/decisions.md, issue 15 — Terugblikken).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, true

from stip import content
from stip.errors import UserError
from stip.klassen import full_name
from stip.schools import Actor
from stip.store import tables as T
from stip.store import update_versioned
from stip.validation import check_texts

STEP_FIELDS = ("handelen", "terugblikken", "essentie", "alternatieven", "uitproberen", "voornemen")
GEPROBEERD = ("", "ja", "deels", "nee")
FIELDS = (*STEP_FIELDS, "shared", "voornemen_geprobeerd")
LIST_LIMIT = 200  # reflections shown in the list (newest first); a mentor writes a few a month
R = T.reflection
C = T.conversation


class ReflectieError(UserError):
    """A user error with a Dutch catalog text; `field` names the form field when there is one."""


def steps() -> list[dict[str, Any]]:
    """The five ALACT steps from `content/nl/reflectie.yaml`: key, title, explanation, prompts, fields."""
    return content.load("reflectie")["steps"]


def texts() -> dict[str, Any]:
    """Title, intro, privacy note and source of the Terugblikken page."""
    return content.load("reflectie")


# ---------------------------------------------------------------------------------------------- filters


def visible(actor: Actor):
    """The reflections `actor` may see: in their school, and their own or shared."""
    return and_(R.c.school_id == actor.school_id, or_(R.c.author_id == actor.id, R.c.shared == true()))


def own(actor: Actor):
    """The reflections `actor` wrote (the only ones they may change)."""
    return and_(R.c.school_id == actor.school_id, R.c.author_id == actor.id)


def _mentored_klassen(actor: Actor):
    """Ids of the classes `actor` is a mentor of (first mentor in `klas`, or any in `klas_mentor`)."""
    return (
        select(T.klas.c.id)
        .where(T.klas.c.school_id == actor.school_id, T.klas.c.mentor_id == actor.id)
        .union(select(T.klas_mentor.c.klas_id).where(T.klas_mentor.c.staff_member_id == actor.id))
    )


# ---------------------------------------------------------------------------------------------- conversations


def _conversation_columns():
    return (
        C.c.id,
        C.c.student_id,
        C.c.kind,
        C.c.held_on,
        *T.STUDENT_NAME,
        T.klas.c.name.label("klas"),
    )


def _conversation_dict(row) -> dict[str, Any]:
    return {
        "id": row.id,
        "student_id": row.student_id,
        "kind": row.kind,
        "held_on": row.held_on,
        "naam": full_name(row.roepnaam, row.tussenvoegsel, row.achternaam),
        "klas": row.klas or "",
    }


def _conversations_query(actor: Actor):
    return (
        select(*_conversation_columns())
        .select_from(C)
        .join(T.student, T.student.c.id == C.c.student_id)
        .outerjoin(T.klas, T.klas.c.id == T.student.c.klas_id)
        .where(C.c.school_id == actor.school_id)
    )


def conversation(conn: Connection, actor: Actor, conversation_id: object) -> dict[str, Any] | None:
    """One conversation of the actor's school (with its student's name and class), or None."""
    if isinstance(conversation_id, bool) or not isinstance(conversation_id, int):
        return None
    row = conn.execute(_conversations_query(actor).where(C.c.id == conversation_id)).first()
    return _conversation_dict(row) if row is not None else None


def latest_conversation(conn: Connection, actor: Actor, student_id: object) -> dict[str, Any] | None:
    """The most recent conversation with a student of the actor's school (held ones first), or None."""
    if isinstance(student_id, bool) or not isinstance(student_id, int):
        return None
    row = conn.execute(
        _conversations_query(actor)
        .where(C.c.student_id == student_id)
        .order_by(C.c.held_on.is_(None), C.c.held_on.desc(), C.c.id.desc())
        .limit(1)
    ).first()
    return _conversation_dict(row) if row is not None else None


def my_conversations(conn: Connection, actor: Actor, limit: int = LIST_LIMIT) -> list[dict[str, Any]]:
    """Held conversations the actor recorded or had with a student of their classes, newest first; each
    with `reflected`: whether the actor already wrote a reflection on it. One statement."""
    mine = (
        select(func.count())
        .where(R.c.conversation_id == C.c.id, R.c.author_id == actor.id)
        .scalar_subquery()
        .label("reflected")
    )
    rows = conn.execute(
        _conversations_query(actor)
        .add_columns(mine)
        .where(
            C.c.held_on.is_not(None),
            or_(C.c.author_id == actor.id, T.student.c.klas_id.in_(_mentored_klassen(actor))),
        )
        .order_by(C.c.held_on.desc(), C.c.id.desc())
        .limit(limit)
    ).all()
    return [{**_conversation_dict(row), "reflected": bool(row.reflected)} for row in rows]


# ---------------------------------------------------------------------------------------------- reflections


def _reflection_dict(row) -> dict[str, Any]:
    return {key: row[key] for key in ("id", "student_id", "conversation_id", *FIELDS, "version", "author_id")}


def for_conversation(conn: Connection, actor: Actor, conversation_id: int) -> dict[str, Any] | None:
    """The actor's own reflection on this conversation (the newest, should there be more), or None."""
    row = (
        conn.execute(
            select(R)
            .where(own(actor), R.c.conversation_id == conversation_id)
            .order_by(R.c.id.desc())
            .limit(1)
        )
        .mappings()
        .first()
    )
    return _reflection_dict(row) if row is not None else None


def get(conn: Connection, actor: Actor, reflection_id: int) -> dict[str, Any] | None:
    """A reflection the actor may see (their own or a shared one), or None."""
    row = conn.execute(select(R).where(visible(actor), R.c.id == reflection_id)).mappings().first()
    return _reflection_dict(row) if row is not None else None


def _clean(changes: dict[str, Any]) -> dict[str, Any]:
    values = {}
    for key, value in changes.items():
        if key not in FIELDS:
            continue
        if key == "shared":
            values[key] = bool(value)
        elif key == "voornemen_geprobeerd":
            if value not in GEPROBEERD:
                raise ReflectieError("reflectie.geprobeerd_unknown", field=key)
            values[key] = value
        else:
            values[key] = (value or "").strip()
    return check_texts(R, values, error=ReflectieError)


def save(
    conn: Connection,
    actor: Actor,
    reflection_id: int | None,
    conversation_id: int,
    changes: dict[str, Any],
    version: int | None = None,
) -> tuple[int, int]:
    """Store changed fields of the actor's reflection on a conversation; the first save creates it.

    Returns (id, version); `VersionConflict` when someone (another page) changed it meanwhile;
    `ReflectieError("reflectie.not_found")` for a conversation or reflection the actor may not write.
    """
    values = _clean(changes)
    if reflection_id is None:
        talk = conversation(conn, actor, conversation_id)
        if talk is None:
            raise ReflectieError("reflectie.conversation_not_found")
        new_id = conn.execute(
            insert(R).values(
                school_id=actor.school_id,
                student_id=talk["student_id"],
                conversation_id=conversation_id,
                author_id=actor.id,
                **values,
            )
        ).inserted_primary_key[0]
        return new_id, 1
    if not values:
        return reflection_id, version
    new_version = update_versioned(conn, R, version, values, own(actor), R.c.id == reflection_id)
    return reflection_id, new_version


def set_geprobeerd(conn: Connection, actor: Actor, reflection_id: int, value: str, version: int) -> int:
    """Mark whether the intention was tried: "ja", "deels", "nee" or "" (not yet); returns the version."""
    return save(conn, actor, reflection_id, 0, {"voornemen_geprobeerd": value}, version)[1]


def delete_reflection(conn: Connection, actor: Actor, reflection_id: int) -> bool:
    """Remove one of the actor's own reflections; False when there was none to remove."""
    return conn.execute(delete(R).where(own(actor), R.c.id == reflection_id)).rowcount > 0


def mine(conn: Connection, actor: Actor, limit: int = LIST_LIMIT) -> list[dict[str, Any]]:
    """The actor's reflections over time, newest conversation first, each with its conversation and
    student. One statement, whatever the size of the school."""
    rows = conn.execute(
        select(
            R.c.id,
            R.c.conversation_id,
            R.c.voornemen,
            R.c.voornemen_geprobeerd,
            R.c.shared,
            R.c.version,
            R.c.created_at,
            *(R.c[key] for key in STEP_FIELDS if key != "voornemen"),
            C.c.kind,
            C.c.held_on,
            *T.STUDENT_NAME,
            T.klas.c.name.label("klas"),
        )
        .select_from(R)
        .join(T.student, T.student.c.id == R.c.student_id)
        .outerjoin(C, C.c.id == R.c.conversation_id)
        .outerjoin(T.klas, T.klas.c.id == T.student.c.klas_id)
        .where(own(actor))
        .order_by(C.c.held_on.is_(None), C.c.held_on.desc(), R.c.created_at.desc(), R.c.id.desc())
        .limit(limit)
    ).all()
    return [
        {
            "id": row.id,
            "conversation_id": row.conversation_id,
            "voornemen": row.voornemen,
            "voornemen_geprobeerd": row.voornemen_geprobeerd,
            "shared": bool(row.shared),
            "version": row.version,
            "kind": row.kind or "",
            "held_on": row.held_on,
            "naam": full_name(row.roepnaam, row.tussenvoegsel, row.achternaam),
            "klas": row.klas or "",
            "steps_done": sum(bool(row._mapping[key]) for key in STEP_FIELDS if key != "voornemen")
            + bool(row.voornemen),
        }
        for row in rows
    ]


def count_visible(conn: Connection, actor: Actor, student_ids: list[int] | None = None) -> int:
    """How many reflections the actor may see (optionally about these students): private reflections
    of others are not counted."""
    query = select(func.count()).select_from(R).where(visible(actor))
    if student_ids is not None:
        query = query.where(R.c.student_id.in_(student_ids))
    return conn.execute(query).scalar_one()


def tried_summary(reflections: list[dict[str, Any]]) -> dict[str, int]:
    """Of the intentions in `reflections`: how many were tried (ja), partly (deels), not (nee), open."""
    intentions = [r for r in reflections if r["voornemen"]]
    summary = {key or "open": 0 for key in GEPROBEERD}
    for reflection in intentions:
        summary[reflection["voornemen_geprobeerd"] or "open"] += 1
    return summary


def missing(values: dict[str, Any]) -> dict[str, list[str]]:
    """Per step key, the gentle note when the step's main text (its first field) is still empty; never
    blocking (the stepper shows it as a warning)."""
    return {
        step["key"]: [] if (values.get(next(iter(step["fields"]))) or "").strip() else [step["missing"]]
        for step in steps()
    }
