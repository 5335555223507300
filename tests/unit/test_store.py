"""The store: migrations from empty, constraints, WAL settings and concurrent writers losing nothing."""

from __future__ import annotations

import multiprocessing
import os
import stat

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import insert, inspect, select, text, update
from sqlalchemy.exc import IntegrityError

from stip import config, schools, store
from stip.store import tables as T


def test_head_revision_constant_matches_alembic():
    head = ScriptDirectory.from_config(store.alembic_config()).get_current_head()
    assert store.HEAD_REVISION == head


def test_migrate_from_empty_creates_every_table(stip_data):
    with store.engine().connect() as conn:
        names = set(inspect(conn).get_table_names())
    assert {table.name for table in T.metadata.sorted_tables} <= names
    assert store.schema_state() == "current"


def test_unmigrated_database_is_reported_behind(tmp_path, monkeypatch):
    monkeypatch.setenv("STIP_DATA", str(tmp_path / "fresh"))
    assert store.schema_state() == "behind"
    with pytest.raises(store.SchemaBehind):
        store.require_current_schema()


def test_data_dir_and_database_are_private(stip_data):
    config.private_umask()
    assert stat.S_IMODE(os.stat(stip_data).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(stip_data / config.DATABASE_FILE).st_mode) == 0o600


def test_sqlite_runs_in_wal_with_foreign_keys(stip_data):
    with store.write() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_leerlingnummer_is_unique_per_school(actor):
    values = dict(school_id=actor.school_id, leerlingnummer="1001", roepnaam="Noor", achternaam="Bos")
    with store.write() as conn:
        conn.execute(insert(T.student).values(**values))
    with pytest.raises(IntegrityError), store.write() as conn:
        conn.execute(insert(T.student).values(**values))
    with store.write() as conn:
        other = conn.execute(insert(T.school).values(name="Andere school")).inserted_primary_key[0]
        conn.execute(insert(T.student).values(**{**values, "school_id": other}))


def test_a_failed_action_stores_nothing(actor):
    with pytest.raises(RuntimeError), store.write() as conn:
        conn.execute(
            insert(T.student).values(
                school_id=actor.school_id, leerlingnummer="1", roepnaam="A", achternaam="B"
            )
        )
        raise RuntimeError("halfway")
    with store.write() as conn:
        assert conn.execute(select(T.student)).all() == []


def test_deleting_a_student_removes_their_links(demo_school):
    with store.write() as conn:
        student_id = conn.execute(select(T.student.c.id).limit(1)).scalar_one()
        assert conn.execute(
            select(T.student_guardian).where(T.student_guardian.c.student_id == student_id)
        ).all()
        conn.execute(T.student.delete().where(T.student.c.id == student_id))
    with store.write() as conn:
        left = conn.execute(
            select(T.student_guardian).where(T.student_guardian.c.student_id == student_id)
        ).all()
    assert left == []


def test_every_student_table_cascades_with_the_student():
    for table in T.metadata.sorted_tables:
        for column in table.columns:
            for fk in column.foreign_keys:
                if fk.column.table is T.student:
                    assert fk.ondelete == "CASCADE", f"{table.name}.{column.name}"


def test_version_guard_rejects_a_stale_update(actor):
    with store.write() as conn:
        school = conn.execute(select(T.school)).one()
        first = conn.execute(
            update(T.school)
            .where(T.school.c.id == school.id, T.school.c.version == school.version)
            .values(name="Eerste", version=school.version + 1)
        )
        second = conn.execute(
            update(T.school)
            .where(T.school.c.id == school.id, T.school.c.version == school.version)
            .values(name="Tweede", version=school.version + 1)
        )
    assert (first.rowcount, second.rowcount) == (1, 0)


def _increment(data: str, rounds: int) -> None:
    os.environ["STIP_DATA"] = data
    for _ in range(rounds):
        with store.write() as conn:
            version = conn.execute(select(T.school.c.version)).scalar_one()
            conn.execute(update(T.school).values(version=version + 1))


def test_concurrent_writers_in_two_processes_lose_nothing(actor, stip_data):
    with store.write() as conn:
        start = conn.execute(select(T.school.c.version)).scalar_one()
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_increment, args=(str(stip_data), 150)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    with store.write() as conn:
        assert conn.execute(select(T.school.c.version)).scalar_one() == start + 300


def test_acting_staff_member_is_created_once(stip_data):
    with store.write() as conn:
        first = schools.acting_staff_member(conn)
    with store.write() as conn:
        second = schools.acting_staff_member(conn)
        assert conn.execute(select(T.staff_member)).all() and first == second
    assert first.login == "testmentor"


@pytest.mark.parametrize(
    ("day", "name"), [("2026-08-01", "2026-2027"), ("2027-07-31", "2026-2027"), ("2026-07-31", "2025-2026")]
)
def test_school_year_bounds(day, name):
    from datetime import date

    assert schools.school_year_bounds(date.fromisoformat(day))[0] == name


def test_migrations_match_the_tables(stip_data):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with store.engine().connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), T.metadata) == []
