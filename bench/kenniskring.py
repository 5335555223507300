"""Kenniskring (issue 18): a room of phones following the trainer through five activities.

Against a real `python -m stip deelnemen` (the participant app) on 127.0.0.1 and its own temporary
database: every phone is a plain HTTP client with its own connection that polls the app's
`/s/<CODE>/status.json` every --poll seconds (what the phone page does to follow the trainer), and answers
each activity once it sees it. The trainer steps with `kenniskring.go_next` every --step seconds.

The phone pages of the kenniskring are not in the participant app yet, so the answers are written the way
the app will write them — `kenniskring.save_answer` through the write door, one short transaction each —
from the phone's thread in this process, not over HTTP (said so in the report).

Reports: failed requests, answers stored vs sent (target equal), time from the trainer's "next" until every
phone's next poll shows the new activity (median, p95; bounded below by the poll interval), and time from
the last answer of an activity until a projector-style poller (LivePoller's read: live_version, then
current + activity_results, every 0.7 s) shows all of them (p95). Into docs/performance.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from statistics import median, quantiles

from common import ROOT, free_port, machine

sys.path.insert(0, str(ROOT))


def p95(values: list[float]) -> float:
    return quantiles(values, n=20)[-1] if len(values) >= 2 else (values[0] if values else float("nan"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--deelnemers", type=int, default=60)
    parser.add_argument("--activiteiten", type=int, default=5)
    parser.add_argument("--poll", type=float, default=1.0, help="seconds between a phone's polls")
    parser.add_argument("--step", type=float, default=6.0, help="seconds the trainer stays on an activity")
    args = parser.parse_args()

    data = tempfile.mkdtemp(prefix="stip-bench-kk-")
    os.environ.update({"STIP_DATA": data, "STIP_USER": "trainer"})
    os.environ.pop("STIP_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "stip", "status"], check=True, capture_output=True, env=os.environ)
    from stip import kenniskring as K
    from stip import live, schools, store

    with store.write() as conn:
        actor = schools.acting_staff_member(conn)
        session = K.start(conn, actor, "Bench kenniskring")
    sid, code = session["id"], session["code"]
    port = free_port()
    app = subprocess.Popen(
        [sys.executable, "-m", "stip", "deelnemen", "--port", str(port)],
        env=os.environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/")
            break
        except OSError:
            time.sleep(0.2)

    stop = threading.Event()
    lock = threading.Lock()
    step_at: dict[int, float] = {0: time.monotonic()}
    seen_at: dict[int, list[float]] = {}
    failures = [0]
    sent = [0]
    last_answer: dict[int, float] = {}

    def phone(number: int) -> None:
        token = f"bench-phone-{number:03d}-" + "x" * 12
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        shown = -1
        time.sleep(args.poll * number / args.deelnemers)  # phones do not poll in lockstep
        while not stop.is_set():
            try:
                conn.request("GET", f"/s/{code}/status.json")
                response = conn.getresponse()
                body = response.read()
                if response.status != 200:
                    raise OSError(response.status)
                position = json.loads(body)["current_position"]
            except (OSError, http.client.HTTPException, ValueError):
                with lock:
                    failures[0] += 1
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                time.sleep(args.poll)
                continue
            if position != shown:
                now = time.monotonic()
                shown = position
                with lock:
                    seen_at.setdefault(position, []).append(now)
                with store.read() as db:
                    view = K.phone_view(db, sid, token)
                for item in view["items"][:3]:
                    waarde = (
                        item["options"][number % len(item["options"])]["value"] if item["options"] else ""
                    )
                    tekst = "" if waarde else f"antwoord {number} samen vertrouwen"
                    with store.write() as db:
                        K.save_answer(db, sid, token, item["id"], waarde, tekst)
                    with lock:
                        sent[0] += 1
                        last_answer[position] = time.monotonic()
            time.sleep(args.poll)

    projector_lag: list[float] = []

    def projector() -> None:
        """What the trainer's screen does: poll live_version; when changed, read the activity's results."""
        seen = None
        while not stop.is_set():
            with store.read() as db:
                version = live.live_version(db, sid)
                if version != seen:
                    seen = version
                    state = K.current(db, sid)
                    result = K.activity_results(db, sid, state["position"])
                    answered = result["deelnemers"]
                    if answered == args.deelnemers and state["position"] in last_answer:
                        lag = time.monotonic() - last_answer[state["position"]]
                        if state["position"] not in done:
                            done.add(state["position"])
                            projector_lag.append(lag)
            time.sleep(0.7)

    done: set[int] = set()
    with ThreadPoolExecutor(max_workers=args.deelnemers + 1) as pool:
        futures = [pool.submit(phone, n) for n in range(args.deelnemers)]
        futures.append(pool.submit(projector))
        for position in range(1, args.activiteiten):
            time.sleep(args.step)
            with store.write() as db:
                K.go_next(db, actor, sid)
            step_at[position] = time.monotonic()
        time.sleep(args.step)
        stop.set()
        for future in futures:
            future.result()
    app.terminate()
    app.wait(10)

    follow = []
    for position in range(1, args.activiteiten):
        times = seen_at.get(position, [])
        if len(times) == args.deelnemers:
            follow.append(max(times) - step_at[position])
        else:
            print(f"activiteit {position + 1}: {len(times)} van {args.deelnemers} telefoons zagen haar")
    per_phone = [t - step_at[p] for p in range(1, args.activiteiten) for t in seen_at.get(p, [])]
    with store.read() as db:
        from sqlalchemy import func, select

        from stip.store.tables import answer

        stored = db.execute(select(func.count()).where(answer.c.session_id == sid)).scalar()
    print(f"Machine: {machine()}")
    print(
        f"{args.deelnemers} telefoons, {args.activiteiten} activiteiten, poll {args.poll:.1f} s, "
        f"trainer {args.step:.0f} s per activiteit"
    )
    print(f"Mislukte verzoeken: {failures[0]}; antwoorden opgeslagen {stored} van {sent[0]} verstuurd")
    print(
        f"'Volgende' tot een telefoon de nieuwe activiteit ziet: mediaan {median(per_phone):.2f} s, "
        f"p95 {p95(per_phone):.2f} s; tot de laatste telefoon per stap: mediaan {median(follow):.2f} s, "
        f"max {max(follow):.2f} s"
    )
    if projector_lag:
        print(
            f"Laatste antwoord tot het scherm alle {args.deelnemers} toont: "
            f"mediaan {median(projector_lag):.2f} s, p95 {p95(projector_lag):.2f} s (n={len(projector_lag)})"
        )
    return 0 if failures[0] == 0 and stored == sent[0] else 1


if __name__ == "__main__":
    raise SystemExit(main())
