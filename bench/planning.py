"""Time `stip.planning.assign` (a script, not a test): best of 5 runs, in seconds.

Scenario 1 (the issue's): a class of 32 over 4 mentors, 6 sibling pairs (2 within a mentor, 4 across),
each mentor one evening 17:00-21:00 with a break 19:00-19:15, 20-minute slots (11 per mentor).
Scenario 2 (scale): a year group of 240 over 8 mentors, 40 sibling pairs and 4 triples, three evenings
each plus an open room (a triple has at most 2 of its 3 pairs back to back with 20-minute slots).
Run: `cd bench && ../.venv/bin/python planning.py`.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # works without the editable install too

from common import machine  # noqa: E402

from stip.planning import Family, assign, check, make_slots  # noqa: E402

DAY = date(2025, 9, 2)
BREAK = [(clock(19), clock(19, 15))]
RUNS = 5


def families_with(pairs: list[tuple[int, ...]], mentor_of: dict[int, int]) -> list[Family]:
    siblings: dict[int, set[int]] = {s: set() for s in mentor_of}
    for group in pairs:
        for a in group:
            siblings[a].update(b for b in group if b != a)
    return [Family(s, mentor_of[s], frozenset(siblings[s])) for s in mentor_of]


def class_of_32():
    mentor_of = {s: (s - 1) // 8 + 1 for s in range(1, 33)}
    pairs = [(1, 2), (3, 9), (10, 17), (18, 25), (26, 4), (31, 32)]
    slots = [s for m in (1, 2, 3, 4) for s in make_slots(DAY, clock(17), clock(21), 20, BREAK, mentor=m)]
    return families_with(pairs, mentor_of), slots


def year_group():
    rng = random.Random(7)
    mentor_of = {s: (s - 1) // 30 + 1 for s in range(1, 241)}
    ids = list(mentor_of)
    rng.shuffle(ids)
    groups = [tuple(ids[2 * k : 2 * k + 2]) for k in range(40)] + [
        tuple(ids[80 + 3 * k : 83 + 3 * k]) for k in range(4)
    ]
    slots = [
        s
        for m in range(1, 9)
        for day in (DAY, DAY + timedelta(days=1), DAY + timedelta(days=2))
        for s in make_slots(day, clock(17), clock(21), 20, BREAK, mentor=m)
    ]
    slots += make_slots(DAY, clock(17), clock(21), 20, BREAK, location="aula")
    return families_with(groups, mentor_of), slots


def best_of(families, slots) -> tuple[float, object]:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = assign(families, slots)
        times.append(time.perf_counter() - started)
    assert check(result, slots, families) == [], check(result, slots, families)
    return min(times), result


def main() -> None:
    print(f"planning.assign, best of {RUNS} — {machine()}")
    for name, (families, slots) in (
        ("class of 32, 4 mentors, 6 sibling pairs", class_of_32()),
        ("year group of 240, 8 mentors, 40 pairs + 4 triples", year_group()),
    ):
        seconds, result = best_of(families, slots)
        print(
            f"{name}: {seconds:.4f} s; {len(slots)} slots, {len(result.placed)} placed, "
            f"{len(result.unplaced)} unplaced, sibling pairs {result.siblings_adjacent} adjacent / "
            f"{result.siblings_apart} apart"
        )


if __name__ == "__main__":
    main()
