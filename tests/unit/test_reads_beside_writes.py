"""Reads never wait for a writer (issue 13 §1): while another process holds SQLite's write lock, every
screen opens and refreshes and every read service answers, without an error.

The writer holds its lock until the test lets it go, far longer than SQLite's 5 s busy timeout: a read
path that took the write lock (or waited for it) fails with "database is locked" instead of passing.
No duration is asserted."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from stip import (
    exports,
    gouden_mail,
    home,
    invitations,
    klassen,
    privacy,
    records,
    schools,
    startgesprek,
    store,
)
from stip.store import tables as T
from tests.writer import holding_write_lock


@pytest.fixture
def writer(demo_school, stip_data):
    """A second process holding the write lock of the test's database."""
    with holding_write_lock(stip_data / "stip.sqlite") as process:
        yield process


def still_locked(process) -> bool:
    return process.poll() is None


def test_a_write_waits_for_the_writer_so_the_lock_is_real(writer):
    """The control: a write in this process is refused while the other process writes."""
    from sqlalchemy.exc import OperationalError

    with pytest.raises(OperationalError, match="locked"), store.write() as conn:
        conn.execute(T.school.update().values(name="x"))
    assert still_locked(writer)


def test_every_read_service_answers_while_another_process_writes(writer, actor):
    with store.read() as conn:
        klas_id = conn.execute(select(T.klas.c.id).order_by(T.klas.c.name)).scalar()
        ids = [s["id"] for s in klassen.class_students(conn, actor, klas_id)]
        assert ids
        first = ids[0]
        assert schools.find_actor(conn) == actor
        assert klassen.klassen(conn, actor)
        assert klassen.student_options(conn, actor)
        assert klassen.get_student(conn, actor, first)["id"] == first
        klassen.sibling_suggestions(conn, actor, first)
        assert set(klassen.siblings_of(conn, actor, ids)) == set(ids)
        startgesprek.slots(conn, actor, klas_id)
        assert startgesprek.get_conversation(conn, actor, first)["student_id"] == first
        assert len(startgesprek.family_data(conn, actor, ids)) == len(ids)
        startgesprek.states(conn, actor, ids)
        startgesprek.last_contacts(conn, actor, ids)
        startgesprek.slot_spans(conn, actor, ids)
        startgesprek.siblings_apart(conn, actor, first)
        startgesprek.get_plan(conn, actor, first)
        startgesprek.afspraken(conn, actor, first)
        assert startgesprek.progress_by_klas(conn, actor)[0].students > 0
        assert gouden_mail.class_states(conn, actor, klas_id)
        gouden_mail.get(conn, actor, first)
        for channel in invitations.CHANNELS:
            assert invitations.get_template(conn, actor, channel)["body"]
        assert privacy.inzage(conn, actor, first)
        privacy.retention_months(conn, actor)
        privacy.retention_candidates(conn, actor, date.today())
        assert home.school_summary(conn, actor).students > 0
        assert records.counts(conn)["students"] > 0
        assert records.export_all(conn)
        assert exports.class_list(conn, actor, klas_id)[1]
    assert store.schema_state() == "current"
    assert still_locked(writer)


def test_every_screen_opens_and_refreshes_while_another_process_writes(writer):
    from widgets.gouden_mail import GoudenMailScreen
    from widgets.klassen import KlassenScreen
    from widgets.start import StartScreen
    from widgets.startgesprek import StartgesprekScreen

    start = StartScreen()
    assert start.ready and "Voorbeeldschool" in start.school_line.value
    k = KlassenScreen(query={"klas": "1A"})
    assert k.ready
    k.class_panel.refresh()
    assert "<table" in k.class_panel.table.value
    with store.read() as conn:
        student = klassen.class_students(conn, k.actor, k.class_panel.klas.value)[0]["id"]
    k.student_panel.show_student(student)
    k.privacy_panel  # noqa: B018 - builds the tab
    s = StartgesprekScreen(query={"klas": "1A"})
    assert s.ready
    for index in range(4):
        s.tabs.selected_index = index  # builds and refreshes each tab
    s.talk.show(student)
    g = GoudenMailScreen(query={"klas": "1A"})
    assert g.ready
    g.refresh()
    g.show(student)
    bars = [k.savebar, k.class_panel.savebar, k.student_panel.savebar, s.savebar, g.savebar]
    bars += [s.tabs.panel(i).savebar for i in range(3)]
    assert [bar.text for bar in bars if bar.status == "error"] == []
    assert still_locked(writer)
