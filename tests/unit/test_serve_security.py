"""Local mode locked down (issue 13): a real `python -m stip serve` answers only to local host names,
refuses a foreign websocket `Origin`, caps its kernels with a Dutch "Stip is nu druk" page, and on the
LAN needs a token (given, ≥ 20 characters, or generated and printed).

Plain HTTP on 127.0.0.1 (DESIGN §6); the LAN server binds 0.0.0.0 and is reached on 127.0.0.1 too.
Every kernel a test starts is shut down again; no durations are asserted.
"""

from __future__ import annotations

import asyncio
import http.client
import http.cookiejar
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.server import running_server

START = "/voila/render/Start.ipynb"
TIMEOUT = 120
MAX_KERNELS = 2


def server_env(data: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "STIP_DATA": str(data), "STIP_USER": "testmentor", **extra}
    env.pop("STIP_DATABASE_URL", None)
    if "STIP_TOKEN" not in extra:
        env.pop("STIP_TOKEN", None)
    return env


class Client:
    """A browser-like client: keeps cookies (the `_xsrf` cookie the page sets) and its kernels."""

    def __init__(self, base: str, token: str | None = None):
        self.base = base
        self.token = token
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.kernels: list[str] = []

    def _headers(self, headers: dict[str, str] | None = None) -> dict[str, str]:
        auth = {"Authorization": f"token {self.token}"} if self.token else {}
        return {**auth, **(headers or {})}

    def page(self, path: str = START, headers: dict[str, str] | None = None) -> tuple[int, str]:
        """GET a page; remembers the kernel it started."""
        request = urllib.request.Request(self.base + path, headers=self._headers(headers))
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:  # noqa: S310
                status, body = response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read().decode("utf-8", "replace")
        found = re.search(r'"kernelId": "([0-9a-f-]+)"', body)
        if found:
            self.kernels.append(found.group(1))
        return status, body

    def cookie(self, name: str) -> str:
        return next(c.value for c in self.jar if c.name == name)

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def shutdown_kernels(self) -> None:
        """DELETE every kernel this client started (as the page's own code would, with `_xsrf`)."""
        while self.kernels:
            kernel = self.kernels.pop()
            headers = self._headers({"X-XSRFToken": self.cookie("_xsrf")})
            request = urllib.request.Request(
                f"{self.base}/api/kernels/{kernel}", method="DELETE", headers=headers
            )
            with self.opener.open(request, timeout=TIMEOUT) as response:  # noqa: S310
                assert response.status == 204


def raw_get(base: str, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """A GET with exactly these headers (`Host` included), redirects not followed."""
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=TIMEOUT)
    try:
        conn.putrequest("GET", path, skip_host="Host" in headers, skip_accept_encoding=True)
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def websocket_status(base: str, kernel: str, cookie: str, origin: str | None, host: str | None = None):
    """Open the kernel's channels websocket with this `Origin` (and `Host`): "open" or the HTTP status."""
    from tornado.httpclient import HTTPClientError, HTTPRequest
    from tornado.websocket import websocket_connect

    headers = {"Cookie": cookie}
    if origin is not None:
        headers["Origin"] = origin
    if host is not None:
        headers["Host"] = host
    url = base.replace("http://", "ws://") + f"/api/kernels/{kernel}/channels?session_id=test"

    async def connect():
        try:
            request = HTTPRequest(url, headers=headers, connect_timeout=TIMEOUT, request_timeout=TIMEOUT)
            connection = await websocket_connect(request)
        except HTTPClientError as error:
            return error.code
        connection.close()
        return "open"

    # in a thread of its own: after the browser tests, pytest-playwright's sync API keeps an event loop
    # running in the main thread for the rest of the session, and asyncio.run() refuses to start there
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, connect()).result()


# ---------------------------------------------------------------------------------------------- local


@pytest.fixture(scope="module")
def local_server(tmp_path_factory):
    """A server on 127.0.0.1 (the default) with room for two kernels."""
    env = server_env(tmp_path_factory.mktemp("local"), STIP_MAX_KERNELS=str(MAX_KERNELS))
    with running_server(env) as (base, _log):
        yield base


@pytest.fixture
def client(local_server):
    made = Client(local_server)
    yield made
    made.shutdown_kernels()


def test_a_foreign_host_name_is_refused(local_server):
    port = urllib.parse.urlsplit(local_server).port
    for host in ("evil.example", f"evil.example:{port}", f"stip.evil.example:{port}"):
        status, _headers, _body = raw_get(local_server, START, {"Host": host})
        assert status == 403, host
    status, _headers, _body = raw_get(
        local_server, "/api/kernels/00000000-0000-0000-0000-000000000000", {"Host": "evil.example"}
    )
    assert status == 403


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "localhost:{port}", "127.0.0.1:{port}"])
def test_local_host_names_are_served(client, local_server, host):
    port = urllib.parse.urlsplit(local_server).port
    status, body = client.page(headers={"Host": host.format(port=port)})
    assert status == 200
    assert "kernelId" in body


def test_the_kernel_websocket_refuses_a_foreign_origin(client, local_server):
    port = urllib.parse.urlsplit(local_server).port
    status, _body = client.page()
    assert status == 200 and client.kernels
    kernel, cookie = client.kernels[0], client.cookie_header()

    assert websocket_status(local_server, kernel, cookie, origin=local_server) == "open"
    assert websocket_status(local_server, kernel, cookie, origin="http://evil.example") == 403
    assert websocket_status(local_server, kernel, cookie, origin=f"http://evil.example:{port}") == 403
    # DNS rebinding: the other site's page sends its own name as Host and as Origin
    rebound = f"evil.example:{port}"
    assert websocket_status(local_server, kernel, cookie, origin=f"http://{rebound}", host=rebound) == 403


def test_beyond_the_kernel_cap_a_dutch_busy_page_answers(client, local_server):
    for _ in range(MAX_KERNELS):
        status, _body = client.page()
        assert status == 200
    assert len(client.kernels) == MAX_KERNELS

    status, headers, body = raw_get(local_server, START, {"Host": "localhost"})
    assert status == 503
    assert "Retry-After" in headers
    page = body.decode("utf-8")
    assert "Stip is nu druk, probeer het zo weer" in page
    assert '<html lang="nl">' in page
    assert "kernelId" not in page  # no kernel was started for it
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "the busy page loads nothing"

    client.shutdown_kernels()
    status, _body = client.page()
    assert status == 200, "room again once kernels stopped"


# ---------------------------------------------------------------------------------------------- LAN


def test_on_the_lan_a_token_is_generated_printed_and_required(tmp_path):
    with running_server(server_env(tmp_path), "--host", "0.0.0.0") as (base, log):
        deadline = time.monotonic() + 30
        while not (found := re.search(r"https?://\S+[?&]token=([\w-]+)", log.read_text())):
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        token = found.group(1)
        assert len(token) >= 20

        status, _headers, _body = raw_get(base, START, {"Host": "127.0.0.1"})
        assert status in (302, 403), "no page without the token"

        lan = Client(base, token=token)
        try:
            status, _body = lan.page()
            assert status == 200
            # phones reach it by the laptop's address: no host check on the LAN, the token guards it
            kernel = lan.kernels[0]
            status, _headers, _body = raw_get(
                base,
                f"/api/kernels/{kernel}",
                {"Host": "192.168.1.20", "Authorization": f"token {token}"},
            )
            assert status == 200
        finally:
            lan.shutdown_kernels()
