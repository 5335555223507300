"""A phone as a plain HTTP client of the participant app (`stip deelnemen`): its own cookies, one
keep-alive connection, redirects NOT followed (the tests look at each Post/Redirect/Get step).

Used by tests/unit/test_deelnemen.py and bench/studiedag.py; 127.0.0.1 only.
"""

from __future__ import annotations

import http.client
import re
import urllib.parse
from dataclasses import dataclass
from http.cookies import SimpleCookie

XSRF_FIELD = re.compile(r'name="_xsrf" value="([^"]+)"')


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    text: str
    size: int  # bytes of the body as sent

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def set_cookies(self) -> list[str]:
        return [value for key, value in self.headers if key.lower() == "set-cookie"]

    @property
    def location(self) -> str | None:
        return self.header("Location")


class Phone:
    """One participant's browser: cookies (name → (value, path)), a connection, the last page's form token."""

    def __init__(self, base: str, timeout: float = 30):
        parsed = urllib.parse.urlsplit(base)
        assert parsed.hostname == "127.0.0.1", "phones connect to 127.0.0.1 only"
        self.host, self.port, self.timeout = parsed.hostname, parsed.port, timeout
        self.cookies: dict[str, tuple[str, str]] = {}
        self.form_token: str | None = None
        self._conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _cookie_header(self, path: str) -> str:
        pairs = [
            f"{name}={value}"
            for name, (value, scope) in self.cookies.items()
            if path == scope or path.startswith(scope.rstrip("/") + "/") or scope == "/"
        ]
        return "; ".join(pairs)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Response:
        all_headers = {"Host": f"{self.host}:{self.port}", **(headers or {})}
        cookie = self._cookie_header(urllib.parse.urlsplit(path).path)
        if cookie:
            all_headers["Cookie"] = cookie
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request(method, path, body=body, headers=all_headers)
                reply = conn.getresponse()
                data = reply.read()
                break
            except (ConnectionError, http.client.BadStatusLine):
                self.close()  # the server closed an idle keep-alive connection: once more on a new one
                if attempt == 2:
                    raise
        response = Response(reply.status, reply.getheaders(), data.decode("utf-8", "replace"), len(data))
        if reply.will_close:
            self.close()
        for raw in response.set_cookies():
            jar = SimpleCookie()
            jar.load(raw)
            for name, morsel in jar.items():
                self.cookies[name] = (morsel.value, morsel["path"] or "/")
        found = XSRF_FIELD.search(response.text)
        if found:
            self.form_token = found.group(1)
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str], *, xsrf: bool = True) -> Response:
        fields = dict(form)
        if xsrf and "_xsrf" not in fields:
            fields["_xsrf"] = self.form_token or self.cookies.get("_xsrf", ("", ""))[0]
        body = urllib.parse.urlencode(fields).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})
