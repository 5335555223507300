"""Times: the store gives back aware UTC timestamps; people see Europe/Amsterdam through `stip.timefmt`."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import insert, select, text, update

from stip import gouden_mail, privacy, startgesprek, store, timefmt
from stip.store import tables as T
from widgets.components.savebar import SaveBar

MOMENT = re.compile(r"\d{2}-\d{2}-\d{4} \d{2}:\d{2}")


def student_id(conn, leerlingnummer: str = "240105") -> int:
    return conn.execute(
        select(T.student.c.id).where(T.student.c.leerlingnummer == leerlingnummer)
    ).scalar_one()


def timestamp_columns():
    return [c for table in T.metadata.sorted_tables for c in table.c if isinstance(c.type, T.UtcDateTime)]


def test_every_timestamp_column_is_utc_aware_and_slots_stay_wall_clock():
    names = {f"{c.table.name}.{c.name}" for c in timestamp_columns()}
    assert {
        "student.created_at",
        "student.updated_at",
        "conversation.invited_at",
        "gouden_mail.sent_at",
    } <= names
    assert {"school.created_at", "staff_member.updated_at", "sibling_link.created_at"} <= names
    for table in T.metadata.sorted_tables:
        for column in table.c:
            if column.name.endswith(("_at",)) and column.name not in ("starts_at", "ends_at"):
                assert isinstance(column.type, T.UtcDateTime), f"{table.name}.{column.name}"
    assert not isinstance(T.slot.c.starts_at.type, T.UtcDateTime)  # 17:00 is 17:00 at school


def test_the_store_gives_back_aware_utc_timestamps(demo_school, actor):
    before = datetime.now(UTC) - timedelta(seconds=5)
    with store.write() as conn:
        sid = student_id(conn)
        startgesprek.mark_invited(conn, actor, [sid], "email")
        gouden_mail.save(
            conn,
            actor,
            sid,
            {"positief": "Sara helpt anderen graag.", "vragen": ["ouders-trots-waarop"]},
            None,
        )
        gouden_mail.save(conn, actor, sid, {"status": "verstuurd"}, 1)
    with store.read() as conn:
        student = conn.execute(select(T.student).where(T.student.c.id == sid)).mappings().one()
        talk = startgesprek.get_conversation(conn, actor, sid)
        mail = gouden_mail.get(conn, actor, sid)
    after = datetime.now(UTC) + timedelta(seconds=5)
    for value in (student["created_at"], student["updated_at"], talk["invited_at"], mail["sent_at"]):
        assert value.tzinfo is not None and value.utcoffset() == timedelta(0)
        assert before <= value <= after  # func.now() in SQLite is UTC, read as UTC


def test_sqlite_text_without_a_zone_reads_as_utc_and_aware_values_are_stored_in_utc(actor):
    amsterdam = datetime(2026, 1, 15, 10, 42, tzinfo=timefmt.SCHOOL_TIMEZONE)  # 09:42 UTC
    with store.write() as conn:
        conn.execute(update(T.school).values(created_at=amsterdam))
        conn.execute(text("UPDATE school SET updated_at = '2026-06-02 08:05:00'"))  # as CURRENT_TIMESTAMP
        stored = conn.execute(text("SELECT created_at FROM school")).scalar()
        row = conn.execute(select(T.school.c.created_at, T.school.c.updated_at)).one()
    assert stored.startswith("2026-01-15 09:42:00")  # the storage format is unchanged: UTC, no zone
    assert row.created_at == datetime(2026, 1, 15, 9, 42, tzinfo=UTC) and row.created_at.tzinfo is UTC
    assert row.updated_at == datetime(2026, 6, 2, 8, 5, tzinfo=UTC)


def test_a_naive_timestamp_is_refused_and_nothing_stored(actor):
    with pytest.raises(Exception, match="aware"):
        with store.write() as conn:
            conn.execute(update(T.school).values(created_at=datetime(2026, 1, 15, 9, 42)))
    with store.read() as conn:
        assert conn.execute(select(T.school.c.created_at)).scalar() != datetime(
            2026, 1, 15, 9, 42, tzinfo=UTC
        )


def test_inzage_shows_stored_times_in_amsterdam_time(demo_school, actor):
    """A record stored at a known UTC instant shows in Amsterdam time (winter +1, summer +2)."""
    with store.write() as conn:
        sid = student_id(conn)
        conn.execute(
            update(T.student)
            .where(T.student.c.id == sid)
            .values(
                created_at=datetime(2026, 1, 15, 9, 42, tzinfo=UTC),
                updated_at=datetime(2026, 6, 2, 8, 5, tzinfo=UTC),
            )
        )
        html = privacy.inzage_html(privacy.inzage(conn, actor, sid))
    assert "15-01-2026 10:42" in html and "02-06-2026 10:05" in html
    assert "15-01-2026 09:42" not in html and "02-06-2026 08:05" not in html


def test_inzage_times_agree_with_its_own_made_at_time(demo_school, actor):
    """The bug: the inzage said it was made at 10:05 while a record saved that minute said 09:05."""
    with store.write() as conn:
        sid = student_id(conn)
        conn.execute(
            insert(T.afspraak).values(school_id=actor.school_id, student_id=sid, wat="Elke week even bellen")
        )
        data = privacy.inzage(conn, actor, sid)
    html = privacy.inzage_html(data)
    made = re.search(r"gemaakt op (" + MOMENT.pattern + ")", html)
    assert made, html[:500]
    made_at = datetime.strptime(made.group(1), "%d-%m-%Y %H:%M")
    created = data["records"]["afspraken"][0]["created_at"]
    assert created.endswith("+00:00")  # the JSON of the inzage keeps UTC, with its zone
    shown = datetime.strptime(timefmt.format_datetime(datetime.fromisoformat(created)), "%d-%m-%Y %H:%M")
    assert shown.strftime("%d-%m-%Y %H:%M") in html
    assert abs(shown - made_at) <= timedelta(minutes=1)


def test_school_day_and_formats_follow_amsterdam():
    late = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # already 2 March at school
    assert timefmt.local(late).date() == date(2026, 3, 2)
    assert timefmt.format_date(late) == "02-03-2026"
    assert timefmt.format_datetime(late) == "02-03-2026 00:30"
    summer = datetime(2026, 7, 1, 6, 5, tzinfo=UTC)
    assert timefmt.format_time(summer) == "08:05" and timefmt.format_short(summer) == "01-07 08:05"
    slot = datetime(2026, 9, 8, 17, 0)  # naive: a wall-clock time at school, shown as it is
    assert timefmt.format_time(slot) == "17:00" and timefmt.long_date(slot) == "dinsdag 8 september"
    assert timefmt.format_time(time(9, 5)) == "09:05"
    assert timefmt.format_date(date(2026, 12, 24)) == "24-12-2026" and timefmt.format_date(None) == ""
    assert timefmt.today() == datetime.now(timefmt.SCHOOL_TIMEZONE).date()


def test_the_save_bar_and_the_gouden_mail_date_use_school_time():
    bar = SaveBar()
    bar.saved(datetime(2026, 1, 15, 23, 42, tzinfo=UTC))
    assert bar.text == "Opgeslagen om 00:42"
    assert timefmt.format_date(datetime(2026, 1, 15, 23, 42, tzinfo=UTC)) == "16-01-2026"


def test_last_contact_of_a_gouden_mail_is_its_day_at_school(demo_school, actor):
    with store.write() as conn:
        sid = student_id(conn)
        gouden_mail.save(
            conn,
            actor,
            sid,
            {"positief": "Goed bezig.", "vragen": ["ouders-trots-waarop"], "status": "verstuurd"},
            None,
        )
        conn.execute(
            update(T.gouden_mail)
            .where(T.gouden_mail.c.student_id == sid)
            .values(sent_at=datetime(2026, 10, 4, 22, 30, tzinfo=UTC))  # 5 October, 00:30 at school
        )
        found = startgesprek.last_contacts(conn, actor, [sid])
    assert found[sid] == (date(2026, 10, 5), "startgesprek.contact_gouden_mail")
