"""See every family (issue 15 §6 and §7): per class and across the school, who had which contact.

Per family (a student with their guardians): the last contact, the contacts of this term by tone, the
positive balance, the overdue agreements and the next planned contact; and the three lists "nog geen
contact dit schooljaar", "nog geen positief contact" and "nog geen plan".

Contacts are the logged contact moments plus the startgesprek held (counts as neutraal, unless a contact
moment was logged for that talk) and the gouden mail sent (counts as positief). `last_contacts` is the
one function behind "laatste contact" everywhere (the Klassen screen too).

Set-based: one statement per source for the whole scope (a class or the whole school), never one per
student; `family_overview` runs a fixed number of statements whatever the size. Reflections are never
read here: they stay private to their author.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Select, func, select

from stip import klassen, moments, timefmt
from stip.schools import Actor
from stip.store import tables as T

__all__ = [
    "TONES",
    "Family",
    "Overview",
    "family_overview",
    "last_contacts",
    "term_bounds",
    "week_start",
]

TONES = ("positief", "neutraal", "zorg")
TALK_TONE = "neutraal"  # a held startgesprek
MAIL_TONE = "positief"  # a sent gouden mail

# What a last contact was, as catalog keys.
KIND_KEYS = {
    "talk": "startgesprek.contact_talk",
    "gouden_mail": "startgesprek.contact_gouden_mail",
    "positief": "overzicht.contact_positief",
    "neutraal": "overzicht.contact_neutraal",
    "zorg": "overzicht.contact_zorg",
}


@dataclass
class Family:
    """One family's row: the student with guardians and class, and what Stip knows of their contacts."""

    student_id: int
    name: str
    klas_id: int | None
    klas: str
    guardians: list[str] = field(default_factory=list)
    last_on: date | None = None
    last_key: str | None = None
    term: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TONES, 0))
    year: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TONES, 0))
    overdue: int = 0
    has_plan: bool = False
    next_on: date | None = None

    @property
    def balance(self) -> int:
        """Positive minus concern contacts this term: above zero, the good news outweighs the worries."""
        return self.term["positief"] - self.term["zorg"]

    @property
    def contact_this_year(self) -> bool:
        return sum(self.year.values()) > 0

    @property
    def positive_this_year(self) -> bool:
        return self.year["positief"] > 0


@dataclass
class Overview:
    """Families of a scope (a class or the school) with the term, the weekly counts and the three lists."""

    families: list[Family]
    year_start: date
    year_end: date
    term_start: date
    term_end: date
    today: date
    weeks: list[tuple[date, dict[str, int]]]
    calendar_note: str = ""  # while the report days are Stip's defaults (no admin set them yet)

    @property
    def no_contact(self) -> list[Family]:
        return [f for f in self.families if not f.contact_this_year]

    @property
    def no_positive(self) -> list[Family]:
        return [f for f in self.families if not f.positive_this_year]

    @property
    def no_plan(self) -> list[Family]:
        return [f for f in self.families if not f.has_plan]

    @property
    def overdue(self) -> int:
        return sum(f.overdue for f in self.families)

    def term_totals(self) -> dict[str, int]:
        return {tone: sum(f.term[tone] for f in self.families) for tone in TONES}


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def term_bounds(starts_on: date, ends_on: date, reports: list[date], today: date) -> tuple[date, date]:
    """The term holding `today`: from the day after the last report before today (or the year's first
    day) to the next report day (or the year's last day). Report days end a term."""
    start, end = starts_on, ends_on
    for report in sorted(reports):
        if report < today:
            start = report + timedelta(days=1)
        else:
            end = report
            break
    if today > ends_on:
        start = max(start, starts_on)
    return start, end


def _contact_sources(
    conn: Connection, students: list[int] | Select
) -> tuple[list[Any], list[Any], list[Any]]:
    """Raw contact rows of a scope: per (student, tone) the latest day and counts per day bucket come
    later; here three statements: logged moments grouped by (student, day, tone), held talks not
    logged as a moment, sent gouden mails."""
    cm = T.contact_moment
    moments = conn.execute(
        select(cm.c.student_id, cm.c.happened_on, cm.c.toon, func.count())
        .where(cm.c.student_id.in_(students))
        .group_by(cm.c.student_id, cm.c.happened_on, cm.c.toon)
    ).all()
    logged_talks = select(cm.c.conversation_id).where(
        cm.c.student_id.in_(students), cm.c.conversation_id.is_not(None)
    )
    c = T.conversation
    talks = conn.execute(
        select(c.c.student_id, c.c.held_on).where(
            c.c.student_id.in_(students),
            c.c.held_on.is_not(None),
            c.c.id.not_in(logged_talks),
        )
    ).all()
    g = T.gouden_mail
    mails = conn.execute(
        select(g.c.student_id, g.c.sent_at).where(g.c.student_id.in_(students), g.c.sent_at.is_not(None))
    ).all()
    return moments, talks, mails


def _events(conn: Connection, students: list[int] | Select):
    """Every contact of a scope as (student, day, tone, kind key, count)."""
    moments, talks, mails = _contact_sources(conn, students)
    for student_id, day, tone, count in moments:
        yield student_id, day, tone, KIND_KEYS.get(tone, KIND_KEYS["neutraal"]), count
    for student_id, day in talks:
        yield student_id, day, TALK_TONE, KIND_KEYS["talk"], 1
    for student_id, sent_at in mails:
        yield student_id, timefmt.local(sent_at).date(), MAIL_TONE, KIND_KEYS["gouden_mail"], 1


def last_contacts(conn: Connection, actor: Actor, student_ids: list[int]) -> dict[int, tuple[date, str]]:
    """Per student the latest contact Stip knows of: (day, catalog key of what it was) — a logged contact
    moment (by its tone), a held talk or a sent gouden mail. Three statements for any number of students."""
    found: dict[int, tuple[date, str]] = {}
    if not student_ids:
        return found
    for student_id, day, _tone, key, _count in _events(conn, student_ids):
        if student_id not in found or day > found[student_id][0]:
            found[student_id] = (day, key)
    return found


def _scope(actor: Actor, klas_id: int | None) -> Select:
    """The ids of the scope's students (a class, or every class of the current school year)."""
    s = T.student
    query = (
        select(s.c.id)
        .join(T.klas, T.klas.c.id == s.c.klas_id)
        .where(s.c.left_on.is_(None), T.klas.c.school_year_id == actor.school_year_id)
    )
    if klas_id is None:
        return query.where(s.c.school_id == actor.school_id)
    # `school_id + 0`: still checked, but SQLite then reaches the class by its klas_id index instead of
    # reading every student of the school (without ANALYZE it picks the first index it finds).
    return query.where(s.c.klas_id == klas_id, (s.c.school_id + 0) == actor.school_id)


def family_overview(
    conn: Connection, actor: Actor, klas_id: int | None = None, today: date | None = None
) -> Overview:
    """The families of class `klas_id` (with guardians), or of every class of the current school year
    (without guardians), with their contacts; a fixed number of statements whatever the size."""
    today = today or timefmt.today()
    year = moments.school_calendar(conn, actor)
    term_start, term_end = term_bounds(year.starts_on, year.ends_on, list(year.reports), today)
    families = _families(conn, actor, klas_id)
    by_id = {f.student_id: f for f in families}
    scope = _scope(actor, klas_id)

    weekly: dict[date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(TONES, 0))
    for student_id, day, tone, key, count in _events(conn, scope):
        family = by_id.get(student_id)
        if family is None or tone not in TONES:
            continue
        if family.last_on is None or day > family.last_on:
            family.last_on, family.last_key = day, key
        if year.starts_on <= day <= year.ends_on:
            family.year[tone] += count
            weekly[week_start(day)][tone] += count
        if term_start <= day <= term_end:
            family.term[tone] += count

    a = T.afspraak
    for student_id, count in conn.execute(
        select(a.c.student_id, func.count())
        .where(a.c.student_id.in_(scope), a.c.status == "open", a.c.wanneer < today)
        .group_by(a.c.student_id)
    ):
        if student_id in by_id:
            by_id[student_id].overdue = count

    cp = T.communicatieplan
    has_moment = select(func.count()).where(T.plan_moment.c.communicatieplan_id == cp.c.id).scalar_subquery()
    for row in conn.execute(
        select(cp.c.student_id, cp.c.vormen, cp.c.momenten, cp.c.patroon, has_moment.label("moments")).where(
            cp.c.student_id.in_(scope), cp.c.school_year_id == actor.school_year_id
        )
    ):
        if row.student_id in by_id:
            by_id[row.student_id].has_plan = bool(
                row.vormen or row.momenten.strip() or row.patroon or row.moments
            )

    for student_id, day in _next_planned(conn, actor, scope, year, today).items():
        if student_id in by_id:
            by_id[student_id].next_on = day

    weeks = _week_range(weekly, year.starts_on, min(today, year.ends_on))
    return Overview(
        families,
        year.starts_on,
        year.ends_on,
        term_start,
        term_end,
        today,
        weeks,
        moments.defaults_note(year),
    )


def _next_planned(
    conn: Connection, actor: Actor, scope: Select, calendar: moments.SchoolCalendar, today: date
) -> dict[int, date]:
    """Per student the first planned contact from `today` on: the plan's moments resolved against the
    school calendar ("elke n weken" counted from the plan's start, as the agenda does), a moment done in
    the agenda skipped, a moved one at its new day. Two statements for the whole scope."""
    pm, cp, ai = T.plan_moment, T.communicatieplan, T.agenda_item
    rows = conn.execute(
        select(pm.c.id, pm.c.student_id, pm.c.kind, pm.c.value, cp.c.created_at)
        .join(cp, cp.c.id == pm.c.communicatieplan_id)
        .where(pm.c.student_id.in_(scope), cp.c.school_year_id == actor.school_year_id)
    ).all()
    handled = {
        (source_id, due_on): (status, moved_to)
        for source_id, due_on, status, moved_to in conn.execute(
            select(ai.c.source_id, ai.c.due_on, ai.c.status, ai.c.moved_to).where(
                ai.c.student_id.in_(scope), ai.c.source == "moment"
            )
        )
    }
    found: dict[int, date] = {}
    for moment_id, student_id, kind, value, created_at in rows:
        anchor = timefmt.local(created_at).date() if created_at else None
        end = date.max if kind == "datum" else max(calendar.ends_on, today)
        start = calendar.starts_on if kind != "datum" else min(calendar.starts_on, today)
        for due_on in moments.occurrences((kind, value), calendar, start, end, anchor=anchor):
            if kind != "datum" and anchor and due_on < anchor:
                continue
            status, moved_to = handled.get((moment_id, due_on), ("", None))
            if status == "gedaan":
                continue
            day = moved_to if status == "verzet" and moved_to is not None else due_on
            if day >= today and (student_id not in found or day < found[student_id]):
                found[student_id] = day
    return found


def _week_range(
    weekly: dict[date, dict[str, int]], starts_on: date, until: date, at_most: int = 20
) -> list[tuple[date, dict[str, int]]]:
    """The last `at_most` weeks up to `until` (never before the year's start), empty weeks included."""
    last = week_start(until)
    first = max(week_start(starts_on), last - timedelta(weeks=at_most - 1))
    weeks = []
    monday = first
    while monday <= last:
        weeks.append((monday, dict(weekly.get(monday, dict.fromkeys(TONES, 0)))))
        monday += timedelta(weeks=1)
    return weeks


def _families(conn: Connection, actor: Actor, klas_id: int | None) -> list[Family]:
    """A class's students with guardians (two statements), or the school's students with their class
    (one statement), ordered by class and name."""
    if klas_id is not None:
        name = conn.execute(select(T.klas.c.name).where(T.klas.c.id == klas_id)).scalar() or ""
        return [
            Family(
                s["id"],
                klassen.full_name(s["roepnaam"], s["tussenvoegsel"], s["achternaam"]),
                klas_id,
                name,
                [g["naam"] for g in s["guardians"]],
            )
            for s in klassen.class_students(conn, actor, klas_id)
        ]
    s = T.student
    rows = conn.execute(
        select(s.c.id, s.c.roepnaam, s.c.tussenvoegsel, s.c.achternaam, T.klas.c.id, T.klas.c.name)
        .join(T.klas, T.klas.c.id == s.c.klas_id)
        .where(
            s.c.school_id == actor.school_id,
            s.c.left_on.is_(None),
            T.klas.c.school_year_id == actor.school_year_id,
        )
        .order_by(T.klas.c.name, s.c.achternaam, s.c.roepnaam)
    ).all()
    return [Family(r[0], klassen.full_name(r[1], r[2], r[3]), r[4], r[5]) for r in rows]


def by_class(overview: Overview) -> list[tuple[int, str, list[Family]]]:
    """The families grouped by class, in the overview's order: (klas id, klas name, families)."""
    groups: dict[int | None, tuple[int, str, list[Family]]] = {}
    for family in overview.families:
        groups.setdefault(family.klas_id, (family.klas_id, family.klas, []))[2].append(family)
    return list(groups.values())


def main_query_plan(conn: Connection, actor: Actor, klas_id: int | None = None) -> list[str]:
    """SQLite's EXPLAIN QUERY PLAN of the main statement (logged contact moments of the scope), for the
    tests and the benchmark: every table reached by an index, no full scan of contact_moment."""
    cm = T.contact_moment
    query = (
        select(cm.c.student_id, cm.c.happened_on, cm.c.toon, func.count())
        .where(cm.c.student_id.in_(_scope(actor, klas_id)))
        .group_by(cm.c.student_id, cm.c.happened_on, cm.c.toon)
    )
    compiled = query.compile(conn, compile_kwargs={"literal_binds": True})
    return [row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")]
