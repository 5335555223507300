"""Shared pieces of the benchmarks: a Stip server on 127.0.0.1 with extra notebooks, kernels' memory."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from statistics import median, quantiles
from typing import IO

import nbformat

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = [
    "--no-first-run",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def bare_notebook(path: Path) -> None:
    """A bare Voilà notebook with one button: the yardstick of every page benchmark."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import ipywidgets as w\nw.Button(description='Klik')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def bench_server(demo: bool = False):
    """`stip serve` on a free port over a copy of workbooks/ and `Bare.ipynb`; yields (base_url, data)."""
    tmp = Path(tempfile.mkdtemp(prefix="stip-bench-"))
    root, data = tmp / "workbooks", tmp / "data"
    shutil.copytree(ROOT / "workbooks", root)
    bare_notebook(root / "Bare.ipynb")
    env = {**os.environ, "STIP_DATA": str(data), "STIP_USER": "bench"}
    env.pop("STIP_DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "stip", "demo" if demo else "status"], env=env, check=True, capture_output=True
    )
    port = free_port()
    code = (
        "from pathlib import Path; from stip.serve import serve; "
        f"serve({port}, '127.0.0.1', Path({str(root)!r}))"
    )
    log = (tmp / "server.log").open("w")
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/voila/static/voila.js", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.3)
        yield base, data
    finally:
        proc.terminate()
        proc.wait(30)
        shutil.rmtree(tmp, ignore_errors=True)


def start_deelnemen(env: dict[str, str], data: Path) -> tuple[subprocess.Popen, str, IO[str]]:
    """`python -m stip deelnemen` (the participant app) on a free port of 127.0.0.1, its log in
    `data/deelnemen.log`; returns (process, base_url, log) once it answers. The caller terminates both."""
    port = free_port()
    log = (Path(data) / "deelnemen.log").open("w")
    app = subprocess.Popen(
        [sys.executable, "-m", "stip", "deelnemen", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/", timeout=2)  # noqa: S310
            break
        except OSError:
            time.sleep(0.2)
    return app, base, log


def kernel_rss_mib(kernel_id: str) -> float:
    """Resident memory of the kernel process whose connection file names `kernel_id`."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
            if kernel_id in cmdline and "ipykernel" in cmdline:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            continue
    raise LookupError(kernel_id)


def machine() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    cpus = os.cpu_count()
    mem = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
    python = sys.version.split()[0]
    return f"{cpus} cores, {int(mem) / 1024 / 1024:.0f} GiB, load average {load}, Python {python}"


def summary(values: list[float]) -> str:
    return f"median {median(values):.2f} (min {min(values):.2f}, max {max(values):.2f}, n={len(values)})"


def peak_mib(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pid_of(*parts: str) -> int | None:
    """The process whose command line holds every one of `parts` (None when there is none)."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if all(part in cmdline for part in parts):
            return int(pid)
    return None


def pct(values: list[float], q: int) -> float:
    """The q-th percentile (inclusive method; the one value when there is one)."""
    return quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def kernel_id_of(page) -> str:
    return json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]
