"""Import of a school export (validate + store) into a fresh SQLite, against plain pandas on the same file.

The file is a 20,000-row school export by default (every contract column, two guardians for most
students, brothers and sisters sharing their parents, a mentor per class; under the 5 MB upload limit).
It goes through the real code: `imports.parse`, `klassen.prepare_import` on a read transaction and
`klassen.apply_import` on a write transaction, into a fresh, migrated STIP_DATA. In the same run a plain
pandas importer (`pd.read_csv` + `to_sql` into a fresh SQLite file) reads and stores the same file: the
ratio of the two times is the figure (target: >= 20,000 rows/s and a ratio <= 6, issue 13). Also the
number of SQL statements of a 3,000-row import (it does not grow with the rows).

Run with `make bench` or `cd bench && ../.venv/bin/python import_rows.py [--rows N]`.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import sqlite3
import tempfile
import time
from pathlib import Path
from statistics import median

from common import machine

ROEPNAMEN = ["Sara", "Daan", "Noor", "Milan", "Aya", "Sem", "Yara", "Adam", "Lina", "Finn", "Zeynep", "Bram"]
ACHTERNAMEN = ["Jansen", "de Vries", "Yilmaz", "el Amrani", "Kowalski", "Bakker", "Haile", "Visser", "Smit"]
OUDERS = ["Fatima", "Ruud", "Eva", "Omar", "Anna", "Mehmet", "Joke", "Piotr", "Huda", "Kees", "Selam"]
TALEN = ["Nederlands", "Nederlands", "Nederlands", "Arabisch", "Turks", "Pools", "Tigrinya"]
HEADERS = [
    "leerlingnummer",
    "roepnaam",
    "tussenvoegsel",
    "achternaam",
    "klas",
    "mentor",
    *(f"ouder{n}_{part}" for n in (1, 2) for part in ("naam", "relatie", "email", "telefoon", "taal")),
    "ouder1_tolk_nodig",
    "apart_informeren",
]
CLASS_SIZE = 28
TWO_GUARDIANS = 0.85  # share of families with a second guardian
SIBLINGS = 0.2  # share of students with a brother or sister earlier in the file


def class_list(rows: int, seed: int = 7) -> bytes:
    """A school export of `rows` students (CSV with `;`, as ParnasSys and Magister write it)."""
    rng = random.Random(seed)
    families: list[list[str]] = []  # the guardian cells of earlier families, for brothers and sisters
    lines = [";".join(HEADERS)]
    for i in range(rows):
        if families and rng.random() < SIBLINGS:
            guardians = rng.choice(families)
            achter = guardians[0].split(" ", 1)[1]
            tussen, achter = (achter.rsplit(" ", 1)) if " " in achter else ("", achter)
        else:
            last = rng.choice(ACHTERNAMEN)
            tussen, achter = last.rsplit(" ", 1) if " " in last else ("", last)
            full = f"{tussen} {achter}".strip()
            taal = rng.choice(TALEN)
            guardians = [
                f"{rng.choice(OUDERS)} {full}",
                "moeder",
                f"ouder{i}@example.org",
                f"06-{i:08d}",
                taal,
                *(
                    [f"{rng.choice(OUDERS)} {full}", "vader", f"tweede{i}@example.org", f"06-9{i:07d}", taal]
                    if rng.random() < TWO_GUARDIANS
                    else ["", "", "", "", ""]
                ),
            ]
            families.append(guardians)
        number = i // CLASS_SIZE
        klas = f"{1 + number % 6}{'ABCDEFGHJK'[number // 6 % 10]}{number // 60 + 1}"
        cells = [
            str(300000 + i),
            rng.choice(ROEPNAMEN),
            tussen,
            achter,
            klas,
            f"Mentor {klas}",
            *guardians,
            "ja" if guardians[4] != "Nederlands" and i % 4 == 0 else "nee",
            "ja" if i % 50 == 0 else "",
        ]
        lines.append(";".join(cells))
    return ("\n".join(lines) + "\n").encode("utf-8")


def pandas_import(path: Path, database: Path) -> float:
    """The yardstick: read the file with pandas and store it as one table in a fresh SQLite file."""
    import pandas as pd

    started = time.perf_counter()
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    with sqlite3.connect(database) as connection:
        frame.to_sql("class_list", connection, index=False)
    return time.perf_counter() - started


def statements_of_import(rows: int) -> int:
    """The SQL statements one import of `rows` rows sends (prepare + apply), in a fresh database."""
    from sqlalchemy import event

    from stip import imports, klassen, schools, store

    os.environ["STIP_DATA"] = tempfile.mkdtemp(prefix="stip-bench-count-")
    store.migrate()
    with store.write() as conn:
        actor = schools.acting_staff_member(conn)
    plan = imports.parse(class_list(rows))
    statements: list[str] = []

    def count(_conn, _cursor, statement, _parameters, _context, _executemany):
        statements.append(statement)

    event.listen(store.engine(), "before_cursor_execute", count)
    try:
        with store.read() as conn:
            prepared = klassen.prepare_import(conn, actor, plan)
        with store.write() as conn:
            klassen.apply_import(conn, actor, prepared)
    finally:
        event.remove(store.engine(), "before_cursor_execute", count)
    return len(statements)


def stip_import(data: bytes, data_dir: Path) -> tuple[dict[str, float], int]:
    """Import `data` through Stip into a fresh, migrated data directory; the time of each step."""
    os.environ["STIP_DATA"] = str(data_dir)
    from stip import imports, klassen, schools, store

    store.migrate()
    with store.write() as conn:
        actor = schools.acting_staff_member(conn)
    started = time.perf_counter()
    plan = imports.parse(data)
    parsed = time.perf_counter()
    with store.read() as conn:
        prepared = klassen.prepare_import(conn, actor, plan)
    matched = time.perf_counter()
    with store.write() as conn:
        result = klassen.apply_import(conn, actor, prepared)
    stored = time.perf_counter()
    store.engine().dispose()
    assert plan.ok and result.created == len(plan.students), (plan.errors[:3], result)
    steps = {"validate": parsed - started, "match": matched - parsed, "store": stored - matched}
    return {**steps, "total": stored - started}, sum(len(student.guardians) for student in plan.students)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each importer (median reported)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="stip-bench-import-"))
    os.environ.pop("STIP_DATABASE_URL", None)
    from stip import imports

    data = class_list(args.rows)
    csv_file = work / "export.csv"
    csv_file.write_bytes(data)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    runs, yardsticks, collections = [], [], []
    for run in range(args.repeat):  # interleaved, each into a fresh database, from a collected heap
        gc.collect()
        timing, guardians = stip_import(csv_file.read_bytes(), work / f"data{run}")
        runs.append(timing)
        collected = time.perf_counter()
        gc.collect()  # the collection the import saved up (stip.collector), after the transactions
        collections.append(time.perf_counter() - collected)
        yardsticks.append(pandas_import(csv_file, work / f"pandas{run}.sqlite"))
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    step = {key: median(run[key] for run in runs) for key in runs[0]}
    total, yardstick = step["total"], median(yardsticks)
    print(f"machine: {machine()}")
    print(
        f"file: {args.rows:,} rows, {guardians:,} guardians in it, {len(data) / 1024 / 1024:.1f} MB "
        f"(limit {imports.MAX_UPLOAD_BYTES // (1024 * 1024)} MB); medians of {args.repeat} runs"
    )
    timing = (
        f"read+validate {step['validate']:.2f} s + match {step['match']:.2f} s (read transaction) + "
        f"store {step['store']:.2f} s (write transaction) = {total:.2f} s"
    )
    print(f"import: {timing} -> {args.rows / total:,.0f} rows/s (target >= 20,000)")
    print(f"afterwards: the collector's saved-up pass {median(collections):.2f} s (no transaction open)")
    print(f"memory: peak RSS {after:.0f} MiB (+{after - before:.0f})")
    print(
        f"pandas read_csv + to_sql: {yardstick:.2f} s -> {args.rows / yardstick:,.0f} rows/s; "
        f"ratio {total / yardstick:.1f} (target <= 6)"
    )
    print(f"statements of a 3,000-row import: {statements_of_import(3000)}")


if __name__ == "__main__":
    main()
