"""The team's ouderplan: per school year a few priorities, each with one or more activities.

What an ouderplan is (after wij-leren.nl, "Ouderbetrokkenheid", Arja Kerpel 2023, in our own words): the
written record of what the school does to involve parents, and who carries out each part. Stip gives it
a fixed shape so a team can fill it in on its study day and check it a year later:

- a **priority** (`ouderplan_priority`) is what the team wants to improve — usually an item of the team
  scan it marked and voted for on the study day (`priorities_from_session`: most votes first, the link to
  the session and the item's key kept, so the figures behind it can be shown and compared next round), or
  a title typed by hand;
- an **activity** (`ouderplan_activity`) is what the team will do about it: what, the goal for students
  and for parents, who carries it out, when, how and when it is evaluated, what it needs — and later what
  came of it (`evaluatie`, read again at the next round of the scan).

Every staff member of the school may edit the plan (the team on its study day, later the team leader).
Two pages never overwrite each other: every save goes through `store.update_versioned` (a conflict asks
to reload); every text through `stip.validation.check_texts` (lengths from the tables; a one-line field
(wie, wanneer, evaluatie_wanneer) refuses line breaks). Reading the plan is two statements, whatever its
size.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, select, update

from stip.errors import UserError
from stip.schools import Actor
from stip.store import tables as T
from stip.store import update_versioned
from stip.validation import check_texts

P = T.ouderplan_priority
A = T.ouderplan_activity

PRIORITY_FIELDS = ("titel",)
ACTIVITY_FIELDS = (
    "wat",
    "doel_leerlingen",
    "doel_ouders",
    "wie",
    "wanneer",
    "evaluatie_hoe",
    "evaluatie_wanneer",
    "nodig",
    "evaluatie",
)
SOURCE = "wij-leren.nl, 'Ouderbetrokkenheid' (Arja Kerpel, 2023): het ouderplan"

__all__ = [
    "ACTIVITY_FIELDS",
    "OuderplanError",
    "add_activity",
    "add_priority",
    "delete_activity",
    "delete_priority",
    "evaluations",
    "move_priority",
    "priorities",
    "priorities_from_session",
    "save_activity",
    "save_priority",
    "school_years",
]


class OuderplanError(UserError):
    """A refusal of the ouderplan with a Dutch catalog text; `field` names the form field."""


# ---------------------------------------------------------------------------------------------- reading


def _priority_dict(row) -> dict[str, Any]:
    return {
        "id": row.id,
        "school_year_id": row.school_year_id,
        "session_id": row.session_id,
        "item_key": row.item_key,
        "titel": row.titel,
        "position": row.position,
        "version": row.version,
        "activities": [],
    }


def _activity_dict(row) -> dict[str, Any]:
    return {
        "id": row.id,
        "priority_id": row.priority_id,
        **{name: row._mapping[name] for name in ACTIVITY_FIELDS},
        "position": row.position,
        "version": row.version,
    }


def priorities(conn: Connection, actor: Actor, school_year_id: int | None = None) -> list[dict[str, Any]]:
    """The plan of one school year (default: the actor's current one), in order, each priority with its
    "activities" in order. Two statements."""
    year = actor.school_year_id if school_year_id is None else school_year_id
    rows = conn.execute(
        select(P)
        .where(P.c.school_id == actor.school_id, P.c.school_year_id == year)
        .order_by(P.c.position, P.c.id)
    ).all()
    found = {row.id: _priority_dict(row) for row in rows}
    if found:
        ids = select(P.c.id).where(P.c.school_id == actor.school_id, P.c.school_year_id == year)
        for row in conn.execute(
            select(A).where(A.c.priority_id.in_(ids)).order_by(A.c.position, A.c.id)
        ).all():
            found[row.priority_id]["activities"].append(_activity_dict(row))
    return list(found.values())


def get_priority(conn: Connection, actor: Actor, priority_id: int) -> dict[str, Any] | None:
    """One priority of the actor's school (without its activities), or None."""
    row = conn.execute(select(P).where(P.c.school_id == actor.school_id, P.c.id == priority_id)).first()
    return _priority_dict(row) if row is not None else None


def school_years(conn: Connection, actor: Actor) -> list[dict[str, Any]]:
    """The school's years, newest first, each with how many priorities its plan has (one statement)."""
    Y = T.school_year
    count = (
        select(func.count())
        .where(P.c.school_year_id == Y.c.id, P.c.school_id == actor.school_id)
        .scalar_subquery()
    )
    rows = conn.execute(
        select(Y.c.id, Y.c.name, count.label("priorities"))
        .where(Y.c.school_id == actor.school_id)
        .order_by(Y.c.starts_on.desc())
    ).all()
    return [{"id": row.id, "name": row.name, "priorities": row.priorities} for row in rows]


def evaluations(conn: Connection, actor: Actor, session_ids: list[int]) -> list[dict[str, Any]]:
    """The activities of every priority that came from one of these sessions (earlier rounds of a scan),
    with their evaluation: [{"session_id", "school_year_id", "item_key", "titel", "id", "wat", "wie",
    "evaluatie_hoe", "evaluatie_wanneer", "evaluatie"}], in plan order. One statement."""
    if not session_ids:
        return []
    rows = conn.execute(
        select(
            P.c.session_id,
            P.c.school_year_id,
            P.c.item_key,
            P.c.titel,
            A.c.id,
            A.c.wat,
            A.c.wie,
            A.c.evaluatie_hoe,
            A.c.evaluatie_wanneer,
            A.c.evaluatie,
        )
        .select_from(P)
        .join(A, A.c.priority_id == P.c.id)
        .where(P.c.school_id == actor.school_id, P.c.session_id.in_(list(session_ids)))
        .order_by(P.c.session_id, P.c.position, P.c.id, A.c.position, A.c.id)
    ).all()
    return [dict(row._mapping) for row in rows]


# ---------------------------------------------------------------------------------------------- priorities


def _clean_titel(titel: object) -> str:
    value = check_texts(P, {"titel": str(titel or "").strip()}, error=OuderplanError)["titel"]
    if not value:
        raise OuderplanError("ouderplan.titel_required", field="titel")
    return value


def _next_position(conn: Connection, table, *where) -> int:
    return conn.execute(select(func.coalesce(func.max(table.c.position), -1) + 1).where(*where)).scalar_one()


def add_priority(
    conn: Connection,
    actor: Actor,
    titel: str,
    *,
    school_year_id: int | None = None,
    session_id: int | None = None,
    item_key: str = "",
) -> dict[str, Any]:
    """A new priority at the end of the plan of the school year (default: the current one)."""
    year = actor.school_year_id if school_year_id is None else school_year_id
    values = {
        "school_id": actor.school_id,
        "school_year_id": year,
        "session_id": session_id,
        "item_key": item_key,
        "titel": _clean_titel(titel),
        "position": _next_position(conn, P, P.c.school_id == actor.school_id, P.c.school_year_id == year),
        "author_id": actor.id,
    }
    new_id = conn.execute(insert(P).values(**values)).inserted_primary_key[0]
    return {**values, "id": new_id, "version": 1, "activities": []}


def save_priority(
    conn: Connection, actor: Actor, priority_id: int, changes: dict[str, Any], version: int
) -> int:
    """Store a changed title; returns the new version (`VersionConflict` when changed elsewhere)."""
    values = {key: _clean_titel(value) for key, value in changes.items() if key in PRIORITY_FIELDS}
    if not values:
        return version
    return update_versioned(
        conn,
        P,
        version,
        values,
        P.c.school_id == actor.school_id,
        P.c.id == priority_id,
        author_id=actor.id,
    )


def delete_priority(conn: Connection, actor: Actor, priority_id: int) -> bool:
    """Remove a priority with its activities; False when there was none."""
    where = and_(P.c.school_id == actor.school_id, P.c.id == priority_id)
    return conn.execute(delete(P).where(where)).rowcount > 0


def move_priority(conn: Connection, actor: Actor, priority_id: int, step: int) -> bool:
    """Move a priority one place up (step -1) or down (+1) in its year's plan; the positions of the plan
    are renumbered 0, 1, 2 … (one executemany). False when it cannot move further."""
    found = get_priority(conn, actor, priority_id)
    if found is None:
        return False
    ids = list(
        conn.execute(
            select(P.c.id)
            .where(P.c.school_id == actor.school_id, P.c.school_year_id == found["school_year_id"])
            .order_by(P.c.position, P.c.id)
        ).scalars()
    )
    index = ids.index(priority_id)
    target = index + (1 if step > 0 else -1)
    if not 0 <= target < len(ids):
        return False
    ids[index], ids[target] = ids[target], ids[index]
    from sqlalchemy import bindparam

    conn.execute(
        update(P).where(P.c.id == bindparam("pid")).values(position=bindparam("pos")),
        [{"pid": pid, "pos": pos} for pos, pid in enumerate(ids)],
    )
    return True


def priorities_from_session(
    conn: Connection, actor: Actor, session_id: int, *, school_year_id: int | None = None
) -> list[dict[str, Any]]:
    """The session's marked items become priorities of the plan (default: the current school year),
    most dot-votes first (ties: the scan's order). Idempotent: an item that is already a priority of that
    plan is not added again. Returns the plan's priorities from this session, in plan order.
    """
    year = actor.school_year_id if school_year_id is None else school_year_id
    S, Item, V = T.live_session, T.session_item, T.priority_vote
    owner = conn.execute(select(S.c.school_id).where(S.c.id == session_id)).scalar()
    if owner != actor.school_id:
        raise OuderplanError("ouderplan.session_not_found")
    votes = (
        select(func.count()).where(V.c.item_id == Item.c.id, V.c.session_id == session_id).scalar_subquery()
    )
    marked = conn.execute(
        select(Item.c.key, Item.c.tekst, votes.label("votes"))
        .where(Item.c.session_id == session_id, Item.c.marked.is_(True))
        .order_by(votes.desc(), Item.c.position, Item.c.id)
    ).all()
    existing = set(
        conn.execute(
            select(P.c.item_key).where(
                P.c.school_id == actor.school_id,
                P.c.school_year_id == year,
                P.c.session_id == session_id,
            )
        ).scalars()
    )
    start = _next_position(conn, P, P.c.school_id == actor.school_id, P.c.school_year_id == year)
    rows = []
    for row in marked:
        if row.key in existing:
            continue
        titel = _clean_titel(row.tekst)
        rows.append(
            {
                "school_id": actor.school_id,
                "school_year_id": year,
                "session_id": session_id,
                "item_key": row.key,
                "titel": titel,
                "position": start + len(rows),
                "author_id": actor.id,
            }
        )
    if rows:
        conn.execute(insert(P), rows)
    return [p for p in priorities(conn, actor, year) if p["session_id"] == session_id]


# ---------------------------------------------------------------------------------------------- activities


def _clean_activity(changes: dict[str, Any]) -> dict[str, Any]:
    values = {key: str(value or "").strip() for key, value in changes.items() if key in ACTIVITY_FIELDS}
    return check_texts(A, values, error=OuderplanError)


def _own_priority(conn: Connection, actor: Actor, priority_id: int) -> None:
    if get_priority(conn, actor, priority_id) is None:
        raise OuderplanError("ouderplan.priority_not_found")


def add_activity(
    conn: Connection, actor: Actor, priority_id: int, values: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A new (empty, or filled with `values`) activity at the end of a priority."""
    _own_priority(conn, actor, priority_id)
    cleaned = _clean_activity(values or {})
    row = {
        "school_id": actor.school_id,
        "priority_id": priority_id,
        **cleaned,
        "position": _next_position(conn, A, A.c.priority_id == priority_id),
        "author_id": actor.id,
    }
    new_id = conn.execute(insert(A).values(**row)).inserted_primary_key[0]
    return {
        "id": new_id,
        "priority_id": priority_id,
        **{name: cleaned.get(name, "") for name in ACTIVITY_FIELDS},
        "position": row["position"],
        "version": 1,
    }


def save_activity(
    conn: Connection, actor: Actor, activity_id: int, changes: dict[str, Any], version: int
) -> int:
    """Store changed fields of an activity; returns the new version (`VersionConflict` when someone
    changed it meanwhile; `OuderplanError` at the field for a text that cannot be stored)."""
    values = _clean_activity(changes)
    if not values:
        return version
    return update_versioned(
        conn,
        A,
        version,
        values,
        A.c.school_id == actor.school_id,
        A.c.id == activity_id,
        author_id=actor.id,
    )


def delete_activity(conn: Connection, actor: Actor, activity_id: int) -> bool:
    """Remove an activity; False when there was none."""
    where = and_(A.c.school_id == actor.school_id, A.c.id == activity_id)
    return conn.execute(delete(A).where(where)).rowcount > 0


# ---------------------------------------------------------------------------------------------- figures


def figures(conn: Connection, plan: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """For every priority that came from a study day: the team-scan figures behind it — {priority id:
    {"session": {"id", "naam", "held_on"}, "deelnemers": n, "verborgen": bool, "item": the item's
    result (tekst, antwoorden, n, gemiddelde, spreiding) or None when the item is gone}}. One call of
    `live.results` per session (a plan usually comes from one study day)."""
    from stip import live

    found: dict[int, dict[str, Any]] = {}
    by_session: dict[int, dict[str, Any]] = {}
    for priority in plan:
        session_id = priority.get("session_id")
        if session_id is None:
            continue
        if session_id not in by_session:
            session = live.get_session(conn, session_id)
            if session is None:
                by_session[session_id] = {}
                continue
            result = live.results(conn, session_id)
            by_session[session_id] = {
                "session": {"id": session_id, "naam": session["naam"], "held_on": session["held_on"]},
                "deelnemers": result["deelnemers"],
                "verborgen": result["verborgen"],
                "items": {item["key"]: item for item in result["items"]},
                "later": _later_round(conn, session_id),
            }
        data = by_session[session_id]
        if not data:
            continue
        later = data["later"]
        found[priority["id"]] = {
            "session": data["session"],
            "deelnemers": data["deelnemers"],
            "verborgen": data["verborgen"],
            "item": data["items"].get(priority["item_key"]),
            "volgende": {**later["session"], **later["items"].get(priority["item_key"], {})}
            if later
            else None,
        }
    return found


def _later_round(conn: Connection, session_id: int) -> dict[str, Any] | None:
    """The newest next round of a study day (a session whose `previous_id` is this one) with, per item
    key, its mean there and the change against this round: {"session": {"naam", "held_on"}, "items":
    {key: {"gemiddelde", "verschil"}}}; None when the scan was not held again. Five statements."""
    from stip import live

    S = T.live_session
    later = conn.execute(
        select(S.c.id, S.c.naam, S.c.held_on).where(S.c.previous_id == session_id).order_by(S.c.id.desc())
    ).first()
    if later is None:
        return None
    compared = live.compare_rounds(conn, later.id)
    ids = [r["id"] for r in compared["rounds"]]
    here, there = ids.index(session_id), ids.index(later.id)
    items = {}
    for item in compared["items"]:
        before, after = item["gemiddelden"][here], item["gemiddelden"][there]
        change = live.shown_change(before, after) if before is not None and after is not None else None
        items[item["key"]] = {"gemiddelde": after, "verschil": change}
    return {"session": {"naam": later.naam, "held_on": later.held_on}, "items": items}


def school_year_name(conn: Connection, actor: Actor, school_year_id: int | None = None) -> str:
    """The name of a school year of the actor's school ("2026-2027"), or ""."""
    year = actor.school_year_id if school_year_id is None else school_year_id
    Y = T.school_year
    name = conn.execute(select(Y.c.name).where(Y.c.id == year, Y.c.school_id == actor.school_id)).scalar()
    return name or ""


def document_data(conn: Connection, actor: Actor, school_year_id: int | None = None) -> dict[str, Any]:
    """Everything the plan's document and spreadsheet show: school, school year, the plan and the
    figures behind its priorities."""
    plan = priorities(conn, actor, school_year_id)
    school = conn.execute(select(T.school.c.name).where(T.school.c.id == actor.school_id)).scalar() or ""
    return {
        "school": school,
        "school_year": school_year_name(conn, actor, school_year_id),
        "priorities": plan,
        "figures": figures(conn, plan),
    }
