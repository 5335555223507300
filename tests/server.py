"""One real `python -m stip serve` for the tests that need a server (browser tests, the security tests):
on 127.0.0.1, a free port unless given, with the environment the caller fixes (kernels inherit it)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

START_TIMEOUT_SECONDS = 90


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(env: dict[str, str], *args: str, port: int | None = None) -> Iterator[tuple[str, Path]]:
    """`python -m stip serve --port N *args` with `env`; yields (base URL on 127.0.0.1, log path)."""
    port = port or free_port()
    log = Path(env["STIP_DATA"]) / f"server-{port}.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "stip", "serve", "--port", str(port), *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            if proc.poll() is not None:
                pytest.fail(f"stip serve stopped (exit {proc.returncode}):\n{log.read_text()}")
            try:
                urllib.request.urlopen(base + "/voila/static/voila.js", timeout=2)  # noqa: S310
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"stip serve did not answer within {START_TIMEOUT_SECONDS} s:\n{log.read_text()}"
                    )
                time.sleep(0.3)
        yield base, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)
