"""Times as people see them: "today" and every date or time shown or exported, in the school's zone.

The store keeps timestamps in UTC and gives them back as aware UTC datetimes (`tables.UtcDateTime`);
this module is the one place that turns them into Europe/Amsterdam wall-clock time for a screen, a
sheet, a letter or the inzage, and the one place that knows what day it is at school (a kernel or
server may run in UTC: at 00:30 in Amsterdam `date.today()` there is still yesterday).

Naive datetimes are wall-clock times in the school's zone already (a slot "17:00" is 17:00 in
Amsterdam, summer or winter); aware ones are converted.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

__all__ = [
    "SCHOOL_TIMEZONE",
    "now",
    "today",
    "local",
    "format_date",
    "format_datetime",
    "format_time",
    "format_short",
    "long_date",
]

SCHOOL_TIMEZONE = ZoneInfo("Europe/Amsterdam")

DAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def now() -> datetime:
    """The current moment as an aware datetime in the school's zone."""
    return datetime.now(SCHOOL_TIMEZONE)


def today() -> date:
    """The date at school now (not the server's date, which may be UTC)."""
    return now().date()


def local(moment: datetime) -> datetime:
    """`moment` as an aware datetime in the school's zone (naive input is school wall-clock time)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=SCHOOL_TIMEZONE)
    return moment.astimezone(SCHOOL_TIMEZONE)


def _day(value: date | datetime) -> date:
    return local(value).date() if isinstance(value, datetime) else value


def format_date(value: date | datetime | None) -> str:
    """ "24-11-2026" (a timestamp shows its date in the school's zone); "" for None."""
    if value is None:
        return ""
    day = _day(value)
    return f"{day.day:02d}-{day.month:02d}-{day.year:04d}"


def format_time(value: datetime | time) -> str:
    """ "07:05" in the school's zone (a `time` is a wall-clock time already)."""
    moment = local(value) if isinstance(value, datetime) else value
    return f"{moment.hour:02d}:{moment.minute:02d}"


def format_datetime(value: datetime | None) -> str:
    """ "24-11-2026 07:05" in the school's zone; "" for None."""
    if value is None:
        return ""
    return f"{format_date(value)} {format_time(value)}"


def format_short(value: datetime) -> str:
    """ "24-11 07:05": day, month and time, for a moment in the current season (a slot)."""
    moment = local(value)
    return f"{moment.day:02d}-{moment.month:02d} {format_time(moment)}"


def short_day(value: date | datetime) -> str:
    """ "di 8-9": weekday and day-month, for a slot in the current season, whatever the server's locale."""
    day = _day(value)
    return f"{DAYS[day.weekday()][:2]} {day.day}-{day.month}"


def long_date(value: date | datetime) -> str:
    """ "dinsdag 24 november", whatever the server's locale."""
    day = _day(value)
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"
