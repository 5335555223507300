"""`python -m stip serve`: Voilà with Stip's template, `/` opening the home workbook (DESIGN §5)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from stip import config

WORKBOOKS = config.REPO_ROOT / "workbooks"
JUPYTER_DATA = config.REPO_ROOT / "share" / "jupyter"
HOME = "voila/render/Start.ipynb"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
WEBSOCKET_MAX_MESSAGE_SIZE = 64 * 1024 * 1024  # uploads up to the 5 MB limit and beyond reach the kernel
CULL_INTERVAL_SECONDS = 60


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
        """Voilà's page handler, plus the `_xsrf` cookie that the page's "shut my kernel" beacon sends
        on leaving (without it the beacon is refused with 403 and the kernel lives until culled)."""

        async def get(self, *args, **kwargs):
            self.xsrf_token  # noqa: B018 - reading it sets the cookie
            return await super().get(*args, **kwargs)

    class StipVoila(Voila):
        """Voilà plus a redirect from `/` to the home workbook, compression and a larger websocket limit."""

        def init_settings(self):
            settings = super().init_settings()
            settings["compress_response"] = True
            settings["websocket_max_message_size"] = WEBSOCKET_MAX_MESSAGE_SIZE
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


def serve(port: int, host: str, root: Path = WORKBOOKS) -> None:
    """Run the server in the foreground (the database is migrated by the caller).

    `root` is the folder of workbooks; only the benchmarks pass another (Stip's plus a bare notebook).
    """
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(JUPYTER_DATA), os.environ.get("JUPYTER_PATH", "")) if p
    )
    os.environ["STIP_DATA"] = str(config.data_dir())
    app = _voila_class()
    sys.argv = ["stip-serve"]
    app.launch_instance(voila_argv(port, host, config.token(), root))
