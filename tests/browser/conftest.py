"""Browser tests: Debian's Chromium driven by pytest-playwright against one real Stip server.

The server is `python -m stip serve` on a free 127.0.0.1 port with its own temporary `STIP_DATA`,
started once per session (its environment is fixed at start; kernels inherit it). Every test starts
from an empty database; `stip_server` is the base URL.
"""

from __future__ import annotations

import os
import tempfile

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete

from stip import store
from stip.store import tables as T
from tests.server import free_port, running_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-first-run",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 30_000
# `expect` has its own default of 5 s, which a page whose kernel starts on a busy machine can exceed
# ("Executing 1 of 2" still showing): every assertion waits as long as the page does.
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "nl-NL",
        "timezone_id": "Europe/Amsterdam",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture(scope="session")
def stip_env():
    """The environment of the test server: a temporary data directory of its own."""
    data = tempfile.mkdtemp(prefix="stip-browser-")
    env = {**os.environ, "STIP_DATA": data, "STIP_USER": "testmentor"}
    env.pop("STIP_DATABASE_URL", None)
    env.pop("STIP_TOKEN", None)
    env.pop("STIP_DEELNEMERS_URL", None)  # the participant app is not running beside this server
    return env


@pytest.fixture(scope="session")
def stip_server(stip_env):
    """Base URL of a running `python -m stip serve` (migrated, real settings)."""
    with running_server(stip_env) as (base, _log):
        yield base


@pytest.fixture
def server_db(stip_server, stip_env, monkeypatch):
    """The server's database, emptied before the test; use `store.write()` to look inside."""
    monkeypatch.setenv("STIP_DATA", stip_env["STIP_DATA"])
    monkeypatch.setenv("STIP_USER", stip_env["STIP_USER"])
    with store.write() as conn:
        for table in reversed(T.metadata.sorted_tables):
            conn.execute(delete(table))
    yield stip_env["STIP_DATA"]
    store.engine().dispose()


@pytest.fixture
def page(page):
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)
    return page


@pytest.fixture(scope="module")
def deelnemers_server(stip_env):
    """`python -m stip serve --deelnemers` on its own data: Voilà plus the participant app, both on
    127.0.0.1 here (on a study day the participant app listens on the LAN).
    Yields (voila, deelnemers, env)."""
    env = {**stip_env, "STIP_DATA": tempfile.mkdtemp(prefix="stip-deelnemers-")}
    port = free_port()
    with running_server(
        env, "--deelnemers", "--deelnemers-host", "127.0.0.1", "--deelnemers-port", str(port)
    ) as (base, _log):
        yield base, f"http://127.0.0.1:{port}", env


def phone_page(browser, *, javascript: bool = True):
    """A new phone-sized (390×844, touch, nl-NL) context and its page: (context, page)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="nl-NL",
        java_script_enabled=javascript,
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return context, page
