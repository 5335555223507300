"""`python -m stip serve`: Voilà with Stip's template, `/` opening the home workbook (DESIGN §5)."""

from __future__ import annotations

import html
import os
import secrets
import socket
import sys
from pathlib import Path

from stip import config
from stip.i18n import t

WORKBOOKS = config.REPO_ROOT / "workbooks"
JUPYTER_DATA = config.REPO_ROOT / "share" / "jupyter"
HOME = "voila/render/Start.ipynb"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
WEBSOCKET_MAX_MESSAGE_SIZE = 64 * 1024 * 1024  # uploads up to the 5 MB limit and beyond reach the kernel
CULL_INTERVAL_SECONDS = 60
BUSY_RETRY_SECONDS = 30
MIN_TOKEN_LENGTH = 20
TOKEN_BYTES = 32  # secrets.token_urlsafe(32): 43 characters
WILDCARD_HOSTS = {"0.0.0.0", "::", ""}


class TokenTooShort(Exception):
    """A token for the LAN that is easy to guess."""

    message_key = "cli.serve_token_too_short"


def server_token(host: str, given: str | None) -> tuple[str | None, bool]:
    """The token the server needs on `host`, and whether it was generated here (DESIGN §5, §8).

    On this computer only (127.0.0.1, localhost) a token is optional; on any other address one is
    required: the given `STIP_TOKEN` when it has at least 20 characters (else `TokenTooShort`), or a new
    random one.
    """
    if host in LOCAL_HOSTS:
        return given, False
    if given is None:
        return secrets.token_urlsafe(TOKEN_BYTES), True
    if len(given) < MIN_TOKEN_LENGTH:
        raise TokenTooShort()
    return given, False


def lan_address(host: str) -> str:
    """The address to print for `host`: for 0.0.0.0 this computer's address on the network (found by
    the route a UDP socket would take; nothing is sent), else `host` itself."""
    if host not in WILDCARD_HOSTS:
        return host
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.connect(("192.0.2.1", 9))  # TEST-NET-1: only picks the outgoing interface
            return sock.getsockname()[0]
    except OSError:
        return socket.gethostname()


def start_url(host: str, port: int, token: str | None) -> str:
    """The address to open: `localhost` on this computer, else the LAN address, with the token."""
    name = "localhost" if host in LOCAL_HOSTS else lan_address(host)
    if ":" in name:
        name = f"[{name}]"
    url = f"http://{name}:{port}/"
    return f"{url}?token={token}" if token else url


def busy_page() -> str:
    """The Dutch "Stip is nu druk" page: small, self-contained, no request to any other host."""
    title, text, retry = (
        html.escape(t(key)) for key in ("serve.busy_title", "serve.busy_text", "serve.busy_retry")
    )
    return (
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="icon" href="data:,"><title>{title}</title>'
        "<style>body{font-family:system-ui,sans-serif;margin:3em auto;max-width:36em;padding:0 1em;"
        "line-height:1.5;color:#222}a{color:#0b5cad}</style></head>"
        f'<body><main><h1>{title}</h1><p>{text}</p><p><a href="">{retry}</a></p></main></body></html>\n'
    )


def voila_argv(port: int, host: str, token: str | None, root: Path = WORKBOOKS) -> list[str]:
    argv = [
        str(root),
        f"--Voila.ip={host}",
        f"--port={port}",
        "--Voila.port_retries=0",
        "--no-browser",
        "--template=stip",
        "--HTMLExporter.language_code=nl",
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
        "--VoilaConfiguration.show_tracebacks=False",
        f"--MappingKernelManager.cull_idle_timeout={config.cull_idle_seconds()}",
        f"--MappingKernelManager.cull_interval={min(CULL_INTERVAL_SECONDS, config.cull_idle_seconds())}",
    ]
    if token:
        argv.append(f"--Voila.token={token}")
    return argv


def _voila_class():
    import tornado.web
    from jupyter_server.utils import url_path_join
    from voila.app import Voila
    from voila.tornado.handler import TornadoVoilaHandler

    class PageHandler(TornadoVoilaHandler):
        """Voilà's page handler, plus:

        - the `_xsrf` cookie that the page's "shut my kernel" beacon sends on leaving (without it the
          beacon is refused with 403 and the kernel lives until culled);
        - a cap on kernels (DESIGN §8): every page starts one, so beyond `STIP_MAX_KERNELS` the answer
          is a small Dutch "Stip is nu druk" page (503) instead of another kernel. Pages still starting
          their kernel count too (`opening`), so a burst of requests cannot slip past the cap.
        """

        opening = 0  # pages past the check whose kernel is not yet among the manager's kernels

        @tornado.web.authenticated
        async def get(self, *args, **kwargs):
            if len(self.kernel_manager.list_kernel_ids()) + PageHandler.opening >= config.max_kernels():
                self.set_status(503)
                self.set_header("Content-Type", "text/html; charset=UTF-8")
                self.set_header("Cache-Control", "no-store")
                self.set_header("Retry-After", str(BUSY_RETRY_SECONDS))
                self.finish(busy_page())
                return
            self.xsrf_token  # noqa: B018 - reading it sets the cookie
            self._opening = True
            PageHandler.opening += 1
            try:
                return await super().get(*args, **kwargs)
            finally:
                self._opened()

        async def get_generator(self, *args, **kwargs):
            async for html_part in super().get_generator(*args, **kwargs):
                self._opened()  # the first part comes once the kernel has started
                yield html_part

        def _opened(self) -> None:
            if getattr(self, "_opening", False):
                self._opening = False
                PageHandler.opening -= 1

    class StipVoila(Voila):
        """Voilà plus a redirect from `/` to the home workbook, compression, a larger websocket limit,
        and — bound to this computer only — answers only to local host names.

        Voilà sets `allow_remote_access=True`, which switches off jupyter_server's `check_host`: any
        `Host:` was served, so a page of another site whose name resolves to 127.0.0.1 (DNS rebinding)
        reached the widget state of a class. Bound to a local address, only `localhost` and loopback
        addresses are served (403 otherwise), for pages, API and the kernel websocket alike; the
        websocket also refuses an `Origin` other than its own host (jupyter_server's `check_origin`).
        On the LAN the token guards the server (`stip serve --host`).
        """

        def init_settings(self):
            settings = super().init_settings()
            settings["compress_response"] = True
            settings["websocket_max_message_size"] = WEBSOCKET_MAX_MESSAGE_SIZE
            if self.ip in LOCAL_HOSTS:
                settings["allow_remote_access"] = False
                settings["local_hostnames"] = ["localhost"]
            return settings

        def init_handlers(self):
            home = url_path_join(self.server_url, HOME)
            redirect = (url_path_join(self.server_url, "/"), tornado.web.RedirectHandler, {"url": home})
            handlers = [
                (rule[0], PageHandler, *rule[2:]) if rule[1] is TornadoVoilaHandler else rule
                for rule in super().init_handlers()
            ]
            return [redirect, *handlers]

    return StipVoila


def serve(port: int, host: str, root: Path = WORKBOOKS, token: str | None = None) -> None:
    """Run the server in the foreground (the database is migrated by the caller).

    `root` is the folder of workbooks; only the benchmarks pass another (Stip's plus a bare notebook).
    `token`: see `server_token`; without it `STIP_TOKEN`.
    """
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(JUPYTER_DATA), os.environ.get("JUPYTER_PATH", "")) if p
    )
    os.environ["STIP_DATA"] = str(config.data_dir())
    app = _voila_class()
    sys.argv = ["stip-serve"]
    app.launch_instance(voila_argv(port, host, token or config.token(), root))
