"""All settings of Stip in one place, read from the environment.

| variable            | meaning                                                 | default                    |
|---------------------|---------------------------------------------------------|----------------------------|
| `STIP_DATA`         | data directory (database, exports); never in the repo   | platformdirs user data dir |
| `STIP_DATABASE_URL` | SQLAlchemy URL of the database                          | `stip.sqlite` in STIP_DATA |
| `STIP_USER`         | login of the acting staff member in local mode          | the operating-system login |
| `JUPYTERHUB_USER`   | the acting staff member in hosted mode (JupyterHub)     | —                          |
| `STIP_TOKEN`        | token for any address but 127.0.0.1 (≥ 20 characters)  | generated and printed      |
| `STIP_LANGUAGE`     | language of the message catalog                         | `nl`                       |
| `STIP_CULL_SECONDS` | stop the kernel of a page idle this many seconds        | `1800` (half an hour)      |
| `STIP_MAX_KERNELS`  | most pages open at once (a kernel each), then "druk"    | 4 per GB of memory, ≥ 4    |
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

DATABASE_FILE = "stip.sqlite"
REPO_ROOT = Path(__file__).resolve().parent.parent

SETTINGS = (
    "STIP_DATA",
    "STIP_DATABASE_URL",
    "STIP_USER",
    "JUPYTERHUB_USER",
    "STIP_TOKEN",
    "STIP_LANGUAGE",
    "STIP_CULL_SECONDS",
    "STIP_MAX_KERNELS",
    "STIP_DEELNEMERS_URL",
)
KERNELS_PER_GB = 4  # a kernel takes 53–110 MiB (DESIGN §7); leave room for the rest of the machine
MIN_KERNELS = 4


def private_umask() -> None:
    """Make every file Stip creates private (files 0600, folders 0700); kernels inherit it."""
    os.umask(0o077)


def data_dir() -> Path:
    """The data directory, created 0700 when missing."""
    raw = os.environ.get("STIP_DATA")
    if raw:
        path = Path(raw).expanduser()
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir("stip", appauthor=False))
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def database_url() -> str:
    url = os.environ.get("STIP_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{data_dir() / DATABASE_FILE}"


def acting_login() -> str:
    """Who is acting: JupyterHub's user when hosted, else STIP_USER, else the OS login."""
    for name in ("JUPYTERHUB_USER", "STIP_USER"):
        value = os.environ.get(name, "").strip()
        if value:
            return value
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "gebruiker"


def token() -> str | None:
    return os.environ.get("STIP_TOKEN") or None


def participant_base_url() -> str | None:
    """Where phones reach the participant app of live sessions (`python -m stip serve --deelnemers` sets
    `STIP_DEELNEMERS_URL`, e.g. "http://192.168.1.20:8867"; kernels inherit it); None when not running."""
    value = os.environ.get("STIP_DEELNEMERS_URL", "").strip().rstrip("/")
    return value or None


def language() -> str:
    return os.environ.get("STIP_LANGUAGE", "nl")


def cull_idle_seconds() -> int:
    """Seconds after which the kernel of a page nobody uses is stopped (frees its memory)."""
    try:
        return max(1, int(os.environ.get("STIP_CULL_SECONDS", "1800")))
    except ValueError:
        return 1800


def memory_bytes() -> int | None:
    """The machine's physical memory, or None where the system does not say."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


def max_kernels() -> int:
    """How many pages (each with its own kernel) may be open at once; beyond it "Stip is nu druk"."""
    raw = os.environ.get("STIP_MAX_KERNELS", "").strip()
    if raw:
        try:
            return max(1, int(raw))
        except ValueError:
            pass
    memory = memory_bytes()
    if memory is None:
        return MIN_KERNELS
    return max(MIN_KERNELS, int(memory / 1e9 * KERNELS_PER_GB))
