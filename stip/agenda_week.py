"""The class agenda (issue 15 §2): "wat staat er deze week en volgende week".

Three kinds of due items, each keyed by (source, source_id, due_on) — the key of `agenda_item`:
- `moment`: a planned contact of a communicatieplan (`plan_moment`, resolved to dates by
  `stip.moments.occurrences` against the school calendar; "elke n weken" counts from the plan's start);
- `afspraak`: an open agreement reaching its date (`afspraak.wanneer`);
- `review`: the day the communicatieplan is looked at again (`communicatieplan.review_on`).

What became of an item is an `agenda_item` row: `gedaan` (with the contact that was logged; the item
leaves the agenda) or `verzet` (moved to `moved_to` with a reason; it shows on its new day). Items
from before this week that were neither done nor moved stay visible as "te laat", so a due contact is
never missed. Reading the agenda of a class takes the same handful of statements for any class size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from stip import contacten, klassen, moments, timefmt
from stip.errors import UserError
from stip.i18n import t
from stip.schools import Actor
from stip.store import VersionConflict, update_versioned
from stip.store import tables as T
from stip.validation import check_texts

__all__ = [
    "SOURCES",
    "AgendaEntry",
    "AgendaError",
    "WeekAgenda",
    "calendar_events",
    "entries",
    "mark_done",
    "move",
    "week_agenda",
]

SOURCES = ("moment", "afspraak", "review")
SOURCE_TABLES = {"moment": T.plan_moment, "afspraak": T.afspraak, "review": T.communicatieplan}


class AgendaError(UserError):
    """A user error with a Dutch catalog text; `field` names the form field when there is one."""


@dataclass(frozen=True)
class AgendaEntry:
    source: str
    source_id: int
    due_on: date  # the planned day: the key of its agenda_item
    day: date  # the day it is on the agenda (`moved_to` when moved)
    student_id: int
    naam: str
    what: str  # plain text: "telefoon — na rapport 1", the agreement, "communicatieplan bekijken"
    kanaal: str  # the channel suggested when logging it
    moved: bool = False
    reason: str = ""
    item_id: int | None = None
    item_version: int | None = None

    @property
    def key(self) -> tuple[str, int, date]:
        return (self.source, self.source_id, self.due_on)

    @property
    def uid(self) -> str:
        return f"stip-{self.source}-{self.source_id}-{self.due_on:%Y%m%d}@stip"


@dataclass(frozen=True)
class WeekAgenda:
    first_day: date  # Monday of this week
    overdue: list[AgendaEntry] = field(default_factory=list)
    this_week: list[AgendaEntry] = field(default_factory=list)
    next_week: list[AgendaEntry] = field(default_factory=list)
    note: str = ""  # the calendar's defaults note, "" once report days are set


def _names(conn: Connection, actor: Actor, klas_id: int) -> dict[int, str]:
    s = T.student.c
    rows = conn.execute(
        select(s.id, *T.STUDENT_NAME).where(
            s.klas_id == klas_id, s.school_id == actor.school_id, s.left_on.is_(None)
        )
    )
    return {r.id: klassen.full_name(r.roepnaam, r.tussenvoegsel, r.achternaam) for r in rows}


def _in_class(klas_id: int, actor: Actor):
    s = T.student.c
    return (s.klas_id == klas_id, s.school_id == actor.school_id, s.left_on.is_(None))


def entries(
    conn: Connection, actor: Actor, klas_id: int, start: date, end: date, calendar=None
) -> tuple[list[AgendaEntry], Any]:
    """Every due item of the class on the agenda between `start` and `end` (by the day it is on the
    agenda), done ones left out, sorted by day and name; and the school calendar used."""
    calendar = calendar or moments.school_calendar(conn, actor)
    names = _names(conn, actor, klas_id)
    if not names:
        return [], calendar
    p, m, a = T.communicatieplan.c, T.plan_moment.c, T.afspraak.c
    plans = {
        r["id"]: dict(r)
        for r in conn.execute(
            select(p.id, p.student_id, p.vormen, p.review_on, p.created_at)
            .join(T.student, T.student.c.id == p.student_id)
            .where(p.school_year_id == actor.school_year_id, *_in_class(klas_id, actor))
        ).mappings()
    }
    plan_moments = (
        conn.execute(
            select(m.id, m.student_id, m.communicatieplan_id, m.kind, m.value, m.vorm)
            .join(T.communicatieplan, T.communicatieplan.c.id == m.communicatieplan_id)
            .join(T.student, T.student.c.id == m.student_id)
            .where(T.communicatieplan.c.school_year_id == actor.school_year_id, *_in_class(klas_id, actor))
            .order_by(m.position, m.id)
        )
        .mappings()
        .all()
    )
    agreements = (
        conn.execute(
            select(a.id, a.student_id, a.wat, a.wanneer)
            .join(T.student, T.student.c.id == a.student_id)
            .where(a.status == "open", a.wanneer.is_not(None), *_in_class(klas_id, actor))
        )
        .mappings()
        .all()
    )
    i = T.agenda_item.c
    done_or_moved = {
        (r["source"], r["source_id"], r["due_on"]): dict(r)
        for r in conn.execute(
            select(T.agenda_item)
            .join(T.student, T.student.c.id == i.student_id)
            .where(*_in_class(klas_id, actor))
        ).mappings()
    }

    due: list[tuple[str, int, date, int, str, str]] = []  # source, id, due_on, student, what, kanaal
    for moment in plan_moments:
        plan = plans.get(moment["communicatieplan_id"])
        if plan is None:
            continue
        anchor = timefmt.local(plan["created_at"]).date() if plan["created_at"] else None
        vorm = moment["vorm"] or (plan["vormen"] or [""])[0]
        label = moments.moment_label(moment["kind"], moment["value"])
        what = f"{vorm} — {label}" if vorm else label
        for day in moments.occurrences(moment, calendar, calendar.starts_on, calendar.ends_on, anchor=anchor):
            if moment["kind"] != "datum" and anchor and day < anchor:
                continue  # before the plan existed: nothing was missed
            due.append(("moment", moment["id"], day, moment["student_id"], what, vorm))
        if moment["kind"] == "datum":  # a fixed date may lie outside the school year
            day = date.fromisoformat(moment["value"])
            if not calendar.starts_on <= day <= calendar.ends_on:
                due.append(("moment", moment["id"], day, moment["student_id"], what, vorm))
    for agreement in agreements:
        what = t("agenda.afspraak_what", wat=agreement["wat"])
        due.append(("afspraak", agreement["id"], agreement["wanneer"], agreement["student_id"], what, ""))
    for plan in plans.values():
        if plan["review_on"] is not None:
            vorm = (plan["vormen"] or [""])[0]
            due.append(
                ("review", plan["id"], plan["review_on"], plan["student_id"], t("agenda.review_what"), vorm)
            )

    found = []
    for source, source_id, due_on, student_id, what, kanaal in due:
        if student_id not in names:
            continue
        item = done_or_moved.get((source, source_id, due_on))
        if item is not None and item["status"] == "gedaan":
            continue
        moved = item is not None and item["status"] == "verzet" and item["moved_to"] is not None
        day = item["moved_to"] if moved else due_on
        if not start <= day <= end:
            continue
        found.append(
            AgendaEntry(
                source=source,
                source_id=source_id,
                due_on=due_on,
                day=day,
                student_id=student_id,
                naam=names[student_id],
                what=t("agenda.moved_from", what=what, datum=timefmt.format_date(due_on)) if moved else what,
                kanaal=kanaal if kanaal in contacten.KANALEN else "",
                moved=moved,
                reason=item["reason"] if item else "",
                item_id=item["id"] if item else None,
                item_version=item["version"] if item else None,
            )
        )
    found.sort(key=lambda e: (e.day, e.naam.casefold(), SOURCES.index(e.source), e.source_id))
    return found, calendar


def week_agenda(conn: Connection, actor: Actor, klas_id: int, today: date | None = None) -> WeekAgenda:
    """This week and next week (Monday to Sunday) of the class, and what is overdue from before."""
    today = today or timefmt.today()
    monday = today - timedelta(days=today.weekday())
    calendar = moments.school_calendar(conn, actor)
    found, calendar = entries(
        conn, actor, klas_id, min(calendar.starts_on, monday), monday + timedelta(days=13), calendar
    )
    next_monday = monday + timedelta(days=7)
    return WeekAgenda(
        first_day=monday,
        overdue=[e for e in found if e.day < monday],
        this_week=[e for e in found if monday <= e.day < next_monday],
        next_week=[e for e in found if e.day >= next_monday],
        note=moments.defaults_note(calendar),
    )


def _check_source(conn: Connection, actor: Actor, source: str, source_id: int, student_id: int) -> None:
    if source not in SOURCE_TABLES:
        raise AgendaError("agenda.item_not_found")
    table = SOURCE_TABLES[source]
    found = conn.execute(
        select(table.c.id).where(
            table.c.id == source_id, table.c.student_id == student_id, table.c.school_id == actor.school_id
        )
    ).scalar()
    if found is None:
        raise AgendaError("agenda.item_not_found")


def _store_item(
    conn: Connection, actor: Actor, entry: AgendaEntry, values: dict[str, Any], version: int | None
) -> int:
    """Insert or update the agenda_item of `entry`; VersionConflict when someone else got there first."""
    i = T.agenda_item.c
    key = (i.source == entry.source, i.source_id == entry.source_id, i.due_on == entry.due_on)
    current = conn.execute(select(i.id, i.version).where(*key)).first()
    if current is None:
        if version is not None:
            raise VersionConflict()  # it was there when read, someone removed it meanwhile
        try:  # a write transaction is serialised (BEGIN IMMEDIATE); this guards other databases
            conn.execute(
                insert(T.agenda_item).values(
                    school_id=actor.school_id,
                    student_id=entry.student_id,
                    source=entry.source,
                    source_id=entry.source_id,
                    due_on=entry.due_on,
                    author_id=actor.id,
                    **values,
                )
            )
        except IntegrityError:
            raise VersionConflict() from None
        return 1
    if version is None:
        raise VersionConflict()  # someone else marked or moved it since the agenda was read
    return update_versioned(conn, T.agenda_item, version, values, i.id == current.id, author_id=actor.id)


def mark_done(conn: Connection, actor: Actor, entry: AgendaEntry, contact: dict[str, Any]) -> tuple[int, int]:
    """Log that `entry` happened: a contact (`contact`: toon, regel, kanaal — default the entry's —,
    happened_on — default today) and its agenda_item `gedaan`. Returns the contact's (id, version)."""
    _check_source(conn, actor, entry.source, entry.source_id, entry.student_id)
    i = T.agenda_item.c
    current = conn.execute(
        select(i.version).where(
            i.source == entry.source, i.source_id == entry.source_id, i.due_on == entry.due_on
        )
    ).scalar()
    if current != entry.item_version:  # another page marked or moved it since this agenda was read
        raise VersionConflict()
    values = {"kanaal": entry.kanaal, **contact}
    contact_id, contact_version = contacten.log_contact(conn, actor, entry.student_id, values)
    _store_item(
        conn,
        actor,
        entry,
        {"status": "gedaan", "contact_moment_id": contact_id, "moved_to": None},
        entry.item_version,
    )
    return contact_id, contact_version


def move(conn: Connection, actor: Actor, entry: AgendaEntry, moved_to: Any, reason: str) -> int:
    """Move `entry` to `moved_to` (today or later) with a reason; returns the agenda_item's version."""
    reason = (reason or "").strip()
    checked = check_texts(T.agenda_item, {"reason": reason}, error=AgendaError)
    if not isinstance(moved_to, date):
        raise AgendaError("agenda.moved_to_needed", field="moved_to")
    if moved_to < timefmt.today():
        raise AgendaError("agenda.moved_to_past", field="moved_to")
    if moved_to > timefmt.today() + timedelta(days=400):
        raise AgendaError("agenda.moved_to_far", field="moved_to")
    if not checked["reason"]:
        raise AgendaError("agenda.reason_needed", field="reason")
    _check_source(conn, actor, entry.source, entry.source_id, entry.student_id)
    values = {"status": "verzet", "moved_to": moved_to, "reason": checked["reason"]}
    return _store_item(conn, actor, entry, values, entry.item_version)


def calendar_events(conn: Connection, actor: Actor, klas_id: int, today: date | None = None) -> list:
    """The class's planned contacts and agreement dates from today to the end of the school year (moved
    ones on their new day, done ones left out) as all-day `agenda.CalendarEvent`s for the .ics export."""
    from stip.agenda import CalendarEvent

    today = today or timefmt.today()
    calendar = moments.school_calendar(conn, actor)
    found, _calendar = entries(
        conn, actor, klas_id, today, max(calendar.ends_on, today + timedelta(days=366)), calendar
    )
    events = []
    for entry in found:
        if entry.source == "review":
            continue
        summary = t("agenda.ics_summary", naam=entry.naam, what=entry.what)
        description = t("agenda.ics_moved", reason=entry.reason) if entry.moved else ""
        events.append(
            CalendarEvent(entry.uid, entry.day, entry.day + timedelta(days=1), summary, description)
        )
    return events
