"""Screens at a real school's size, and pages opened while another process writes (issue 13).

(a) A school of 1,500 students with a class of 50 (siblings across classes, slots planned): SQL
    statements and seconds per screen opening and refresh — the numbers the unit test
    `tests/unit/test_screen_queries.py` keeps equal for a small and a large school.
(b) The Klassen page in Chromium: time until the class table shows, with no writer and while a second
    process holds SQLite's write lock (as a 10,000-row import does), interleaved; the ratio of medians.
Run: `cd bench && ../.venv/bin/python screens.py` (also part of `make bench`).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import CHROMIUM_FLAGS, bench_server, machine, summary  # noqa: E402

from tests.writer import holding_write_lock  # noqa: E402


def school_of_1500() -> None:
    os.environ["STIP_DATA"] = tempfile.mkdtemp(prefix="stip-bench-screens-")
    os.environ["STIP_USER"] = "bench"
    from stip import schools, store
    from tests.unit.test_screen_queries import build_school, screen_refreshes

    store.migrate()
    with store.write() as conn:
        actor = schools.acting_staff_member(conn)
    klas_id = build_school(actor, 50, 1500)
    seconds: dict[str, float] = {}
    counts = screen_refreshes(klas_id, seconds)
    print("(a) school of 1,500, class of 50: statements and seconds per screen opening/refresh")
    for name, count in counts.items():
        print(f"    {name:22} {count:4d} statements  {seconds[name]:.3f} s")


def open_klassen(browser, base: str) -> float:
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    started = time.perf_counter()
    page.goto(f"{base}/voila/render/Klassen.ipynb?klas=1A", wait_until="commit")
    page.locator(".stip-table tbody tr").first.wait_for(state="visible", timeout=60_000)
    seconds = time.perf_counter() - started
    context.close()
    return seconds


def pages_during_a_write(rounds: int) -> None:
    from playwright.sync_api import sync_playwright

    free, locked = [], []
    with bench_server(demo=True) as (base, data), sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        open_klassen(browser, base)  # warm the server once, not counted
        for _ in range(rounds):
            free.append(open_klassen(browser, base))
            with holding_write_lock(data / "stip.sqlite"):
                locked.append(open_klassen(browser, base))
        browser.close()
    print("(b) Klassen page until the class table shows")
    print(f"    no writer:           {summary(free)}")
    print(f"    writer holding lock: {summary(locked)}")
    print(f"    ratio of medians: {median(locked) / median(free):.2f} (1.0: reads never wait for the writer)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    school_of_1500()
    pages_during_a_write(args.rounds)


if __name__ == "__main__":
    main()
