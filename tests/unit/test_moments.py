"""Moments of a communicatieplan resolved against the school calendar (issue 15)."""

from datetime import date

import pytest
from sqlalchemy import select

from stip import instellingen, moments, store
from stip.i18n import t
from stip.moments import MomentError, calendar_from, moment_label, occurrences, parse_moment
from stip.store import tables as T

YEAR = (date(2026, 8, 24), date(2027, 7, 16))
ROWS = [
    {"kind": "rapport", "starts_on": date(2027, 1, 29), "ends_on": date(2027, 1, 29)},
    {"kind": "rapport", "starts_on": date(2026, 11, 20), "ends_on": date(2026, 11, 20)},  # Friday
    {"kind": "rapport", "starts_on": date(2027, 4, 9), "ends_on": date(2027, 4, 9)},
    {"kind": "vakantie", "starts_on": date(2026, 10, 17), "ends_on": date(2026, 10, 25)},  # herfst
    {"kind": "vakantie", "starts_on": date(2026, 12, 19), "ends_on": date(2027, 1, 3)},  # kerst
    {"kind": "vakantie", "starts_on": date(2027, 2, 13), "ends_on": date(2027, 2, 21)},  # voorjaar
    {"kind": "vakantie", "starts_on": date(2027, 4, 24), "ends_on": date(2027, 5, 2)},  # mei
]
CAL = calendar_from(*YEAR, ROWS)


def all_of(moment, anchor=None):
    return occurrences(moment, CAL, *YEAR, anchor=anchor)


def test_reports_are_numbered_in_date_order_and_na_rapport_is_the_next_school_day():
    assert CAL.reports == (date(2026, 11, 20), date(2027, 1, 29), date(2027, 4, 9))
    assert not CAL.reports_are_defaults
    assert all_of(("na_rapport", "1")) == [date(2026, 11, 23)]  # Friday report → Monday
    assert all_of({"kind": "na_rapport", "value": "2"}) == [date(2027, 2, 1)]
    assert all_of(("na_rapport", "4")) == []  # the year has three reports
    # a window that does not hold the date gives nothing
    assert occurrences(("na_rapport", "1"), CAL, date(2026, 12, 1), date(2026, 12, 31)) == []


def test_holidays_and_weekends_are_no_school_days():
    assert not CAL.is_school_day(date(2026, 10, 19))  # herfstvakantie
    assert not CAL.is_school_day(date(2026, 9, 5))  # Saturday
    assert not CAL.is_school_day(date(2026, 8, 21))  # before the year
    assert CAL.is_school_day(date(2026, 10, 26))
    assert CAL.school_day_from(date(2026, 12, 20)) == date(2027, 1, 4)
    assert CAL.school_day_from(date(2027, 7, 17)) is None


def test_month_is_the_first_school_day_of_that_month_in_this_school_year():
    assert all_of(("maand", "11")) == [date(2026, 11, 2)]
    assert all_of(("maand", "1")) == [date(2027, 1, 4)]  # after the Christmas holiday
    assert all_of(("maand", "8")) == [date(2026, 8, 24)]  # the year's first day
    assert all_of(("maand", "5")) == [date(2027, 5, 3)]  # after the May holiday


def test_june_evaluation_and_fixed_dates():
    assert all_of(("juni_evaluatie", "")) == [date(2027, 6, 15)]
    assert all_of(("datum", "2026-10-20")) == [date(2026, 10, 20)]  # agreed: not moved
    assert all_of(("datum", "kapot")) == []


def test_every_six_weeks_skips_holidays_and_counts_on_from_the_moved_day():
    dates = all_of(("interval_weken", "6"), anchor=date(2026, 9, 7))
    assert dates == [
        date(2026, 9, 7),
        date(2026, 10, 19 + 7),  # 19 Oct is in the autumn holiday → Monday 26 Oct
        date(2026, 12, 7),
        date(2027, 1, 18),
        date(2027, 3, 1),
        date(2027, 4, 12),
        date(2027, 5, 24),
        date(2027, 7, 5),
    ]
    assert all(CAL.is_school_day(day) for day in dates)
    assert all((b - a).days >= 42 for a, b in zip(dates, dates[1:], strict=False))
    # the window cuts the series, the anchor stays
    window = occurrences(("interval_weken", "6"), CAL, date(2026, 12, 1), date(2027, 1, 31), date(2026, 9, 7))
    assert window == [date(2026, 12, 7), date(2027, 1, 18)]
    # without an anchor the series starts at the year's first school day
    assert all_of(("interval_weken", "52")) == [date(2026, 8, 24)]


def test_next_occurrence():
    assert moments.next_occurrence(("na_rapport", "1"), CAL, date(2026, 9, 1)) == date(2026, 11, 23)
    assert moments.next_occurrence(("na_rapport", "1"), CAL, date(2026, 12, 1)) is None
    assert moments.next_occurrence(("datum", "2027-09-01"), CAL, date(2026, 12, 1)) == date(2027, 9, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("na rapport 1", ("na_rapport", "1")),
        ("Na rapport 2", ("na_rapport", "2")),
        ("rapport3", ("na_rapport", "3")),
        ("na het 1e rapport", ("na_rapport", "1")),
        ("na het tweede rapport", ("na_rapport", "2")),
        ("november", ("maand", "11")),
        ("In November", ("maand", "11")),
        ("nov", ("maand", "11")),
        ("juni", ("maand", "6")),
        ("juni-evaluatie", ("juni_evaluatie", "")),
        ("juni evaluatie", ("juni_evaluatie", "")),
        ("elke 6 weken", ("interval_weken", "6")),
        ("om de zes weken", ("interval_weken", "6")),
        ("elke week", ("interval_weken", "1")),
        ("20-11-2026", ("datum", "2026-11-20")),
        ("1/2/2027", ("datum", "2027-02-01")),
        ("2026-11-20", ("datum", "2026-11-20")),
    ],
)
def test_parse_what_a_mentor_types(text, expected):
    assert parse_moment(text) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "moments.empty"),
        ("   ", "moments.empty"),
        ("ooit", "moments.unknown"),
        ("31-02-2027", "moments.bad_date"),
        ("na rapport 12", "moments.report_range"),
        ("elke 60 weken", "moments.interval_range"),
        ("elke 0 weken", "moments.interval_range"),
    ],
)
def test_parse_refuses_with_a_dutch_message_at_the_field(text, key):
    with pytest.raises(MomentError) as caught:
        parse_moment(text)
    assert caught.value.message_key == key
    assert caught.value.field == "moment"
    assert t(key, **caught.value.values) != key


def test_labels_read_back_as_what_a_mentor_types():
    assert moment_label("na_rapport", "1") == "na rapport 1"
    assert moment_label("maand", "11") == "november"
    assert moment_label("juni_evaluatie", "") == "juni-evaluatie"
    assert moment_label("interval_weken", "6") == "elke 6 weken"
    assert moment_label("interval_weken", "1") == "elke week"
    assert moment_label("datum", "2026-11-20") == "20-11-2026"
    for kind, value in [
        ("na_rapport", "2"),
        ("maand", "3"),
        ("interval_weken", "4"),
        ("datum", "2027-01-05"),
    ]:
        assert parse_moment(moment_label(kind, value)) == (kind, value)


def test_defaults_while_no_report_day_is_set_and_a_note_says_so():
    cal = calendar_from(*YEAR, [r for r in ROWS if r["kind"] == "vakantie"])
    assert cal.reports_are_defaults
    assert cal.reports == (date(2026, 11, 15), date(2027, 1, 31), date(2027, 4, 15), date(2027, 7, 10))
    assert cal.holidays  # holidays still count
    note = moments.defaults_note(cal)
    assert "Rapportdata nog niet ingevuld" in note and "Instellingen" in note and "15-11-2026" in note
    assert moments.defaults_note(CAL) == ""
    # "na rapport 1" on a Sunday default → Monday
    assert occurrences(("na_rapport", "1"), cal, *YEAR) == [date(2026, 11, 16)]


def test_school_calendar_reads_the_settings_rows(actor):
    with store.read() as conn:
        cal = moments.school_calendar(conn, actor)
        year = conn.execute(select(T.school_year).where(T.school_year.c.id == actor.school_year_id)).one()
    assert cal.reports_are_defaults and (cal.starts_on, cal.ends_on) == (year.starts_on, year.ends_on)
    report = date(year.starts_on.year, 11, 20)
    with store.write() as conn:
        instellingen.add_date(conn, actor, "rapport", "Rapport 1", report)
        instellingen.add_date(
            conn, actor, "vakantie", "Kerst", date(year.starts_on.year, 12, 19), date(year.ends_on.year, 1, 3)
        )
    with store.read() as conn, store.counting_statements() as counted:
        cal = moments.school_calendar(conn, actor)
    assert len(counted) == 2
    assert not cal.reports_are_defaults and cal.reports == (report,)
    assert cal.holidays == ((date(year.starts_on.year, 12, 19), date(year.ends_on.year, 1, 3)),)


def test_a_date_written_as_teachers_write_it():
    """ "4 december" is a date in the current school year (issue 15 review: only 04-12-2026 was read)."""
    from stip import timefmt
    from stip.moments import MomentError, parse_moment
    from stip.schools import school_year_bounds

    start = school_year_bounds(timefmt.today())[1].year
    assert parse_moment("4 december") == ("datum", f"{start}-12-04")
    assert parse_moment("op 4 dec") == ("datum", f"{start}-12-04")
    assert parse_moment("15 maart") == ("datum", f"{start + 1}-03-15")
    assert parse_moment("4 december 2030") == ("datum", "2030-12-04")
    assert parse_moment("december") == ("maand", "12")
    try:
        parse_moment("31 februari")
    except MomentError as refused:
        assert refused.message_key == "moments.bad_date" and refused.field == "moment"
    else:
        raise AssertionError("31 februari was accepted")
