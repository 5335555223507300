"""Calendar export (.ics) of planned conversations, for Outlook, Google Calendar and Apple Calendar.

`to_ics(events)` returns the bytes of one VCALENDAR (METHOD:PUBLISH) with one VEVENT per conversation.
icalendar (imported lazily, only on export) does the escaping of `,` `;` `\\` and newlines, the CRLF line
endings and the folding at 75 octets (never inside a UTF-8 character).

Choices:
- Times are naive Europe/Amsterdam wall-clock times (an aware datetime is converted to Amsterdam time)
  and written as `DTSTART;TZID=Europe/Amsterdam:...`, with a VTIMEZONE for Europe/Amsterdam.
- That VTIMEZONE uses yearly RRULEs (last Sunday of March / October), as Google and Apple export it, not
  the RDATE lists that `icalendar.Timezone.from_tzid` generates: Outlook mis-reads RDATE-based
  VTIMEZONEs and then shifts summer-time events by an hour (reported in iCalcreator/iCalcreator#86 and
  #106). The rule is the EU rule in force since 1996; a test compares it with zoneinfo.
- DTSTAMP is the export time in UTC; pass `stamp` for a reproducible file.
- `uid` must be stable per conversation (e.g. "startgesprek-42@stip"), so a re-import updates the event
  instead of adding a copy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from stip import timefmt

__all__ = ["CalendarEvent", "PRODID", "TZID", "to_ics"]

PRODID = "-//Stip//Startgesprekken//NL"
TZID = timefmt.SCHOOL_TIMEZONE.key
AMSTERDAM = timefmt.SCHOOL_TIMEZONE


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    start: datetime | date  # naive = Europe/Amsterdam wall clock; a date = an all-day event
    end: datetime | date  # for an all-day event the day after it (DTEND is exclusive)
    summary: str
    description: str = ""
    location: str = ""


def _local(moment: datetime) -> datetime:
    """The moment as an aware Europe/Amsterdam datetime (naive input is Amsterdam wall-clock time)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=AMSTERDAM)
    return moment.astimezone(AMSTERDAM)


def _text(value: str) -> str:
    """One newline convention (LF); icalendar writes it as `\\n`."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _amsterdam_vtimezone():
    import icalendar

    timezone = icalendar.Timezone()
    timezone.add("tzid", TZID)
    timezone.add("x-lic-location", TZID)
    for kind, name, offset_from, offset_to, first, month in (
        (icalendar.TimezoneDaylight, "CEST", 1, 2, datetime(1970, 3, 29, 2, 0), 3),
        (icalendar.TimezoneStandard, "CET", 2, 1, datetime(1970, 10, 25, 3, 0), 10),
    ):
        part = kind()
        part.add("tzname", name)
        part.add("tzoffsetfrom", timedelta(hours=offset_from))
        part.add("tzoffsetto", timedelta(hours=offset_to))
        part.add("dtstart", first)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        timezone.add_component(part)
    return timezone


def to_ics(
    events: Sequence[CalendarEvent], calendar_name: str = "Stip", *, stamp: datetime | None = None
) -> bytes:
    """The .ics file for `events` (UTF-8, CRLF). ValueError for an event without uid or ending too early."""
    import icalendar

    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", calendar_name)
    calendar.add("x-wr-timezone", TZID)
    calendar.add_component(_amsterdam_vtimezone())  # before the events that refer to it
    for event in events:
        all_day = not isinstance(event.start, datetime)
        start, end = (event.start, event.end) if all_day else (_local(event.start), _local(event.end))
        if not event.uid:
            raise ValueError("a calendar event needs a uid")
        if end <= start:
            raise ValueError(f"event {event.uid} ends before it starts")
        item = icalendar.Event()
        item.add("uid", event.uid)
        item.add("dtstamp", stamp)
        item.add("dtstart", start)
        item.add("dtend", end)
        item.add("summary", _text(event.summary))
        if event.description:
            item.add("description", _text(event.description))
        if event.location:
            item.add("location", _text(event.location))
        calendar.add_component(item)
    return calendar.to_ical()
