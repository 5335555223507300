"""Browser tests: Debian's Chromium driven by pytest-playwright against one real Stip server.

The server is `python -m stip serve` on a free 127.0.0.1 port with its own temporary `STIP_DATA`,
started once per session (its environment is fixed at start; kernels inherit it). Every test starts
from an empty database; `stip_server` is the base URL.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import delete

from stip import store
from stip.store import tables as T

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-first-run",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 30_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
    return env


@contextmanager
def running_server(env: dict[str, str], port: int | None = None):
    """`python -m stip serve` on 127.0.0.1 (a free port unless given) with `env`; yields its base URL."""
    port = port or free_port()
    log = Path(env["STIP_DATA"]) / f"server-{port}.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "stip", "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"stip serve stopped (exit {proc.returncode}):\n{log.read_text()}")
            try:
                urllib.request.urlopen(base + "/voila/static/voila.js", timeout=2)  # noqa: S310
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail(f"stip serve did not answer within 60 s:\n{log.read_text()}")
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def stip_server(stip_env):
    """Base URL of a running `python -m stip serve` (migrated, real settings)."""
    with running_server(stip_env) as base:
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
