"""Import of a 3,000-row class list (validate + store) into a fresh SQLite: rows per second and memory.

Target (issue 4): >= 2,000 rows/s on this machine. Run with `make bench` or
`cd bench && ../.venv/bin/python import_rows.py [--rows N]`.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import tempfile
import time

from common import machine

ROEPNAMEN = ["Sara", "Daan", "Noor", "Milan", "Aya", "Sem", "Yara", "Adam", "Lina", "Finn", "Zeynep", "Bram"]
ACHTERNAMEN = ["Jansen", "de Vries", "Yilmaz", "el Amrani", "Kowalski", "Bakker", "Haile", "Visser", "Smit"]
TALEN = ["Nederlands", "Nederlands", "Nederlands", "Arabisch", "Turks", "Pools", "Tigrinya"]


def class_list(rows: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    lines = [
        "leerlingnummer;roepnaam;tussenvoegsel;achternaam;klas;ouder1_naam;ouder1_email;ouder1_telefoon;"
        "ouder1_taal;ouder2_naam;ouder2_email"
    ]
    for i in range(rows):
        last = rng.choice(ACHTERNAMEN)
        parts = last.split(" ")
        tussen, achter = (" ".join(parts[:-1]), parts[-1]) if len(parts) > 1 else ("", last)
        klas = f"{1 + i % 6}{'ABCDE'[i % 5]}"
        lines.append(
            ";".join(
                [
                    str(300000 + i),
                    rng.choice(ROEPNAMEN),
                    tussen,
                    achter,
                    klas,
                    f"Ouder {i} {achter}",
                    f"ouder{i}@example.org",
                    f"06-00{i:06d}",
                    rng.choice(TALEN),
                    f"Tweede {i} {achter}" if i % 3 else "",
                    f"tweede{i}@example.org" if i % 3 else "",
                ]
            )
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=3000)
    args = parser.parse_args()
    os.environ["STIP_DATA"] = tempfile.mkdtemp(prefix="stip-bench-import-")
    from stip import imports, klassen, schools, store

    store.migrate()
    data = class_list(args.rows)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    plan = imports.parse(data)
    parsed = time.perf_counter()
    with store.write() as conn:
        result = klassen.apply_import(conn, schools.acting_staff_member(conn), plan)
    stored = time.perf_counter()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert plan.ok and result.created == args.rows, (plan.errors[:3], result)
    total = stored - started
    print(f"machine: {machine()}")
    timing = f"validate {parsed - started:.2f} s + store {stored - parsed:.2f} s = {total:.2f} s"
    memory = f"peak RSS {after:.0f} MiB (+{after - before:.0f})"
    print(f"import {args.rows} rows: {timing} -> {args.rows / total:,.0f} rows/s (target >= 2,000); {memory}")


if __name__ == "__main__":
    main()
