"""Moments of a communicatieplan as data, and their resolution to dates (issue 15).

A moment is a `plan_moment` row (kind, value):

- `na_rapport` ("1", "2", …): right after report n. It falls on the first school day AFTER that report
  day (the report day itself is for the report; the contact follows in the week after it). A report that
  the school year does not have (e.g. "na rapport 4" with three reports) gives no date.
- `maand` ("1" … "12"): the first school day of that month in this school year (a month from the year's
  first month onward is in the first calendar year, an earlier month in the second). A month before the
  year's first day starts at that first day; a month with no school day left gives no date.
- `juni_evaluatie` (""): the end-of-year evaluation, on the first school day from 15 June of the school
  year's second calendar year (before the busy last weeks).
- `interval_weken` ("6"): every n weeks from the plan's start (the `anchor` of `occurrences`, by default
  the first school day of the year). A date on a weekend or in a holiday moves to the first school day
  after it, and the next one is counted from the moved date: there are always at least n weeks between
  two contacts, never two in a row just after a holiday.
- `datum` ("2026-11-20"): that day, as agreed with the family (not moved, also not in a holiday).

The calendar (`school_calendar`) comes from the school year's bounds and its `school_year_date` rows
(kind "rapport": one day; kind "vakantie": first and last day; see `stip/instellingen.py`). The reports
are numbered in date order. While no report day is set, Stip uses `DEFAULT_REPORTS` and sets
`reports_are_defaults`, so a screen shows `moments.defaults_note` ("vraag je beheerder (Instellingen)"):

    rapport 1: 15 november, rapport 2: 31 januari, rapport 3: 15 april, rapport 4: 10 juli

(a default day on a weekend stays on that day; "na rapport n" then moves to the next school day anyway).
Days outside the school year are no school days.

`parse_moment(text)` turns what a mentor types into (kind, value) or raises `MomentError` with a Dutch
catalog key and `field="moment"`; `moment_label(kind, value)` is the display text ("na rapport 1",
"november", "juni-evaluatie", "elke 6 weken", "20-11-2026").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, select

from stip import timefmt
from stip.errors import UserError
from stip.i18n import t
from stip.schools import Actor
from stip.store import tables as T

__all__ = [
    "KINDS",
    "DEFAULT_REPORTS",
    "MomentError",
    "SchoolCalendar",
    "calendar_from",
    "school_calendar",
    "occurrences",
    "next_occurrence",
    "parse_moment",
    "check_moment",
    "moment_label",
]

KINDS = ("na_rapport", "maand", "juni_evaluatie", "interval_weken", "datum")
# (month, day) of the default report days, in order, while the school has not set its own.
DEFAULT_REPORTS = ((11, 15), (1, 31), (4, 15), (7, 10))
JUNE_EVALUATION = (6, 15)
MAX_REPORT = 9
MAX_WEEKS = 52
FIELD = "moment"


class MomentError(UserError):
    """A moment that cannot be read or stored; its field is the moment unless said otherwise."""

    def __init__(self, message_key: str, field: str | None = FIELD, **values: object):
        super().__init__(message_key, field, **values)


# -- the calendar ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolCalendar:
    """One school year: its first and last day, report days in order, holidays (first, last day)."""

    starts_on: date
    ends_on: date
    reports: tuple[date, ...]
    holidays: tuple[tuple[date, date], ...] = ()
    reports_are_defaults: bool = False

    def is_school_day(self, day: date) -> bool:
        if day.weekday() >= 5 or not self.starts_on <= day <= self.ends_on:
            return False
        return not any(first <= day <= last for first, last in self.holidays)

    def school_day_from(self, day: date) -> date | None:
        """`day` if it is a school day, else the first school day after it; None past the year's end."""
        day = max(day, self.starts_on)
        while day <= self.ends_on:
            if self.is_school_day(day):
                return day
            holiday_end = next((last for first, last in self.holidays if first <= day <= last), None)
            day = (holiday_end or day) + timedelta(days=1)
        return None

    def report(self, number: int) -> date | None:
        """The day of report `number` (1-based), None when the year has fewer reports."""
        return self.reports[number - 1] if 1 <= number <= len(self.reports) else None

    def month_year(self, month: int) -> int:
        """The calendar year in which `month` falls within this school year."""
        return self.starts_on.year if month >= self.starts_on.month else self.starts_on.year + 1


def _default_reports(starts_on: date, ends_on: date) -> tuple[date, ...]:
    found = []
    for month, day in DEFAULT_REPORTS:
        year = starts_on.year if month >= starts_on.month else starts_on.year + 1
        candidate = date(year, month, day)
        if starts_on <= candidate <= ends_on:
            found.append(candidate)
    return tuple(sorted(found))


def calendar_from(starts_on: date, ends_on: date, rows: Sequence[Mapping[str, Any]] = ()) -> SchoolCalendar:
    """A calendar from the year's bounds and `school_year_date`-shaped rows (kind, starts_on, ends_on)."""
    reports = tuple(sorted(r["starts_on"] for r in rows if r["kind"] == "rapport"))
    holidays = tuple(
        sorted((r["starts_on"], r["ends_on"] or r["starts_on"]) for r in rows if r["kind"] == "vakantie")
    )
    defaults = not reports
    if defaults:
        reports = _default_reports(starts_on, ends_on)
    return SchoolCalendar(starts_on, ends_on, reports, holidays, defaults)


def school_calendar(conn: Connection, actor: Actor) -> SchoolCalendar:
    """The acting staff member's current school year as a calendar (two statements)."""
    year = conn.execute(
        select(T.school_year.c.starts_on, T.school_year.c.ends_on).where(
            T.school_year.c.id == actor.school_year_id
        )
    ).one()
    d = T.school_year_date
    rows = (
        conn.execute(
            select(d.c.kind, d.c.starts_on, d.c.ends_on).where(
                d.c.school_id == actor.school_id, d.c.school_year_id == actor.school_year_id
            )
        )
        .mappings()
        .all()
    )
    return calendar_from(year.starts_on, year.ends_on, rows)


# -- resolution ------------------------------------------------------------------------------------------


def _kind_value(moment: Any) -> tuple[str, str]:
    if isinstance(moment, Mapping):
        return str(moment["kind"]), str(moment.get("value") or "")
    kind, value = moment
    return str(kind), str(value or "")


def _all_dates(
    kind: str, value: str, calendar: SchoolCalendar, anchor: date | None, until: date
) -> list[date]:
    if kind == "na_rapport":
        report = calendar.report(int(value))
        found = calendar.school_day_from(report + timedelta(days=1)) if report else None
        return [found] if found else []
    if kind == "maand":
        month = int(value)
        first = date(calendar.month_year(month), month, 1)
        found = calendar.school_day_from(first)
        return [found] if found and found.month == month else []
    if kind == "juni_evaluatie":
        month, day = JUNE_EVALUATION
        found = calendar.school_day_from(date(calendar.ends_on.year, month, day))
        return [found] if found else []
    if kind == "interval_weken":
        step = timedelta(weeks=int(value))
        found_dates = []
        current = calendar.school_day_from(anchor or calendar.starts_on)
        while current is not None and current <= until:
            found_dates.append(current)
            current = calendar.school_day_from(current + step)
        return found_dates
    if kind == "datum":
        return [date.fromisoformat(value)]
    return []


def occurrences(
    moment: Any, calendar: SchoolCalendar, start: date, end: date, anchor: date | None = None
) -> list[date]:
    """The dates of `moment` ((kind, value) or a row with `kind` and `value`) from `start` to `end`
    (both included), in order. `anchor` is where "elke n weken" counts from: pass the plan's start; by
    default the school year's first school day. An unknown or broken moment gives no dates."""
    kind, value = _kind_value(moment)
    try:
        check_moment(kind, value)
    except MomentError:
        return []
    return [day for day in _all_dates(kind, value, calendar, anchor, end) if start <= day <= end]


def next_occurrence(
    moment: Any, calendar: SchoolCalendar, after: date, anchor: date | None = None
) -> date | None:
    """The first date of `moment` on or after `after` in this school year (or a later fixed date)."""
    end = max(calendar.ends_on, after)
    kind, value = _kind_value(moment)
    if kind == "datum":
        end = date.max
    found = occurrences(moment, calendar, after, end, anchor=anchor)
    return found[0] if found else None


# -- typing and showing ----------------------------------------------------------------------------------

NUMBER_WORDS = {
    "een": 1,
    "één": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "eerste": 1,
    "tweede": 2,
    "derde": 3,
    "vierde": 4,
}
_NUMBER = r"(\d+|" + "|".join(NUMBER_WORDS) + r")(?:e|ste|de)?"
REPORT_PATTERNS = (
    re.compile(rf"^(?:na|bij|rond)?\s*(?:het\s+)?rapport\s*{_NUMBER}$"),
    re.compile(rf"^(?:na|bij|rond)?\s*(?:het\s+)?{_NUMBER}\s+rapport$"),
)
INTERVAL_PATTERN = re.compile(rf"^(?:elke|iedere|om\s+de|1\s*x\s+per)\s+(?:{_NUMBER}\s+)?(?:week|weken)$")
JUNE_PATTERN = re.compile(r"^(?:juni[\s-]*evaluatie|evaluatie(?:\s+in)?\s+juni|eindevaluatie)$")
DATE_PATTERN = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
ISO_PATTERN = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
WRITTEN_DATE_PATTERN = re.compile(r"^(?:op\s+)?(\d{1,2})\s+([a-z]+)(?:\s+(\d{4}))?$")  # "4 december (2026)"


def _number(text: str | None, default: int) -> int:
    if not text:
        return default
    return int(text) if text.isdigit() else NUMBER_WORDS[text]


def _month(text: str) -> int | None:
    text = re.sub(r"^(?:in|begin|eind|half)\s+", "", text)
    for number, name in enumerate(timefmt.MONTHS, 1):
        if text == name or (len(text) >= 3 and name.startswith(text)):
            return number
    return None


def _checked_date(year: int, month: int, day: int) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise MomentError("moments.bad_date") from None


def parse_moment(text: str) -> tuple[str, str]:
    """What a mentor types ("na rapport 1", "november", "juni-evaluatie", "elke 6 weken", "20-11-2026")
    as (kind, value); `MomentError` (field "moment") with a Dutch text otherwise."""
    cleaned = re.sub(r"\s+", " ", (text or "").strip().casefold()).strip(" .,")
    if not cleaned:
        raise MomentError("moments.empty")
    for pattern in REPORT_PATTERNS:
        if match := pattern.match(cleaned):
            number = _number(match.group(1), 1)
            return check_moment("na_rapport", str(number))
    if match := INTERVAL_PATTERN.match(cleaned):
        return check_moment("interval_weken", str(_number(match.group(1), 1)))
    if JUNE_PATTERN.match(cleaned):
        return ("juni_evaluatie", "")
    if match := DATE_PATTERN.match(cleaned):
        day, month, year = (int(part) for part in match.groups())
        return ("datum", _checked_date(year, month, day))
    if match := ISO_PATTERN.match(cleaned):
        year, month, day = (int(part) for part in match.groups())
        return ("datum", _checked_date(year, month, day))
    if (match := WRITTEN_DATE_PATTERN.match(cleaned)) and (month := _month(match.group(2))) is not None:
        year = int(match.group(3)) if match.group(3) else _school_year_of(month)
        return ("datum", _checked_date(year, month, int(match.group(1))))
    if (month := _month(cleaned)) is not None:
        return ("maand", str(month))
    raise MomentError("moments.unknown", text=text.strip())


def _school_year_of(month: int) -> int:
    """The calendar year of `month` in the current school year (August to July): "4 december" typed in
    March means last December, typed in September the coming one."""
    from stip.schools import school_year_bounds

    _name, starts_on, _ends_on = school_year_bounds(timefmt.today())
    return starts_on.year if month >= 8 else starts_on.year + 1


def check_moment(kind: str, value: str) -> tuple[str, str]:
    """(kind, value) as stored, or `MomentError` when the pair is not a moment."""
    value = str(value or "").strip()
    if kind == "na_rapport":
        if not value.isdigit() or not 1 <= int(value) <= MAX_REPORT:
            raise MomentError("moments.report_range", max=MAX_REPORT)
        return kind, str(int(value))
    if kind == "maand":
        if not value.isdigit() or not 1 <= int(value) <= 12:
            raise MomentError("moments.unknown", text=value)
        return kind, str(int(value))
    if kind == "juni_evaluatie":
        return kind, ""
    if kind == "interval_weken":
        if not value.isdigit() or not 1 <= int(value) <= MAX_WEEKS:
            raise MomentError("moments.interval_range", max=MAX_WEEKS)
        return kind, str(int(value))
    if kind == "datum":
        try:
            return kind, date.fromisoformat(value).isoformat()
        except ValueError:
            raise MomentError("moments.bad_date") from None
    raise MomentError("moments.unknown", text=value)


def moment_label(kind: str, value: str) -> str:
    """The display text of a moment: "na rapport 1", "november", "juni-evaluatie", "elke 6 weken"."""
    try:
        kind, value = check_moment(kind, value)
    except MomentError:
        return value or kind
    if kind == "na_rapport":
        return t("moments.label_na_rapport", n=value)
    if kind == "maand":
        return timefmt.MONTHS[int(value) - 1]
    if kind == "juni_evaluatie":
        return t("moments.label_juni_evaluatie")
    if kind == "interval_weken":
        return t("moments.label_interval_weken", count=int(value))
    return timefmt.format_date(date.fromisoformat(value))


def defaults_note(calendar: SchoolCalendar) -> str:
    """The note a screen shows while the report days are Stip's defaults ("" once they are set)."""
    if not calendar.reports_are_defaults:
        return ""
    days = ", ".join(timefmt.format_date(day) for day in calendar.reports)
    return t("moments.defaults_note", days=days)
