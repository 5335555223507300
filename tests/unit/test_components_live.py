"""The live poller: calls the view only when the version changed, survives errors, starts and stops."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import text

from stip import store
from widgets.components.live import LivePoller


class Counter:
    def __init__(self):
        self.value = 0
        self.fail = False
        self.calls = 0

    def version(self, conn):
        if self.fail:
            raise RuntimeError("geheime naam Jansen")  # must never reach the log
        return conn.execute(text("SELECT :v"), {"v": self.value}).scalar_one()


def test_tick_calls_the_view_only_when_the_version_changed(stip_data):
    counter, seen = Counter(), []
    poller = LivePoller(counter.version, lambda: seen.append(counter.value))
    assert poller.tick() is True  # the first tick always shows
    assert poller.tick() is False
    counter.value = 3
    assert poller.tick() is True
    assert poller.tick() is False
    assert seen == [0, 3]
    poller.forget()
    assert poller.tick() is True


def test_one_statement_per_tick(stip_data):
    counter = Counter()
    poller = LivePoller(counter.version, lambda: None)
    poller.tick()
    with store.counting_statements() as statements:
        poller.tick()
    queries = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(queries) == 1 and len(statements) <= 3  # + the read door's PRAGMA and BEGIN


def test_an_error_is_logged_without_its_text_and_the_next_tick_works(stip_data, caplog):
    counter, seen = Counter(), []
    poller = LivePoller(counter.version, lambda: seen.append(counter.value), name="test")
    counter.fail = True
    with caplog.at_level(logging.WARNING, logger="stip.widgets"):
        assert poller.tick() is False
    assert poller.errors == 1
    assert "RuntimeError" in caplog.text and "Jansen" not in caplog.text
    counter.fail = False
    assert poller.tick() is True and seen == [0]


def test_a_failing_view_is_retried_on_the_next_tick(stip_data):
    counter, seen = Counter(), []
    state = {"fail": True}

    def view():
        if state["fail"]:
            raise ValueError("x")
        seen.append(counter.value)

    poller = LivePoller(counter.version, view)
    assert poller.tick() is False
    state["fail"] = False
    assert poller.tick() is True and seen == [0]


def test_without_a_loop_nothing_is_scheduled(stip_data):
    poller = LivePoller(Counter().version, lambda: None)
    assert poller.start() is False and not poller.running


def test_the_task_polls_until_stopped_and_survives_errors(stip_data):
    counter, seen = Counter(), []

    async def scenario():
        poller = LivePoller(counter.version, lambda: seen.append(counter.value), interval=0.1)
        assert poller.start() is True and poller.running
        for _ in range(100):  # wait for the first view, without timing it
            if seen:
                break
            await asyncio.sleep(0.05)
        counter.fail = True
        await asyncio.sleep(0.25)
        counter.fail = False
        counter.value = 7
        for _ in range(100):
            if 7 in seen:
                break
            await asyncio.sleep(0.05)
        poller.stop()
        assert not poller.running
        ticks = poller.ticks
        await asyncio.sleep(0.25)
        return poller, ticks

    poller, ticks = asyncio.run(scenario())
    assert seen == [0, 7]
    assert poller.errors >= 1
    assert poller.ticks == ticks  # stopped: no more ticks


def test_interval_is_bounded():
    with pytest.raises(ValueError):
        LivePoller(lambda conn: 0, lambda: None, interval=0)
