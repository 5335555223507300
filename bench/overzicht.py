"""See every family at a school's size (issue 15 §6/§7).

A school of 1,200 students (class 1A of 32, the rest in classes of 30) with 20 contacts and 3
agreements per student and a communicatieplan with one moment each, written with one executemany per
table. Prints
(a) SQL statements and seconds per render of the class panel (1A) and of the Overzicht, in the
    benchmark's process, and the query plan of the main statement;
(b) time to first render in Chromium — the Overzicht's class table and the class page
    (`Communicatieplan.ipynb?klas=1A&tab=klas`, its family table) — against a bare Voilà notebook with
    one button, same server, loads interleaved, no preheat; the ratios of the medians (target <= 1.3).
Run: `cd bench && ../.venv/bin/python overzicht.py [--rounds 15]`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import CHROMIUM_FLAGS, bench_server, machine, summary  # noqa: E402

STUDENTS, CLASS_SIZE, CONTACTS, AGREEMENTS = 1200, 32, 20, 3
TONES = ("positief", "neutraal", "zorg")
PAGES = {
    "bare": ("Bare.ipynb", "button.jupyter-button"),
    "overzicht": ("Overzicht.ipynb", ".stip-overzicht-table tbody tr"),
    "klas": ("Communicatieplan.ipynb?klas=1A&tab=klas", ".stip-klas-panel .stip-overzicht-table tbody tr"),
}


def build_school(data: Path) -> dict[str, float]:
    """Fill the server's database; returns seconds per step."""
    os.environ["STIP_DATA"] = str(data)
    os.environ["STIP_USER"] = "bench"
    from sqlalchemy import insert, select

    from stip import imports, klassen, schools, store, timefmt
    from stip.store import tables as T
    from tests.unit.test_screen_queries import school_csv

    took = {}
    started = time.perf_counter()
    with store.write() as conn:
        actor = schools.acting_staff_member(conn)
        klassen.apply_import(conn, actor, imports.parse(school_csv(CLASS_SIZE, STUDENTS).encode()))
    took["import"] = time.perf_counter() - started
    today = timefmt.today()
    started = time.perf_counter()
    with store.write() as conn:
        ids = list(
            conn.execute(select(T.student.c.id).where(T.student.c.school_id == actor.school_id)).scalars()
        )
        common = dict(school_id=actor.school_id, author_id=actor.id)
        conn.execute(
            insert(T.contact_moment),
            [
                dict(
                    common,
                    student_id=sid,
                    school_year_id=actor.school_year_id,
                    happened_on=today - timedelta(days=(sid * 7 + n * 5) % 110),
                    kanaal="telefoon",
                    toon=TONES[(sid + n) % 3] if sid % 10 else "zorg",  # every tenth family: only worries
                    regel=f"Contact {n}",
                )
                for sid in ids
                for n in range(CONTACTS)
            ],
        )
        conn.execute(
            insert(T.afspraak),
            [
                dict(
                    common,
                    student_id=sid,
                    wat=f"Afspraak {n}",
                    wanneer=today + timedelta(days=10 * n - 15),
                    status="open" if n else "gedaan",
                )
                for sid in ids
                for n in range(AGREEMENTS)
            ],
        )
        with_plan = ids[::2]
        conn.execute(
            insert(T.communicatieplan),
            [
                dict(common, student_id=sid, school_year_id=actor.school_year_id, patroon="rapport")
                for sid in with_plan
            ],
        )
        plans = dict(
            conn.execute(
                select(T.communicatieplan.c.student_id, T.communicatieplan.c.id).where(
                    T.communicatieplan.c.school_id == actor.school_id
                )
            ).all()
        )
        conn.execute(
            insert(T.plan_moment),
            [
                dict(common, student_id=sid, communicatieplan_id=plans[sid], kind="interval_weken", value="6")
                for sid in with_plan
            ],
        )
    took["contacts, agreements, plans (one executemany per table)"] = time.perf_counter() - started
    return took


def renders() -> None:
    from types import SimpleNamespace

    from sqlalchemy import select

    from stip import overzicht, schools, store
    from stip.store import tables as T
    from widgets.communicatieplan_klas import KlasPanel
    from widgets.overzicht import OverzichtScreen

    with store.read() as conn:
        actor = schools.find_actor(conn)
        klas_id = conn.execute(select(T.klas.c.id).where(T.klas.c.name == "1A")).scalar_one()
        plans = {
            name: overzicht.main_query_plan(conn, actor, scope)
            for name, scope in (("class", klas_id), ("school", None))
        }
    print("(a) statements and seconds per render (in this process)")
    for name, build in (
        ("class panel 1A (32)", lambda: KlasPanel(SimpleNamespace(actor=actor, klas_id=klas_id)).refresh()),
        ("Overzicht (1,200)", lambda: OverzichtScreen(query={})),
    ):
        seconds = []
        for _ in range(5):
            started = time.perf_counter()
            with store.counting_statements() as statements:
                build()
            seconds.append(time.perf_counter() - started)
        print(f"    {name:22} {len(statements):3d} statements  {summary(seconds)} s")
    for name, plan in plans.items():
        print(f"    query plan, {name}: {' | '.join(plan)}")


def load(browser, base: str, name: str) -> float:
    notebook, selector = PAGES[name]
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    started = time.perf_counter()
    page.goto(f"{base}/voila/render/{notebook}", wait_until="commit")
    page.locator(selector).first.wait_for(state="visible", timeout=120_000)
    seconds = time.perf_counter() - started
    context.close()
    return seconds


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    times = {name: [] for name in PAGES}
    with bench_server() as (base, data), sync_playwright() as p:
        took = build_school(data)
        print(f"machine: {machine()}")
        print(
            f"school: {STUDENTS} students, {STUDENTS * CONTACTS} contacts, {STUDENTS * AGREEMENTS} agreements"
        )
        for step, seconds in took.items():
            print(f"    {step}: {seconds:.2f} s")
        renders()
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        load(browser, base, "bare")  # warm the server's template cache once, not counted
        for _ in range(args.rounds):
            for name in PAGES:
                times[name].append(load(browser, base, name))
        browser.close()
        print(f"machine after: {machine()}")
    print("(b) time to first render in Chromium, seconds")
    for name in PAGES:
        print(f"    {name:10} {summary(times[name])}")
    for name in ("overzicht", "klas"):
        print(f"    {name} / bare: {median(times[name]) / median(times['bare']):.2f} (target <= 1.3)")


if __name__ == "__main__":
    main()
