"""Kenniskring (issue 18): a room of phones follows the trainer through five activities.

Against a real `python -m stip deelnemen` (the participant app) on 127.0.0.1, with the Kenniskring
workbook (`Kenniskring.ipynb?sessie=<id>`, the trainer's Presenteren tab in projector mode) open in one
Chromium page on a real Stip Voilà server sharing the database — as bench/studiedag.py.

The session has Stip's standard programme, one activity of each kind: statements, tips, a case, the word
cloud and the intention. Every phone is a plain HTTP client with its own cookies and connection
(tests/phones.py): it joins by code (`/?code=`), GETs the current activity page, answers every question
with the form's CSRF token (a POST per choice; the text activities as one form, as the page has them),
GETs the page it is sent back to, and polls `/s/<CODE>/status.json` the way the page's script does —
every --poll seconds (2 s on the phones) counted from the last page load — and reloads the page when the
trainer moved on. Every phone is one thread that lives all session (60 connections at most, one request
each at a time); --denktijd is a person's mean pause before each answer.

The trainer's "Volgende" is a click on the button in the projector workbook (what the trainer does), once
every phone has answered the activity and the projector shows it, after a pause of 1–3 s. With
--geen-projector there is no Voilà server and the bench steps through `stip.kenniskring.go_next` itself
(the quick mode of the smoke test).

Reports: failed requests (target 0), answers stored vs sent (target equal), time from the click on
"Volgende" until each phone's next poll shows the new activity and until its page is reloaded (median,
p95 over phones and steps; the last phone per step) — mostly the poll interval —, time from the click
until the projector shows the new activity, time from the last answer of an activity until the projector
shows it (the view equal to what the kernel renders from the database then) and the same for --probes
late phones answering the last activity one by one (p95 of both), peak memory (VmHWM) of
the participant app, the Voilà server and the projector's kernel, and the machine's load average. Into
docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
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

sys.path.insert(0, str(ROOT))
from tests.phones import Phone  # noqa: E402

STAND = re.compile(r'data-stand="([^"]*)"')
FORM = re.compile(r'<form method="post" action="[^"]*/kk">(.*?)</form>', re.S)
ANSWER = re.compile(r'name="antwoord" value="([0-9]+):([a-z_]+)"')  # the activity is one form
TEXT = re.compile(r'name="tekst-([0-9]+)"')
KINDS = ("stelling", "tip", "casus", "woordwolk", "voornemen")
REASONS = ("Dat merk ik elke week.", "Hangt af van de ouder.", "Bij ons lukt dat nog niet.")
CASES = ("Eerst luisteren, dan samen een plan maken.", "Ik bel de ouders deze week nog op.")
WORDS = ("vertrouwen samen luisteren", "open gesprek", "op tijd bellen", "gelijkwaardig")
PLANS = ("Ik bel elke ouder van mijn mentorklas voor de herfstvakantie.", "Ik deel elke week goed nieuws.")
PROJECTOR_SECONDS = 60


class Room:
    """What all phones did, under one lock; per activity position the times things happened."""

    def __init__(self, phones: int):
        self.lock = threading.Lock()
        self.phones = phones
        self.failed: list[str] = []
        self.sent = 0
        self.step_at: dict[int, float] = {}  # position -> monotonic time of the trainer's "Volgende"
        self.polled: dict[int, list[float]] = {}  # position -> per phone: first poll showing it
        self.loaded: dict[int, list[float]] = {}  # position -> per phone: page reloaded with it
        self.answered: dict[int, int] = {}  # position -> phones done with it
        self.last_answer: dict[int, float] = {}
        self.all_answered: dict[int, threading.Event] = {}
        self.stop = threading.Event()

    def fail(self, what: str) -> None:
        with self.lock:
            self.failed.append(what)

    def done(self, position: int) -> threading.Event:
        with self.lock:
            return self.all_answered.setdefault(position, threading.Event())

    def note(self, table: dict[int, list[float]], position: int, moment: float) -> None:
        with self.lock:
            table.setdefault(position, []).append(moment)


def answers_for(page: str, kind: str, rng: random.Random) -> list[tuple[dict[str, str], int]]:
    """The POSTs a phone sends on this page: (form, answers it stores). The activity is one form, sent
    whole as a browser does: a tap on a choice is one POST, with a reason typed now and then (it stays in
    its field, so later taps send it again); the text fields of a case, the word cloud or the intention
    are sent once with one or two of them filled (empty fields of a new phone store nothing)."""
    texts = {"casus": CASES, "woordwolk": WORDS, "voornemen": PLANS}.get(kind, CASES)
    posts = []
    for form in FORM.findall(page):
        if " disabled" in form:
            continue
        fields = {f"tekst-{item}": "" for item in TEXT.findall(form)}
        choices: dict[str, list[str]] = {}
        for item, value in ANSWER.findall(form):
            choices.setdefault(item, []).append(value)
        for item, values in choices.items():
            if f"tekst-{item}" in fields and rng.random() < 0.3:
                fields[f"tekst-{item}"] = rng.choice(REASONS)
            posts.append(({**fields, "antwoord": f"{item}:{rng.choice(values)}"}, 1))
        if not choices and fields:
            ids = TEXT.findall(form)
            filled = set(rng.sample(ids, k=min(len(ids), rng.randint(1, 2))))
            fields = {f"tekst-{item}": rng.choice(texts) if item in filled else "" for item in ids}
            fields["bewaar"] = min(filled)
            posts.append((fields, len(filled)))
    return posts


def phone(number: int, base: str, code: str, kinds: list[str], args, room: Room) -> None:
    """One participant from joining to the end: answer what is shown, poll, reload when the trainer moved."""
    rng = random.Random(number)
    me = Phone(base)
    try:
        time.sleep(rng.uniform(0, args.binnenkomst))  # people come in over a few seconds
        joined = me.get(f"/?code={code.lower()}")
        if joined.status != 303:
            room.fail(f"join: {joined.status}")
            return
        page, loaded_at = me.get(joined.location), time.monotonic()
        position, plan, sent, answered = None, [], 0, set()
        next_poll = loaded_at + args.poll
        while not room.stop.is_set():
            if page.status != 200:
                room.fail(f"page: {page.status}")
                return
            stand = STAND.search(page.text).group(1)
            shown = int(stand.split("|")[0])
            if shown != position:
                position = shown
                if position not in answered and stand.split("|")[1] == "true":
                    answered.add(position)
                    plan = answers_for(page.text, kinds[position], rng)
                    if not plan:
                        room.fail("no questions")
                    next_answer = time.monotonic() + rng.uniform(0.5, 1.5) * args.denktijd
            if plan and next_answer <= next_poll:
                time.sleep(max(0.0, next_answer - time.monotonic()))
                fields, count = plan.pop(0)
                saved = me.post(f"/s/{code}/kk", fields)
                if saved.status != 303:
                    room.fail(f"answer: {saved.status}")
                    return
                sent += count
                if not plan:
                    with room.lock:
                        room.answered[position] = room.answered.get(position, 0) + 1
                        room.last_answer[position] = time.monotonic()
                        everyone = room.answered[position] == room.phones
                    if everyone:
                        room.done(position).set()
                page = me.get(saved.location.split("#")[0])  # the browser follows the redirect: a page load
                next_poll = time.monotonic() + args.poll
                next_answer = time.monotonic() + rng.uniform(0.5, 1.5) * args.denktijd
                continue
            time.sleep(max(0.0, next_poll - time.monotonic()))
            if room.stop.is_set():
                break
            status = me.get(f"/s/{code}/status.json")
            next_poll += args.poll  # setInterval: the cadence of the page, not of the answers
            if status.status != 200:
                room.fail(f"status.json: {status.status}")
                continue
            state = json.loads(status.text)
            now = "|".join(
                (str(state["current_position"]), json.dumps(state["answering_open"]), state["phase"] or "")
            )
            if now != stand:
                room.note(room.polled, state["current_position"], time.monotonic())
                page = me.get(f"/s/{code}")  # location.reload()
                room.note(room.loaded, state["current_position"], time.monotonic())
                next_poll = time.monotonic() + args.poll
        with room.lock:
            room.sent += sent
    except (OSError, AttributeError) as exc:
        room.fail(type(exc).__name__)
    finally:
        me.close()


def late_phone(number: int, base: str, code: str, kind: str, room: Room) -> float | None:
    """A late participant joins and answers the activity on the screen; when its last answer was stored."""
    me, rng = Phone(base), random.Random(number)
    try:
        joined = me.get(f"/?code={code}")
        page = me.get(joined.location or "/")
        sent = 0
        for fields, count in answers_for(page.text, kind, rng):
            saved = me.post(f"/s/{code}/kk", fields)
            if saved.status != 303:
                room.fail(f"late answer: {saved.status}")
                return None
            sent += count
        stored = time.monotonic()
        with room.lock:
            room.sent += sent
        return stored if sent else None
    finally:
        me.close()


@contextmanager
def data_only():
    """No Voilà server (--geen-projector): a fresh data directory only; yields (None, data)."""
    tmp = Path(tempfile.mkdtemp(prefix="stip-bench-kk-"))
    env = {**os.environ, "STIP_DATA": str(tmp), "STIP_USER": "bench"}
    env.pop("STIP_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "stip", "status"], env=env, check=True, capture_output=True)
    try:
        yield None, tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def shows(page, html: str) -> None:
    """Wait until the projector's activity view is exactly `html` (as the browser parses it)."""
    page.wait_for_function(
        """([html]) => {
             const el = document.querySelector('.stip-kk-view .widget-html-content');
             if (!el) { return false; }
             const parsed = document.createElement('template');
             parsed.innerHTML = html;
             return el.innerHTML === parsed.innerHTML;
           }""",
        arg=[html],
        timeout=PROJECTOR_SECONDS * 1000,
        polling=50,
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--deelnemers", type=int, default=60)
    parser.add_argument("--poll", type=float, default=2.0, help="seconds between a phone's polls (page: 2)")
    parser.add_argument("--denktijd", type=float, default=1.0, help="mean seconds before each answer")
    parser.add_argument("--binnenkomst", type=float, default=10.0, help="phones join within these seconds")
    parser.add_argument("--pauze", type=float, default=2.0, help="trainer's mean pause before 'Volgende'")
    parser.add_argument("--probes", type=int, default=10, help="late phones one by one, on the last activity")
    parser.add_argument("--geen-projector", action="store_true", help="no Voilà; the bench steps itself")
    args = parser.parse_args()
    print(
        f"Kenniskring: {args.deelnemers} telefoons, poll elke {args.poll:g} s, denktijd {args.denktijd:g} s"
    )
    print(f"Machine bij de start: {machine()}")

    with data_only() if args.geen_projector else bench_server() as (voila, data):
        env = {**os.environ, "STIP_DATA": str(data), "STIP_USER": "bench"}
        env.pop("STIP_DATABASE_URL", None)
        os.environ.update({"STIP_DATA": str(data), "STIP_USER": "bench"})  # this process: the same database
        os.environ.pop("STIP_DATABASE_URL", None)
        from stip import kenniskring as K
        from stip import schools, store

        programme = K.standard_programme()
        programme = [next(a for a in programme if a["kind"] == kind) for kind in KINDS]
        with store.write() as conn:
            actor = schools.acting_staff_member(conn)
            session = K.start(conn, actor, "Benchmark kenniskring", activities=programme)
        sid, code = session["id"], session["code"]
        kinds = [a["kind"] for a in programme]
        app, base, log = start_deelnemen(env, Path(data))
        room = Room(args.deelnemers)
        to_projector: list[float] = []
        click_to_projector: list[float] = []
        late: list[float] = []
        kernel_peak = voila_peak = None
        trainer = random.Random(0)
        playwright = browser = page = None
        try:
            if voila is not None:
                from playwright.sync_api import sync_playwright

                from widgets.kenniskring_run import results_html

                playwright = sync_playwright().start()
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.goto(f"{voila}/voila/render/Kenniskring.ipynb?sessie={sid}")
                page.locator(".stip-kk-activity h2").wait_for(timeout=120_000)
                page.get_by_role("button", name="Projector").click()  # large type, as on the day
            began = time.monotonic()
            with ThreadPoolExecutor(max_workers=args.deelnemers) as pool:
                futures = [
                    pool.submit(phone, n, base, code, kinds, args, room) for n in range(args.deelnemers)
                ]
                for position in range(len(programme)):
                    if not room.done(position).wait(timeout=120 + 20 * args.denktijd):
                        room.fail(f"activity {position + 1}: not every phone answered")
                        break
                    if page is not None:
                        with store.read() as conn:
                            state = K.current(conn, sid)
                            html = results_html(state, K.activity_results(conn, sid, position))
                        shows(page, html)
                        to_projector.append(time.monotonic() - room.last_answer[position])
                    if position == len(programme) - 1:
                        break
                    time.sleep(trainer.uniform(0.5, 1.5) * args.pauze)  # the poll phases fall anywhere
                    title = programme[position + 1]["titel"]
                    room.step_at[position + 1] = time.monotonic()
                    if page is not None:
                        page.get_by_role("button", name="Volgende").click()
                        page.locator(".stip-kk-activity h2", has_text=title).wait_for(timeout=30_000)
                        click_to_projector.append(time.monotonic() - room.step_at[position + 1])
                    else:
                        with store.write() as conn:
                            K.go_next(conn, actor, sid)
                if page is not None:  # late phones one at a time: each answer until the projector shows it
                    for extra in range(args.probes):
                        stored_at = late_phone(10_000 + extra, base, code, kinds[-1], room)
                        if stored_at is None:
                            continue
                        with store.read() as conn:
                            state = K.current(conn, sid)
                            html = results_html(state, K.activity_results(conn, sid, state["position"]))
                        shows(page, html)
                        late.append(time.monotonic() - stored_at)
                time.sleep(args.poll)  # every phone polls once more on the last activity
                room.stop.set()
                for future in futures:
                    future.result()
            elapsed = time.monotonic() - began
            if page is not None:
                page.screenshot(path="/tmp/kenniskring-projector.png", full_page=True)
                kernel = pid_of(kernel_id_of(page), "ipykernel")
                kernel_peak = peak_mib(kernel) if kernel else None
                port = voila.rsplit(":", 1)[1]
                voila_pid = pid_of("stip.serve import serve", f"serve({port},")
                voila_peak = peak_mib(voila_pid) if voila_pid else None
            app_peak = peak_mib(app.pid)
        finally:
            room.stop.set()
            if browser is not None:
                browser.close()
            if playwright is not None:
                playwright.stop()
            app.terminate()
            app.wait(30)
            log.close()
        db = sqlite3.connect(Path(data) / "stip.sqlite")
        stored = db.execute("SELECT count(*) FROM answer WHERE session_id = ?", (sid,)).fetchone()[0]
        db.close()

    steps = sorted(room.step_at)
    polled = [t - room.step_at[p] for p in steps for t in room.polled.get(p, [])]
    loaded = [t - room.step_at[p] for p in steps for t in room.loaded.get(p, [])]
    last_phone = [max(room.polled[p]) - room.step_at[p] for p in steps if room.polled.get(p)]
    missing = [p + 1 for p in steps if len(room.polled.get(p, [])) != args.deelnemers]
    print(f"Machine aan het eind: {machine()}")
    print(f"Duur: {elapsed:.0f} s, {len(programme)} activiteiten, {len(steps)} keer 'Volgende'")
    print(f"Mislukte verzoeken: {len(room.failed)} {sorted(set(room.failed))[:5]}")
    print(f"Antwoorden opgeslagen / verstuurd: {stored} / {room.sent}")
    if polled:
        print(
            f"'Volgende' tot de volgende poll van een telefoon de nieuwe activiteit toont "
            f"(poll {args.poll:g} s): "
            f"mediaan {median(polled):.2f} s, p95 {pct(polled, 95):.2f} s (n={len(polled)}); "
            f"de laatste telefoon per stap: max {max(last_phone):.2f} s"
        )
        print(
            f"... tot de telefoon de nieuwe pagina heeft: mediaan {median(loaded):.2f} s, "
            f"p95 {pct(loaded, 95):.2f} s"
        )
    if missing:
        print(f"Niet elke telefoon zag activiteit {missing}")
    if click_to_projector:
        print(
            f"Klik op 'Volgende' tot de projector de nieuwe activiteit toont: mediaan "
            f"{median(click_to_projector):.2f} s, max {max(click_to_projector):.2f} s"
        )
    if to_projector:
        print(
            f"Laatste antwoord tot de projector het toont: mediaan {median(to_projector):.2f} s, "
            f"p95 {pct(to_projector, 95):.2f} s, max {max(to_projector):.2f} s (n={len(to_projector)})"
        )
    if late:
        print(
            f"Losse laatkomers ({len(late)}x): antwoord tot de projector het toont: mediaan "
            f"{median(late):.2f} s, p95 {pct(late, 95):.2f} s, max {max(late):.2f} s"
        )
    both = to_projector + late
    if both:
        print(f"Alle {len(both)} samen: p95 {pct(both, 95):.2f} s")
    print(f"Piekgeheugen (VmHWM): deelnemen {app_peak:.0f} MiB", end="")
    if voila_peak:
        print(f", Voilà-server {voila_peak:.0f} MiB", end="")
    if kernel_peak:
        print(f", kernel van de projector {kernel_peak:.0f} MiB", end="")
    print()
    ok = not room.failed and stored == room.sent and not missing
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
