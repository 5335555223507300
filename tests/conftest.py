"""Fixtures shared by the unit tests: a fresh, migrated database per test."""

from __future__ import annotations

import pytest
from hypothesis import settings

from stip import schools, store

# Property tests explore the same examples on every run: CI stays reproducible, failures repeatable.
settings.register_profile("stip", derandomize=True, database=None)
settings.load_profile("stip")


@pytest.fixture
def stip_data(tmp_path, monkeypatch):
    """An empty, migrated data directory for this test; returns its path."""
    data = tmp_path / "data"
    monkeypatch.setenv("STIP_DATA", str(data))
    monkeypatch.delenv("STIP_DATABASE_URL", raising=False)
    monkeypatch.setenv("STIP_USER", "testmentor")
    store.migrate()
    yield data
    store.engine().dispose()


@pytest.fixture
def actor(stip_data):
    """The acting staff member in a fresh database."""
    with store.write() as conn:
        return schools.acting_staff_member(conn)


@pytest.fixture
def demo_school(actor):
    """A fresh database holding the Voorbeeldschool."""
    from stip import demo

    with store.write() as conn:
        return demo.load_demo(conn, actor)
