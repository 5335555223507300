"""Calendar export: the .ics parses back, times stay on the Amsterdam wall clock, texts round-trip."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from stip.agenda import PRODID, CalendarEvent, to_ics

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
STAMP = datetime(2025, 8, 20, 12, 0, tzinfo=UTC)
DESCRIPTION = (
    "Startgesprek met Zoë en haar ouders; mentor: Dhr. Müller,"
    " lokaal 1.12\nNeem het rapport mee.\n\nTolk: nee"
)


def talks() -> list[CalendarEvent]:
    return [
        CalendarEvent(
            "startgesprek-1@stip",
            datetime(2025, 9, 2, 17, 0),
            datetime(2025, 9, 2, 17, 20),
            "Startgesprek Zoë de Vries, 1A",
            DESCRIPTION,
            "Lokaal 1.12, gebouw Noord; ingang B",
        ),
        CalendarEvent(  # winter time: a different UTC offset, same wall-clock rules
            "startgesprek-2@stip",
            datetime(2025, 11, 4, 19, 15),
            datetime(2025, 11, 4, 19, 35),
            "Startgesprek René Jansen",
            "Één regel, met komma's; en puntkomma's — ü ë é",
        ),
        CalendarEvent(
            "startgesprek-3@stip", datetime(2026, 3, 31, 8, 30), datetime(2026, 3, 31, 8, 50), "Kort"
        ),
    ]


def parsed(data: bytes):
    return icalendar.Calendar.from_ical(data)


def test_calendar_header_and_one_event_per_talk():
    data = to_ics(talks(), "Startgesprekken 1A", stamp=STAMP)
    calendar = parsed(data)
    assert str(calendar["PRODID"]) == PRODID == "-//Stip//Startgesprekken//NL"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Startgesprekken 1A"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Amsterdam"
    events = calendar.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [talk.uid for talk in talks()]
    for event in events:
        assert event.decoded("DTSTAMP") == STAMP
        assert b"DTSTAMP:20250820T120000Z" in data


def test_times_are_amsterdam_wall_clock_with_tzid():
    data = to_ics(talks(), stamp=STAMP)
    for talk, event in zip(talks(), parsed(data).walk("VEVENT"), strict=True):
        for name, wall in (("DTSTART", talk.start), ("DTEND", talk.end)):
            value = event.decoded(name)
            assert event[name].params["TZID"] == "Europe/Amsterdam"
            assert str(value.tzinfo) == "Europe/Amsterdam"
            assert value.replace(tzinfo=None) == wall
    assert b"DTSTART;TZID=Europe/Amsterdam:20250902T170000\r\n" in data
    assert b"DTEND;TZID=Europe/Amsterdam:20251104T193500\r\n" in data


def test_aware_input_is_converted_to_amsterdam_time():
    start = datetime(2025, 9, 2, 15, 0, tzinfo=UTC)  # 17:00 in Amsterdam (CEST)
    data = to_ics([CalendarEvent("x@stip", start, start + timedelta(minutes=20), "Gesprek")], stamp=STAMP)
    assert b"DTSTART;TZID=Europe/Amsterdam:20250902T170000" in data


def test_texts_round_trip_with_commas_semicolons_newlines_and_accents():
    data = to_ics(talks(), stamp=STAMP)
    events = parsed(data).walk("VEVENT")
    for talk, event in zip(talks(), events, strict=True):
        assert str(event["SUMMARY"]) == talk.summary
        assert str(event.get("DESCRIPTION", "")) == talk.description
        assert str(event.get("LOCATION", "")) == talk.location
    assert "\\;" in data.decode("utf-8") and "\\," in data.decode("utf-8") and "\\n" in data.decode("utf-8")
    windows = CalendarEvent(
        "w@stip", datetime(2025, 9, 2, 17), datetime(2025, 9, 2, 17, 20), "a", "één\r\ntwee"
    )
    assert str(parsed(to_ics([windows])).walk("VEVENT")[0]["DESCRIPTION"]) == "één\ntwee"


def test_vtimezone_present_and_equal_to_zoneinfo():
    calendar = parsed(to_ics(talks(), stamp=STAMP))
    (timezone,) = calendar.walk("VTIMEZONE")
    assert timezone.tz_name == "Europe/Amsterdam"
    assert "RRULE" in timezone.walk("DAYLIGHT")[0] and "RRULE" in timezone.walk("STANDARD")[0]
    own = timezone.to_tz(lookup_tzid=False)  # built from the VTIMEZONE itself, not looked up by name
    # Compare instants (a wall-clock time in the spring gap is ambiguous): every half hour of the last week
    # of March and of October, where the changes are, plus mid-winter and mid-summer, 2020-2037.
    for year in range(2020, 2038):
        moments = [datetime(year, 1, 15, tzinfo=UTC), datetime(year, 7, 15, tzinfo=UTC)]
        for month in (3, 10):
            first = datetime(year, month, 25, tzinfo=UTC)
            moments += [first + timedelta(minutes=30 * i) for i in range(7 * 48)]
        for moment in moments:
            assert moment.astimezone(own).utcoffset() == moment.astimezone(AMSTERDAM).utcoffset(), moment


def test_crlf_line_endings_and_folding_at_75_octets():
    long_talk = CalendarEvent(
        "lang@stip",
        datetime(2025, 9, 2, 17),
        datetime(2025, 9, 2, 17, 20),
        "Startgesprek",
        "Afspraken: " + "één, twee; drie — ü ë é " * 20,
    )
    data = to_ics([*talks(), long_talk], stamp=STAMP)
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    lines = data.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)
    assert all(line.decode("utf-8") for line in lines)  # never folded inside a UTF-8 character
    assert any(line.startswith(b" ") for line in lines)
    assert str(parsed(data).walk("VEVENT")[-1]["DESCRIPTION"]) == long_talk.description


def test_empty_export_is_still_a_valid_calendar():
    calendar = parsed(to_ics([], stamp=STAMP))
    assert calendar.walk("VEVENT") == [] and len(calendar.walk("VTIMEZONE")) == 1


def test_bad_events_are_refused():
    start = datetime(2025, 9, 2, 17)
    with pytest.raises(ValueError):
        to_ics([CalendarEvent("", start, start + timedelta(minutes=20), "x")])
    with pytest.raises(ValueError):
        to_ics([CalendarEvent("a@stip", start, start, "x")])


def test_icalendar_is_imported_lazily():
    code = "import sys, stip.agenda, stip.planning; assert 'icalendar' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
