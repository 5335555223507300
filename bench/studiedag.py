"""Study day, the headline benchmark of issue 17: a room of phones against `python -m stip deelnemen`,
the projector (`Teamscan.ipynb?sessie=<id>`) open in one Chromium page on the localhost Voilà server.

Every phone is a plain HTTP client with its own cookies and connection (tests/phones.py), on 127.0.0.1:
GET the join URL of the QR, the start page and every theme page; POST every statement (and GET the
redirect, as a browser does); the open questions typed and "Inleveren" on the last page. At most
--gelijktijdig phones at once; --denktijd adds a person's pause before each answer ("as fast as a
person"; without it: as fast as possible).

Reports: failed requests (target 0), answers stored vs sent (target equal), time per answer POST
(median, p95), the heaviest participant page (target <= 50 KB), peak memory (VmHWM) of the participant
app, the Voilà server and the projector's kernel, and the time from the last answer until the projector
shows all participants as handed in (target <= 1 s), plus --probes single late joiners one by one (p95 of
answer -> projector). Into docs/performance.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from statistics import median

from common import (
    CHROMIUM_FLAGS,
    ROOT,
    bench_server,
    kernel_id_of,
    machine,
    pct,
    peak_mib,
    pid_of,
    start_deelnemen,
)
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(ROOT))
from tests.phones import Phone  # noqa: E402

ITEM = re.compile(r'name="antwoord" value="([0-9]+):')  # a page is one form; each button "<item>:<option>"
TEXT = re.compile(r'name="tekst-([0-9]+)"')
NEXT_BUTTON = re.compile(r'name="ga" value="(t/[0-9]+|klaar)">[^<]*</button></nav>')
CHOICES = ("1", "2", "2", "3", "3", "3", "4", "4", "weet_niet")
PROJECTOR_SECONDS = 60


class Tally:
    """What all phones did, counted under one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.failed: list[str] = []
        self.sent = 0
        self.post_seconds: list[float] = []
        self.round_trip_seconds: list[float] = []
        self.page_bytes = 0
        self.last_answer = 0.0

    def fail(self, what: str) -> None:
        with self.lock:
            self.failed.append(what)


def expect(tally: Tally, response, status: int, what: str) -> bool:
    if response.status != status:
        tally.fail(f"{what}: {response.status}")
        return False
    return True


def participate(base: str, join: str, code: str, think: float, tally: Tally, rng: random.Random) -> None:
    phone = Phone(base)
    try:
        joined = phone.get(join)
        if not expect(tally, joined, 303, "join"):
            return
        start = phone.get(joined.location)
        if not expect(tally, start, 200, "start"):
            return
        sizes, sent = [start.size], 0
        target = "t/1"
        while target != "klaar":
            page = phone.get(f"/s/{code}/{target}")
            if not expect(tally, page, 200, "page"):
                return
            sizes.append(page.size)
            empty = {f"tekst-{item}": "" for item in TEXT.findall(page.text)}  # the comment goes along
            for item in dict.fromkeys(ITEM.findall(page.text)):
                if think:
                    time.sleep(rng.uniform(0.5 * think, 1.5 * think))
                form = {**empty, "antwoord": f"{item}:{rng.choice(CHOICES)}", "pagina": target[2:]}
                started = time.perf_counter()
                saved = phone.post(f"/s/{code}/pagina", form)
                posted = time.perf_counter()
                if not expect(tally, saved, 303, "answer"):
                    continue
                sent += 1
                shown = phone.get(saved.location.split("#")[0])
                done = time.perf_counter()
                expect(tally, shown, 200, "page after answer")
                with tally.lock:
                    tally.post_seconds.append(posted - started)
                    tally.round_trip_seconds.append(done - started)
                page = shown
            button = NEXT_BUTTON.search(page.text)
            if not button:
                tally.fail("no way on")
                return
            # the page's form (the theme's comment, left empty) with "Volgende thema"
            moved = phone.post(f"/s/{code}/pagina", {**empty, "pagina": target[2:], "ga": button.group(1)})
            expect(tally, moved, 303, "next theme")
            target = button.group(1)
        last = phone.get(f"/s/{code}/klaar")
        if not expect(tally, last, 200, "klaar"):
            return
        sizes.append(last.size)
        texts = {
            f"tekst-{item}": "Korte frequente contacten werken goed." for item in TEXT.findall(last.text)
        }
        done = phone.post(f"/s/{code}/pagina", {**texts, "pagina": "klaar", "ga": "inleveren"})
        if expect(tally, done, 303, "inleveren"):
            sent += len(texts)
            expect(tally, phone.get(done.location), 200, "bedankt")
        with tally.lock:
            tally.sent += sent
            tally.page_bytes = max(tally.page_bytes, *sizes)
            tally.last_answer = max(tally.last_answer, time.monotonic())
    except OSError as exc:
        tally.fail(f"{type(exc).__name__}")
    finally:
        phone.close()


def wait_for_projector(page, expected: int) -> float:
    """Seconds until the projector's count says `expected` handed in (or PROJECTOR_SECONDS)."""
    started = time.monotonic()
    page.wait_for_function(
        """([n]) => {
             const el = document.querySelector('.stip-live-count');
             return el && el.querySelector('[data-testid=deelnemers]').textContent.trim() === String(n)
                    && el.textContent.includes(n + ' hebben ingeleverd');
           }""",
        arg=[expected],
        timeout=PROJECTOR_SECONDS * 1000,
        polling=50,
    )
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--deelnemers", type=int, default=200)
    parser.add_argument("--gelijktijdig", type=int, default=25, help="phones at once (as fast as possible)")
    parser.add_argument("--denktijd", type=float, default=0.0, help="mean seconds a person thinks per answer")
    parser.add_argument("--probes", type=int, default=10, help="single late joiners, one at a time")
    parser.add_argument("--geen-projector", action="store_true", help="only the participant app")
    args = parser.parse_args()
    concurrency = args.deelnemers if args.denktijd else args.gelijktijdig
    print(f"Studiedag: {args.deelnemers} telefoons, {concurrency} tegelijk, denktijd {args.denktijd} s")
    print(f"Machine: {machine()}")

    with bench_server() as (voila, data):
        env = {**os.environ, "STIP_DATA": str(data), "STIP_USER": "bench"}
        env.pop("STIP_DATABASE_URL", None)
        started = subprocess.run(
            [
                sys.executable,
                "-m",
                "stip",
                "sessie",
                "start",
                "teamscan",
                "--naam",
                "Benchmark studiedag",
                "--json",
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        session = json.loads(started.stdout)
        code = session["code"]
        join = session["url"][session["url"].index("/s/") :]
        app, base, log = start_deelnemen(env, Path(data))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
                projector = None
                if not args.geen_projector:
                    projector = browser.new_page(viewport={"width": 1280, "height": 800})
                    projector.goto(f"{voila}/voila/render/Teamscan.ipynb?sessie={session['id']}")
                    projector.locator("[data-testid=deelnemers]").wait_for(state="attached", timeout=90_000)
                    projector.get_by_text("Uitkomsten", exact=True).click()  # the results tab, as on the day

                tally = Tally()
                began = time.monotonic()
                with ThreadPoolExecutor(max_workers=concurrency) as pool:
                    for number in range(args.deelnemers):
                        rng = random.Random(number)
                        pool.submit(participate, base, join, code, args.denktijd, tally, rng)
                elapsed = time.monotonic() - began
                to_projector = None
                if projector is not None:
                    after_last = time.monotonic() - tally.last_answer
                    to_projector = after_last + wait_for_projector(projector, args.deelnemers)

                probe_seconds: list[float] = []
                if projector is not None:
                    for extra in range(1, args.probes + 1):
                        probe = Tally()
                        participate(base, join, code, 0.0, probe, random.Random(10_000 + extra))
                        tally.failed += probe.failed
                        tally.sent += probe.sent
                        since = time.monotonic() - probe.last_answer
                        probe_seconds.append(since + wait_for_projector(projector, args.deelnemers + extra))

                kernel_peak = None
                if projector is not None:
                    projector.screenshot(path="/tmp/studiedag-projector.png", full_page=True)
                if projector is not None:
                    kernel = pid_of(kernel_id_of(projector), "ipykernel")
                    kernel_peak = peak_mib(kernel) if kernel else None
                app_peak = peak_mib(app.pid)
                voila_pid = pid_of("stip.serve import serve")
                voila_peak = peak_mib(voila_pid) if voila_pid else None
                browser.close()

            biggest = Phone(base)
            biggest.get(join)
            heavy = biggest.request("GET", f"/s/{code}/t/1", headers={"Accept-Encoding": "gzip"})
            if heavy.header("Content-Encoding") == "gzip":
                gz = heavy.size  # bytes as sent
            else:
                gz = len(gzip.compress(biggest.get(f"/s/{code}/t/1").text.encode()))
        finally:
            app.terminate()
            app.wait(30)
            log.close()

        db = sqlite3.connect(Path(data) / "stip.sqlite")
        stored = db.execute("SELECT count(*) FROM answer WHERE session_id = ?", (session["id"],)).fetchone()[
            0
        ]
        people = db.execute(
            "SELECT count(*), sum(submitted) FROM participant WHERE session_id = ?", (session["id"],)
        ).fetchone()
        db.close()

    posts = tally.post_seconds
    print(f"Duur: {elapsed:.1f} s voor {args.deelnemers} telefoons ({len(posts) / elapsed:.0f} antwoorden/s)")
    print(f"Mislukte verzoeken: {len(tally.failed)} {sorted(set(tally.failed))[:5]}")
    print(
        f"Antwoorden opgeslagen / verstuurd: {stored} / {tally.sent}; "
        f"deelnemers {people[0]}, ingeleverd {people[1]}"
    )
    print(
        f"Per antwoord-POST: mediaan {median(posts) * 1000:.0f} ms, p95 {pct(posts, 95) * 1000:.0f} ms, "
        f"max {max(posts) * 1000:.0f} ms (n={len(posts)}); POST + pagina erna: p95 "
        f"{pct(tally.round_trip_seconds, 95) * 1000:.0f} ms"
    )
    print(f"Zwaarste deelnemerspagina: {tally.page_bytes / 1024:.1f} KB (gzip {gz / 1024:.1f} KB)")
    print(f"Piekgeheugen (VmHWM): deelnemen {app_peak:.0f} MiB", end="")
    if voila_peak:
        print(f", Voilà-server {voila_peak:.0f} MiB", end="")
    if kernel_peak:
        print(f", kernel van de projector {kernel_peak:.0f} MiB", end="")
    print()
    if to_projector is None:
        print("Projector: niet gemeten (--geen-projector)")
    else:
        print(
            f"Projector toont alle {args.deelnemers} als ingeleverd: "
            f"{to_projector:.2f} s na het laatste antwoord"
        )
        if probe_seconds:
            print(
                f"Losse laatkomers ({len(probe_seconds)}x): antwoord -> projector mediaan "
                f"{median(probe_seconds):.2f} s, p95 {pct(probe_seconds, 95):.2f} s, "
                f"max {max(probe_seconds):.2f} s"
            )


if __name__ == "__main__":
    main()
