"""Deleted personal data is gone from disk (DESIGN §8): `secure_delete=ON` overwrites deleted rows and
`store.checkpoint()` moves the write-ahead log into the database file and truncates it, so neither
`stip.sqlite` nor `stip.sqlite-wal` holds a deleted student's number, names or notes.

A second process keeps a connection to the database open throughout, as the server and its kernels do
(without one, SQLite checkpoints and removes the -wal file on the last close and proves nothing).
Real services, widgets and command on a real migrated SQLite; nothing is mocked.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import pytest

from stip import cli, config, klassen, privacy, startgesprek, store
from stip.i18n import t
from tests.unit.widget_tree import button
from widgets.privacy_panel import PrivacyPanel
from widgets.student_edit import StudentPanel

LEERLINGNUMMER = "LN5550123987"
MARKERS = (
    LEERLINGNUMMER,
    "Quirijntje",  # roepnaam
    "Zwaardemakerbos",  # achternaam, also in the guardian's name
    "Ottoline",  # guardian
    "ottoline.vree@example.org",
    "Xylofoonkwartet",  # in the notes of the startgesprek
)
READER = """
import sys
from sqlalchemy import text
from stip import store
with store.read() as conn:
    conn.execute(text("SELECT count(*) FROM student")).scalar()
print("ready", flush=True)
sys.stdin.readline()
"""


@pytest.fixture
def reader(stip_data):
    """Another process with an open (idle) connection to the same database, like a kernel."""
    env = {**os.environ, "STIP_DATA": str(stip_data)}
    proc = subprocess.Popen(
        [sys.executable, "-c", READER], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline().strip() == "ready"
        yield proc
    finally:
        proc.communicate("stop\n", timeout=60)


def marked_student(actor) -> int:
    """A student with a guardian and notes, every value a marker to look for on disk."""
    with store.write() as conn:
        student_id, _version = klassen.save_student(
            conn,
            actor,
            None,
            {"leerlingnummer": LEERLINGNUMMER, "roepnaam": "Quirijntje", "achternaam": "Zwaardemakerbos"},
            klas="2B",
        )
        klassen.save_guardian(
            conn,
            actor,
            student_id,
            None,
            {"naam": "Ottoline Zwaardemakerbos-Vree", "email": "ottoline.vree@example.org"},
        )
        talk = startgesprek.get_conversation(conn, actor, student_id)
        startgesprek.save_conversation(
            conn, actor, student_id, {"notes": "Vertelt graag over het Xylofoonkwartet."}, talk["version"]
        )
    return student_id


def found_on_disk() -> dict[str, list[str]]:
    """Which markers each database file holds (the file, its -wal and -shm)."""
    database = config.data_dir() / config.DATABASE_FILE
    found = {}
    for suffix in ("", "-wal", "-shm"):
        path = database.with_name(database.name + suffix)
        data = path.read_bytes() if path.exists() else b""
        found[path.name] = [m for m in MARKERS if m.encode("utf-8") in data]
    return found


def nothing_found() -> dict[str, list[str]]:
    database = config.DATABASE_FILE
    return {database: [], f"{database}-wal": [], f"{database}-shm": []}


def assert_on_disk_before():
    everywhere = {m for markers in found_on_disk().values() for m in markers}
    assert everywhere == set(MARKERS), "the test data must be on disk before the deletion"


def test_secure_delete_is_on_for_every_connection(stip_data):
    with store.read() as conn:
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1


def test_deleted_student_is_gone_from_the_database_file_and_the_wal(actor, reader):
    student_id = marked_student(actor)
    assert_on_disk_before()

    with store.write() as conn:
        privacy.delete_student(conn, actor, student_id)
    assert store.checkpoint() is True

    assert found_on_disk() == nothing_found()
    wal = config.data_dir() / f"{config.DATABASE_FILE}-wal"
    assert wal.exists() and wal.stat().st_size == 0, "the other process keeps the log; it is empty"


def test_delete_in_the_student_panel_leaves_nothing_on_disk(actor, reader):
    student_id = marked_student(actor)
    assert_on_disk_before()
    panel = StudentPanel(actor, student_id)
    button(panel.body, t("klassen.delete")).click()
    button(panel.confirm, t("klassen.delete_yes")).click()
    assert panel.savebar.text == t("klassen.deleted")
    assert found_on_disk() == nothing_found()


def test_retention_in_the_privacy_panel_leaves_nothing_on_disk(actor, reader):
    student_id = marked_student(actor)
    with store.write() as conn:
        klassen.mark_left(conn, actor, student_id, privacy.months_before(date.today(), 30))
    assert_on_disk_before()
    panel = PrivacyPanel(actor)
    panel.clean_button.click()
    button(panel.confirm, t("klassen.delete_yes")).click()
    assert panel.savebar.text == t("klassen.retention_removed", count=1)
    assert found_on_disk() == nothing_found()


def test_retention_command_leaves_nothing_on_disk(actor, reader, capsys):
    student_id = marked_student(actor)
    with store.write() as conn:
        klassen.mark_left(conn, actor, student_id, privacy.months_before(date.today(), 30))
    assert_on_disk_before()
    assert cli.main(["retention"]) == 0
    assert LEERLINGNUMMER in capsys.readouterr().out  # the list of who was removed
    assert found_on_disk() == nothing_found()
