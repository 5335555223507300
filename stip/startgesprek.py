"""The startgesprek season of a class: slots, invitations, the talk itself, agreements and the plan.

One `conversation` row (kind "startgesprek") per student per school year holds the planning (its slot),
the invitation, who was present, the shared goal (*stip op de horizon*) and the family's wishes.
Agreements (`afspraak`) and the communicatieplan op maat are the records the communicatieplan workbook
builds on. Services take the acting staff member and a connection (one transaction per user action).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from stip import afspraken as afspraken_service
from stip import klassen, timefmt
from stip.errors import UserError
from stip.schools import Actor
from stip.store import VersionConflict, update_versioned
from stip.store import tables as T
from stip.validation import check_text, check_texts

KIND = "startgesprek"
VORMEN = klassen.KANALEN  # gesprek op school, telefoon, video, mail, app, huisbezoek
INITIATIEF = ("leerling", "school", "ouders", "samen")  # the student may take the first step too (CPS)
COLLECTIVE = ("", "ja", "nee", "weet nog niet")
BUDDY = ("", "kan helpen", "wil hulp", "beide", "nee")
# The catalog key of every choice, per field (the stored value is the Dutch word itself).
CHOICE_KEYS = {
    "initiatief": {
        "leerling": "startgesprek.initiatief_leerling",
        "school": "startgesprek.initiatief_school",
        "ouders": "startgesprek.initiatief_ouders",
        "samen": "startgesprek.initiatief_samen",
    },
    "collective_info": {
        "ja": "startgesprek.collective_ja",
        "nee": "startgesprek.collective_nee",
        "weet nog niet": "startgesprek.collective_weet_nog_niet",
    },
    "buddy": {
        "kan helpen": "startgesprek.buddy_kan_helpen",
        "wil hulp": "startgesprek.buddy_wil_hulp",
        "beide": "startgesprek.buddy_beide",
        "nee": "startgesprek.buddy_nee",
    },
}
CONVERSATION_FIELDS = (
    "held_on",
    "present",
    "shared_goal",
    "collective_info",
    "collective_info_when",
    "buddy",
    "notes",
)
PLAN_FIELDS = ("vormen", "momenten", "frequentie", "initiatief", "review_on", "notes")


class StartgesprekError(UserError):
    """A user error with a Dutch catalog text; `field` names the form field when there is one."""


@dataclass(frozen=True)
class Progress:
    students: int
    invited: int
    planned: int
    held: int
    goal: int
    plan: int
    gouden_mail_sent: int
    without_talk: list[dict[str, Any]]
    collective: dict[str, int]


def _klas(conn: Connection, actor: Actor, klas_id: int):
    row = conn.execute(
        select(T.klas).where(T.klas.c.id == klas_id, T.klas.c.school_id == actor.school_id)
    ).first()
    if row is None:
        raise StartgesprekError("startgesprek.klas_not_found")
    return row


def _year(conn: Connection, actor: Actor) -> int:
    return actor.school_year_id


# -- slots ---------------------------------------------------------------------------------------------------


def add_slots(conn: Connection, actor: Actor, klas_id: int, new: list) -> int:
    """Store `planning.Slot`s for a class; refused when one overlaps a slot of the class, or a slot of
    another class with the same mentor (one mentor cannot hold two talks at once)."""
    for slot in new:
        check_text("location", slot.location or "", T.slot.c.location, error=StartgesprekError)
    klas = _klas(conn, actor, klas_id)
    mentor = klas.mentor_id or actor.id
    existing = conn.execute(
        select(T.slot.c.starts_at, T.slot.c.ends_at, T.slot.c.klas_id, T.klas.c.name, T.staff_member.c.naam)
        .join(T.klas, T.klas.c.id == T.slot.c.klas_id)
        .outerjoin(T.staff_member, T.staff_member.c.id == T.slot.c.mentor_id)
        .where(
            T.slot.c.school_id == actor.school_id,
            (T.slot.c.klas_id == klas_id) | (T.slot.c.mentor_id == mentor),
        )
    ).all()
    taken = [(start, end, other == klas_id, name, naam) for start, end, other, name, naam in existing]
    for slot in new:
        for start, end, same_klas, other_klas, naam in taken:
            if slot.start < end and start < slot.end:
                moment = timefmt.format_short(slot.start)
                if same_klas:
                    raise StartgesprekError("startgesprek.slot_overlap", time=moment)
                if mentor == actor.id and klas.mentor_id is None:  # "the mentor" is you: say so
                    raise StartgesprekError(
                        "startgesprek.slot_overlap_self", time=moment, klas=other_klas, deze=klas.name
                    )
                raise StartgesprekError(
                    "startgesprek.slot_overlap_mentor", time=moment, klas=other_klas, mentor=naam or ""
                )
        taken.append((slot.start, slot.end, True, klas.name, ""))
    if new:
        rows = [
            dict(
                school_id=actor.school_id,
                klas_id=klas_id,
                mentor_id=slot.mentor or mentor,
                starts_at=slot.start,
                ends_at=slot.end,
                location=slot.location,
                author_id=actor.id,
            )
            for slot in new
        ]
        conn.execute(insert(T.slot), rows)
    return len(new)


def slots(conn: Connection, actor: Actor, klas_id: int) -> list[dict[str, Any]]:
    """The class's slots in time order, each with the student planned in it (or None)."""
    _klas(conn, actor, klas_id)
    rows = (
        conn.execute(
            select(T.slot, T.conversation.c.student_id)
            .outerjoin(T.conversation, T.conversation.c.slot_id == T.slot.c.id)
            .where(T.slot.c.klas_id == klas_id)
            .order_by(T.slot.c.starts_at)
        )
        .mappings()
        .all()
    )
    return [dict(r) for r in rows]


def delete_slot(conn: Connection, actor: Actor, slot_id: int) -> None:
    """Remove a slot; a family planned in it becomes unplanned (its conversation stays)."""
    conn.execute(delete(T.slot).where(T.slot.c.id == slot_id, T.slot.c.school_id == actor.school_id))


def _conversation(conn: Connection, actor: Actor, student_id: int, create: bool):
    klassen._own_student(conn, actor, student_id)
    year = _year(conn, actor)
    query = select(T.conversation).where(
        T.conversation.c.student_id == student_id,
        T.conversation.c.school_year_id == year,
        T.conversation.c.kind == KIND,
    )
    row = conn.execute(query).mappings().first()
    if row is None and create:
        conn.execute(
            insert(T.conversation).values(
                school_id=actor.school_id,
                student_id=student_id,
                school_year_id=year,
                kind=KIND,
                author_id=actor.id,
            )
        )
        row = conn.execute(query).mappings().first()
    return row


def assign_slot(conn: Connection, actor: Actor, student_id: int, slot_id: int | None) -> None:
    """Plan a student's startgesprek in a slot (None: unplan). A slot holds one family."""
    row = _conversation(conn, actor, student_id, create=True)
    if slot_id is not None:
        owner = conn.execute(
            select(T.slot.c.id).where(T.slot.c.id == slot_id, T.slot.c.school_id == actor.school_id)
        ).first()
        if owner is None:
            raise StartgesprekError("startgesprek.slot_not_found")
    try:
        with conn.begin_nested():
            conn.execute(
                update(T.conversation)
                .where(T.conversation.c.id == row["id"])
                .values(
                    slot_id=slot_id,
                    version=T.conversation.c.version + 1,
                    updated_at=func.now(),
                    author_id=actor.id,
                )
            )
    except IntegrityError:
        raise StartgesprekError("startgesprek.slot_taken") from None


def slot_spans(conn: Connection, actor: Actor, student_ids: list[int]) -> dict[int, tuple[Any, Any]]:
    """When this school year's startgesprek of each student starts and ends (only students with a slot)."""
    if not student_ids:
        return {}
    rows = conn.execute(
        select(T.conversation.c.student_id, T.slot.c.starts_at, T.slot.c.ends_at)
        .join(T.slot, T.slot.c.id == T.conversation.c.slot_id)
        .where(
            T.conversation.c.student_id.in_(student_ids),
            T.conversation.c.kind == KIND,
            T.conversation.c.school_year_id == _year(conn, actor),
            T.slot.c.school_id == actor.school_id,
        )
    ).all()
    return {r.student_id: (r.starts_at, r.ends_at) for r in rows}


def siblings_apart(conn: Connection, actor: Actor, student_id: int) -> list[dict[str, Any]]:
    """The siblings of a planned student whose talk is planned too but not back to back with theirs
    (the family would have to come twice), each with `starts_at`; empty when all is well."""
    from stip import planning

    siblings = klassen.siblings_of(conn, actor, [student_id])[student_id]
    spans = slot_spans(conn, actor, [student_id, *(s["id"] for s in siblings)])
    if student_id not in spans:
        return []
    mine = planning.Slot(*spans[student_id])
    return [
        {**s, "starts_at": spans[s["id"]][0]}
        for s in siblings
        if s["id"] in spans and not planning.adjacent(mine, planning.Slot(*spans[s["id"]]))
    ]


def place_in_slot(conn: Connection, actor: Actor, slot_id: int, old: int | None, new: int | None) -> None:
    """Put family `new` in a slot that the page showed holding `old` (None: free), in one transaction.

    When someone else changed the slot since the page was drawn, nothing changes: VersionConflict.
    """
    holder = conn.execute(
        select(T.conversation.c.student_id).where(T.conversation.c.slot_id == slot_id)
    ).scalar()
    if holder != old:
        raise VersionConflict()
    if old is not None:
        assign_slot(conn, actor, old, None)
    if new is not None:
        assign_slot(conn, actor, new, slot_id)


def auto_assign(conn: Connection, actor: Actor, klas_id: int):
    """Place every unplanned student of the class in a free slot; siblings back to back where possible.

    Siblings (in any class) who already have a slot are fixed, so the talk goes right before or after
    theirs. Returns the `planning.Assignment` of the students of this class that were placed. A fixed
    number of statements, whatever the size of the class: its slots, students, their siblings and the
    siblings' slots are read in one query each, the placements stored with one executemany per kind
    of write (a new conversation, or one that gets its slot).
    """
    from stip import planning

    def as_slot(row) -> planning.Slot:
        return planning.Slot(row["starts_at"], row["ends_at"], row["mentor_id"], row["location"])

    own = slots(conn, actor, klas_id)
    slot_ids = {as_slot(row): row["id"] for row in own if row["student_id"] is None}
    planned = {row["student_id"] for row in own if row["student_id"]}
    students = [s for s in klassen.class_students(conn, actor, klas_id) if s["id"] not in planned]
    unplanned = [s["id"] for s in students]
    interpreter = {s["id"]: _interpreter(s["guardians"]) for s in students}
    siblings = klassen.siblings_of(conn, actor, unplanned)
    sibling_slots = _planned_slots(
        conn, actor, sorted({o["id"] for group in siblings.values() for o in group})
    )
    families: list[planning.Family] = []
    fixed: dict[int, planning.Slot] = {}
    for student_id in unplanned:
        sibling_ids = frozenset(o["id"] for o in siblings[student_id])
        families.append(planning.Family(student_id, None, sibling_ids, interpreter[student_id]))
        for sibling in sibling_ids - fixed.keys():
            row = sibling_slots.get(sibling)
            if row is not None:
                fixed[sibling] = as_slot(row)
                families.append(planning.Family(sibling, row["mentor_id"], frozenset({student_id})))
    result = planning.assign(families, [*slot_ids, *fixed.values()], fixed)
    result.placed = {s: slot for s, slot in result.placed.items() if s not in fixed}  # not the anchors
    _store_slots(conn, actor, {student_id: slot_ids[slot] for student_id, slot in result.placed.items()})
    return result


def _interpreter(guardians: list[dict[str, Any]]) -> str | None:
    """The language of the interpreter a family needs ("" when not known), None when it needs none."""
    from stip import invitations

    if not any(g["tolk_nodig"] for g in guardians):
        return None
    return next(iter(invitations.interpreter_languages(guardians)), "")


def _planned_slots(conn: Connection, actor: Actor, student_ids: list[int]) -> dict[int, Any]:
    """The slot (as a row) of this school year's startgesprek of each student that has one."""
    if not student_ids:
        return {}
    rows = (
        conn.execute(
            select(T.conversation.c.student_id, T.slot)
            .join(T.slot, T.slot.c.id == T.conversation.c.slot_id)
            .where(
                T.conversation.c.student_id.in_(student_ids),
                T.conversation.c.kind == KIND,
                T.conversation.c.school_year_id == _year(conn, actor),
            )
            .order_by(T.conversation.c.id.desc())  # the first conversation counts, as in `_conversation`
        )
        .mappings()
        .all()
    )
    return {row["student_id"]: row for row in rows}


def _store_slots(conn: Connection, actor: Actor, placed: dict[int, int]) -> None:
    """Plan each student (key) in a slot (value) of the actor's school: one executemany for the students
    who have this year's conversation already, one for those who get it now."""
    if not placed:
        return
    year = _year(conn, actor)
    existing = dict(
        conn.execute(
            select(T.conversation.c.student_id, T.conversation.c.id)
            .where(
                T.conversation.c.student_id.in_(list(placed)),
                T.conversation.c.kind == KIND,
                T.conversation.c.school_year_id == year,
            )
            .order_by(T.conversation.c.id.desc())  # the first conversation counts, as in `_conversation`
        ).all()
    )
    updates = [{"conversation": existing[s], "new_slot": slot} for s, slot in placed.items() if s in existing]
    new = [
        {"student_id": s, "slot_id": slot, "school_id": actor.school_id, "school_year_id": year}
        for s, slot in placed.items()
        if s not in existing
    ]
    try:
        with conn.begin_nested():
            if updates:
                conn.execute(
                    update(T.conversation)
                    .where(T.conversation.c.id == bindparam("conversation"))
                    .values(
                        slot_id=bindparam("new_slot"),
                        version=T.conversation.c.version + 1,
                        updated_at=func.now(),
                        author_id=actor.id,
                    ),
                    updates,
                )
            if new:
                conn.execute(insert(T.conversation).values(kind=KIND, author_id=actor.id), new)
    except IntegrityError:
        raise StartgesprekError("startgesprek.slot_taken") from None


# -- invitations ---------------------------------------------------------------------------------------------


def mark_invited(conn: Connection, actor: Actor, student_ids: list[int], via: str) -> None:
    for student_id in student_ids:
        row = _conversation(conn, actor, student_id, create=True)
        conn.execute(
            update(T.conversation)
            .where(T.conversation.c.id == row["id"])
            .values(
                invited_at=func.now(),
                invited_via=via,
                version=T.conversation.c.version + 1,
                updated_at=func.now(),
            )
        )


# -- the talk ------------------------------------------------------------------------------------------------


def _empty_conversation(actor: Actor, student_id: int) -> dict[str, Any]:
    """What a startgesprek looks like before anything is stored (reads never create it)."""
    row: dict[str, Any] = {c.name: None for c in T.conversation.c}
    for column in T.conversation.c:
        default = column.server_default.arg if column.server_default is not None else None
        if isinstance(default, str) and column.name != "version":
            row[column.name] = {} if default == "{}" else default
    row.update(student_id=student_id, school_id=actor.school_id, version=1, kind=KIND)
    return row


def get_conversation(conn: Connection, actor: Actor, student_id: int) -> dict[str, Any]:
    """This year's startgesprek of a student with slot, afspraken and plan; reads only: before anything
    is stored it is an empty talk with id None (the first save creates it)."""
    found = _conversation(conn, actor, student_id, create=False)
    row = dict(found) if found is not None else _empty_conversation(actor, student_id)
    slot = conn.execute(select(T.slot).where(T.slot.c.id == row["slot_id"])).mappings().first()
    row["slot"] = dict(slot) if slot else None
    row["afspraken"] = afspraken(conn, actor, student_id)
    row["plan"] = get_plan(conn, actor, student_id)
    return row


def planned_day(conversation: dict[str, Any]) -> date | None:
    """The day of the planned time when the talk has no "held on" yet and that day has come: what
    "Gehouden op" is filled with (a future day is never suggested)."""
    slot = conversation.get("slot")
    if conversation.get("held_on") or not slot:
        return None
    day = slot["starts_at"].date()
    return day if day <= timefmt.today() else None


def save_conversation(
    conn: Connection, actor: Actor, student_id: int, changes: dict[str, Any], version: int
) -> int:
    """Store changed fields of the talk; returns the new version (VersionConflict when stale)."""
    values = {
        k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items() if k in CONVERSATION_FIELDS
    }
    values = check_texts(T.conversation, values, error=StartgesprekError)
    if values.get("collective_info", "") not in COLLECTIVE:
        raise StartgesprekError("startgesprek.choice_unknown", field="collective_info")
    if values.get("buddy", "") not in BUDDY:
        raise StartgesprekError("startgesprek.choice_unknown", field="buddy")
    if "held_on" in values and values["held_on"] and values["held_on"] > timefmt.today():
        raise StartgesprekError("startgesprek.held_in_future", field="held_on")
    row = _conversation(conn, actor, student_id, create=True)
    return update_versioned(
        conn, T.conversation, version, values, T.conversation.c.id == row["id"], author_id=actor.id
    )


def afspraken(conn: Connection, actor: Actor, student_id: int) -> list[dict[str, Any]]:
    """The student's agreements (one service for every talk: `stip.afspraken`)."""
    return afspraken_service.afspraken(conn, actor, student_id)


def save_afspraak(
    conn: Connection,
    actor: Actor,
    student_id: int,
    afspraak_id: int | None,
    values: dict[str, Any],
    version: int | None = None,
) -> tuple[int, int]:
    """Create (id None) or update an agreement made in the startgesprek (`conversation_id` None: this
    year's startgesprek, created when needed); the rules are `stip.afspraken.save_afspraak`'s."""
    values = dict(values)
    if "conversation_id" in values and values["conversation_id"] is None:
        klassen._own_student(conn, actor, student_id)
        values["conversation_id"] = _conversation(conn, actor, student_id, create=True)["id"]
    return afspraken_service.save_afspraak(
        conn, actor, student_id, afspraak_id, values, version, error=StartgesprekError
    )


def delete_afspraak(conn: Connection, actor: Actor, student_id: int, afspraak_id: int) -> None:
    afspraken_service.delete_afspraak(conn, actor, student_id, afspraak_id)


# -- communicatieplan op maat --------------------------------------------------------------------------------


def get_plan(conn: Connection, actor: Actor, student_id: int) -> dict[str, Any] | None:
    row = (
        conn.execute(
            select(T.communicatieplan).where(
                T.communicatieplan.c.student_id == student_id,
                T.communicatieplan.c.school_year_id == _year(conn, actor),
            )
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def save_plan(
    conn: Connection, actor: Actor, student_id: int, changes: dict[str, Any], version: int | None
) -> int:
    """Create or update this year's communicatieplan op maat; returns the new version."""
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items() if k in PLAN_FIELDS}
    values = check_texts(T.communicatieplan, values, error=StartgesprekError)
    if "vormen" in values:
        values["vormen"] = [v for v in VORMEN if v in set(values["vormen"])]
        unknown = set(changes["vormen"]) - set(VORMEN)
        if unknown:
            raise StartgesprekError("startgesprek.choice_unknown", field="vormen")
    if values.get("initiatief", "") not in ("", *INITIATIEF):
        raise StartgesprekError("startgesprek.choice_unknown", field="initiatief")
    klassen._own_student(conn, actor, student_id)
    current = get_plan(conn, actor, student_id)
    if current is None:
        conn.execute(
            insert(T.communicatieplan).values(
                school_id=actor.school_id,
                student_id=student_id,
                school_year_id=_year(conn, actor),
                author_id=actor.id,
                **values,
            )
        )
        return 1
    return update_versioned(
        conn,
        T.communicatieplan,
        version,
        values,
        T.communicatieplan.c.id == current["id"],
        author_id=actor.id,
    )


# -- overview ------------------------------------------------------------------------------------------------


def progress(conn: Connection, actor: Actor, klas_id: int | None = None) -> Progress:
    """Invited / planned / held / goal / plan counts for a class (or the whole school when None)."""
    return _tally(_progress_rows(conn, actor, klas_id))


def _progress_rows(conn: Connection, actor: Actor, klas_id: int | None = None) -> list:
    year = _year(conn, actor)
    query = (
        select(
            T.student.c.id,
            *T.STUDENT_NAME,
            T.klas.c.name.label("klas"),
            T.conversation.c.invited_at,
            T.conversation.c.slot_id,
            T.conversation.c.held_on,
            T.conversation.c.shared_goal,
            T.conversation.c.collective_info,
            T.communicatieplan.c.vormen,
            T.gouden_mail.c.status.label("gouden_mail"),
        )
        .join(T.klas, T.klas.c.id == T.student.c.klas_id)
        .outerjoin(
            T.conversation,
            (T.conversation.c.student_id == T.student.c.id)
            & (T.conversation.c.school_year_id == year)
            & (T.conversation.c.kind == KIND),
        )
        .outerjoin(
            T.communicatieplan,
            (T.communicatieplan.c.student_id == T.student.c.id)
            & (T.communicatieplan.c.school_year_id == year),
        )
        .outerjoin(
            T.gouden_mail,
            (T.gouden_mail.c.student_id == T.student.c.id) & (T.gouden_mail.c.school_year_id == year),
        )
        .where(
            T.student.c.school_id == actor.school_id,
            T.student.c.left_on.is_(None),
            T.klas.c.school_year_id == year,
        )
        .order_by(T.klas.c.name, T.student.c.achternaam, T.student.c.roepnaam)
    )
    if klas_id is not None:
        query = query.where(T.student.c.klas_id == klas_id)
    return conn.execute(query).mappings().all()


def progress_by_klas(conn: Connection, actor: Actor) -> tuple[Progress, dict[str, Progress]]:
    """The whole school's progress and each class's, from one query."""
    rows = _progress_rows(conn, actor)
    per_klas: dict[str, list] = {}
    for row in rows:
        per_klas.setdefault(row["klas"], []).append(row)
    return _tally(rows), {name: _tally(group) for name, group in per_klas.items()}


def _tally(rows) -> Progress:
    collective: dict[str, int] = {}
    for r in rows:
        if r["collective_info"]:
            collective[r["collective_info"]] = collective.get(r["collective_info"], 0) + 1
    without = [
        {
            "id": r["id"],
            "klas": r["klas"],
            "naam": klassen.full_name(r["roepnaam"], r["tussenvoegsel"], r["achternaam"]),
        }
        for r in rows
        if r["held_on"] is None
    ]
    return Progress(
        students=len(rows),
        invited=sum(r["invited_at"] is not None for r in rows),
        planned=sum(r["slot_id"] is not None for r in rows),
        held=sum(r["held_on"] is not None for r in rows),
        goal=sum(bool(r["shared_goal"]) for r in rows),
        plan=sum(bool(r["vormen"]) for r in rows),
        gouden_mail_sent=sum(r["gouden_mail"] == "verstuurd" for r in rows),
        without_talk=without,
        collective=collective,
    )


def state_label_key(conversation: dict[str, Any] | None) -> str:
    """The catalog key of a student's startgesprek state, for the class table."""
    if not conversation:
        return "startgesprek.state_none"
    if conversation.get("held_on"):
        return "startgesprek.state_held"
    if conversation.get("invited_at"):
        return "startgesprek.state_invited"
    if conversation.get("slot_id"):
        return "startgesprek.state_planned"
    return "startgesprek.state_none"


# -- sheets and invitations ----------------------------------------------------------------------------------


def family_data(conn: Connection, actor: Actor, student_ids: list[int]) -> list[dict[str, Any]]:
    """What a sheet, letter, e-mail or gouden mail needs per student: names, klas, guardians, slot, and
    the ONE source of their school and mentor values: `school`, `school_adres`, `mentor` ("A en B" for
    two mentors), `mentor_email`, `mentor_telefoon` (of the first mentor; the acting staff member when
    the class has none) and `mentors` (for `instellingen.missing`).

    A fixed number of queries for any number of students, in the order asked; a student of another school
    (or one removed meanwhile) raises `KlassenError("klassen.student_not_found")`."""
    from stip import instellingen

    if not student_ids:
        return []
    year = _year(conn, actor)
    rows = (
        conn.execute(
            select(
                T.student.c.id,
                *T.STUDENT_NAME,
                T.student.c.klas_id,
                T.klas.c.name.label("klas"),
                T.school.c.name.label("school"),
                T.school.c.adres.label("school_adres"),
                *[c.label(f"slot_{c.name}") for c in T.slot.c],
            )
            .join(T.school, T.school.c.id == T.student.c.school_id)
            .outerjoin(T.klas, T.klas.c.id == T.student.c.klas_id)
            .outerjoin(
                T.conversation,
                (T.conversation.c.student_id == T.student.c.id)
                & (T.conversation.c.school_year_id == year)
                & (T.conversation.c.kind == KIND),
            )
            .outerjoin(T.slot, T.slot.c.id == T.conversation.c.slot_id)
            .where(T.student.c.id.in_(student_ids), T.student.c.school_id == actor.school_id)
        )
        .mappings()
        .all()
    )
    by_id = {r["id"]: r for r in rows}
    if any(i not in by_id for i in student_ids):
        raise klassen.KlassenError("klassen.student_not_found")
    guardians = klassen._guardians_of(conn, list(student_ids))
    mentors = instellingen.mentors_of(conn, actor, {r["klas_id"] for r in rows if r["klas_id"] is not None})
    slot_columns = [c.name for c in T.slot.c]
    result = []
    for student_id in student_ids:
        r = by_id[student_id]
        slot = {name: r[f"slot_{name}"] for name in slot_columns} if r["slot_id"] is not None else None
        result.append(
            {
                "id": student_id,
                "naam": klassen.full_name(r["roepnaam"], r["tussenvoegsel"], r["achternaam"]),
                "roepnaam": r["roepnaam"],
                "klas": r["klas"] or "",
                "guardians": guardians[student_id],
                **instellingen.mentor_values(
                    mentors.get(r["klas_id"]) or mentors.get(instellingen.ACTOR_KEY, []), actor.id
                ),
                "school": r["school"],
                "school_adres": r["school_adres"],
                "slot": slot,
            }
        )
    from stip import gouden_mail

    compliments = gouden_mail.compliments(conn, actor, list(student_ids))
    for family in result:
        family["gouden_mail"] = compliments.get(family["id"], "")  # shown on the conversation sheet
    return result


def calendar_events(conn: Connection, actor: Actor, klas_id: int) -> list:
    """The planned talks of a class as `agenda.CalendarEvent`s, in time order, for the .ics export: the
    class's slots and the families in them in a fixed number of queries, whatever the class size."""
    from stip import agenda, invitations
    from stip.i18n import t

    rows = [r for r in slots(conn, actor, klas_id) if r["student_id"]]
    families = {f["id"]: f for f in family_data(conn, actor, [r["student_id"] for r in rows])}
    events = []
    for row in rows:
        family = families[row["student_id"]]
        ouders = invitations.guardians_line(family["guardians"])  # with the interpreter's language
        events.append(
            agenda.CalendarEvent(
                uid=f"stip-slot-{row['id']}@stip",
                start=row["starts_at"],
                end=row["ends_at"],
                summary=t("startgesprek.ics_summary", naam=family["naam"], klas=family["klas"]),
                description=t(
                    "startgesprek.ics_description",
                    naam=family["naam"],
                    klas=family["klas"],
                    ouders=ouders or "—",
                ),
                location=row["location"],
            )
        )
    return events


def states(conn: Connection, actor: Actor, student_ids: list[int]) -> dict[int, dict[str, Any]]:
    """This year's startgesprek row per student (only students that have one)."""
    if not student_ids:
        return {}
    rows = (
        conn.execute(
            select(T.conversation).where(
                T.conversation.c.student_id.in_(student_ids),
                T.conversation.c.kind == KIND,
                T.conversation.c.school_year_id == _year(conn, actor),
            )
        )
        .mappings()
        .all()
    )
    return {r["student_id"]: dict(r) for r in rows}


def last_contacts(conn: Connection, actor: Actor, student_ids: list[int]) -> dict[int, tuple[date, str]]:
    """Per student the latest contact Stip knows of: (day, catalog key of what it was) — a logged contact
    moment, a held talk or a sent gouden mail; one function for every screen (`overzicht.last_contacts`)."""
    from stip import overzicht

    return overzicht.last_contacts(conn, actor, student_ids)
