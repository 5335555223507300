"""Root conftest: loaded for `tests/` and for nbval on `workbooks/` alike (DESIGN §6).

nbval starts each notebook's kernel before any fixture runs, so the data directory must be set here,
in `pytest_configure`: kernels inherit it, and no notebook writes to the real user data dir.
"""

import os
import shutil
import tempfile

_DATA: list[str] = []


def pytest_configure(config):
    from stip import config as stip_config
    from stip import store

    stip_config.private_umask()
    data = tempfile.mkdtemp(prefix="stip-test-")
    _DATA.append(data)
    os.environ["STIP_DATA"] = data
    os.environ.pop("STIP_DATABASE_URL", None)
    os.environ["STIP_USER"] = "testmentor"
    store.migrate()


def pytest_unconfigure(config):
    for data in _DATA:
        shutil.rmtree(data, ignore_errors=True)
