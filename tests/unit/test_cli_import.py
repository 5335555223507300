"""`python -m stip import` and `retention` in subprocesses against a temporary STIP_DATA.

The contract: import is all or nothing; exit 0 stored (or valid with --dry-run), 1 refused, 2 wrong usage;
`--json` prints one object with students, guardians, errors (row, column, message) and warnings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from stip import klassen, privacy, schools, store
from stip.store import tables as T

DATA = Path(__file__).resolve().parents[1] / "data"
GOOD = DATA / "goed_komma.csv"  # 3 students of 3B, 5 guardians


def run(*args):
    """`python -m stip ARGS` with the test's STIP_DATA (set by the `stip_data` fixture)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "stip", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )


def status() -> dict:
    result = run("status", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def import_json(path, *flags) -> tuple[int, dict]:
    result = run("import", path, "--json", *flags)
    assert result.stdout.count("\n") == 1, result.stdout  # exactly one JSON object on one line
    return result.returncode, json.loads(result.stdout)


def test_good_file_stores_and_reimport_updates_without_duplicates(stip_data):
    code, report = import_json(GOOD)
    assert code == 0
    assert report == {"students": 3, "guardians": 5, "errors": [], "warnings": []}
    counts = status()
    assert (counts["students"], counts["guardians"], counts["klassen"]) == (3, 5, 1)

    again = run("import", GOOD)
    assert again.returncode == 0, again.stderr
    assert "0 nieuwe en 3 bijgewerkte" in again.stdout
    assert status() == counts  # same students, guardians and classes: nothing doubled
    with store.write() as conn:
        versions = dict(conn.execute(select(T.student.c.leerlingnummer, T.student.c.version)).all())
    assert versions == {"1001": 2, "1002": 2, "1003": 2}


def test_dry_run_reports_but_stores_nothing(stip_data):
    before = status()
    code, report = import_json(GOOD, "--dry-run")
    assert code == 0
    assert (report["students"], report["guardians"], report["errors"]) == (3, 5, [])
    assert status() == before
    assert before["students"] == 0

    plain = run("import", GOOD, "--dry-run")
    assert plain.returncode == 0, plain.stderr
    assert status()["students"] == 0


def test_duplicate_leerlingnummer_is_refused_naming_both_rows(stip_data):
    code, report = import_json(DATA / "dubbel_leerlingnummer.csv")
    assert code == 1
    assert report["students"] == 3
    [error] = report["errors"]
    assert error["row"] == 3 and error["column"] == "leerlingnummer"
    assert "Rij 3" in error["message"] and "rij 1" in error["message"] and "1301" in error["message"]
    assert status()["students"] == 0

    plain = run("import", DATA / "dubbel_leerlingnummer.csv")
    assert plain.returncode == 1
    assert "Rij 3" in plain.stderr and "rij 1" in plain.stderr
    assert plain.stdout == ""
    assert status()["students"] == 0


def test_a_file_with_errors_stores_none_of_its_good_rows(stip_data):
    code, report = import_json(DATA / "rare_email.csv")  # row 1 is fine, rows 2 and 3 are not
    assert code == 1
    assert [e["row"] for e in report["errors"]] == [2, 3]
    assert all(e["column"] == "ouder1_email" for e in report["errors"])
    assert status()["students"] == 0


@pytest.mark.parametrize(
    ("name", "words"),
    [("leeg.csv", "bestand is leeg"), ("geen_tabel.pdf", "geen klassenlijst")],
)
def test_empty_file_and_pdf_are_refused_in_dutch(stip_data, name, words):
    plain = run("import", DATA / name)
    assert plain.returncode == 1
    assert words in plain.stderr and "Traceback" not in plain.stderr

    code, report = import_json(DATA / name)
    assert code == 1
    assert (report["students"], report["guardians"], report["warnings"]) == (0, 0, [])
    [error] = report["errors"]
    assert error["row"] is None and error["column"] is None and words in error["message"]
    assert status()["students"] == 0


def test_too_large_file_states_the_limit(stip_data, tmp_path):
    from stip.imports import MAX_UPLOAD_BYTES

    big = tmp_path / "groot.csv"
    big.write_bytes(b"leerlingnummer;roepnaam;achternaam;klas\n" + b"x" * MAX_UPLOAD_BYTES)
    result = run("import", big)
    assert result.returncode == 1
    assert "te groot (5,0 MB)" in result.stderr and "maximaal 5 MB" in result.stderr
    assert "{" not in result.stderr  # every placeholder filled in


def test_missing_file_is_refused(stip_data, tmp_path):
    result = run("import", tmp_path / "bestaat-niet.csv")
    assert result.returncode == 1
    assert "kan niet worden gelezen" in result.stderr and "Traceback" not in result.stderr
    assert status()["students"] == 0


@pytest.mark.parametrize("args", [["import"], ["import", "a.csv", "b.csv"], ["import", "--onzin", "a.csv"]])
def test_wrong_usage_exits_2(stip_data, args):
    result = run(*args)
    assert result.returncode == 2
    assert "gebruik:" in result.stderr and "fout:" in result.stderr


def left_months_ago(leerlingnummer: str, months: int) -> None:
    """Mark a student left `months` ago, in-process against the same STIP_DATA."""
    with store.write() as conn:
        actor = schools.acting_staff_member(conn)
        student_id = conn.execute(
            select(T.student.c.id).where(T.student.c.leerlingnummer == leerlingnummer)
        ).scalar_one()
        klassen.mark_left(conn, actor, student_id, privacy.months_before(date.today(), months))


def test_retention_dry_run_lists_and_retention_deletes(stip_data):
    assert run("import", GOOD).returncode == 0
    left_months_ago("1001", 30)
    left_months_ago("1002", 6)  # left, but within the default 24 months

    dry = run("retention", "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    report = json.loads(dry.stdout)
    assert report["months"] == 24 and report["dry_run"] is True
    assert [s["leerlingnummer"] for s in report["students"]] == ["1001"]
    assert report["students"][0]["naam"] == "Sem Jansen"
    assert status()["students"] == 3

    plain_dry = run("retention", "--dry-run")
    assert plain_dry.returncode == 0 and "1001" in plain_dry.stdout and "1002" not in plain_dry.stdout
    assert status()["students"] == 3

    removed = run("retention", "--json")
    assert removed.returncode == 0, removed.stderr
    report = json.loads(removed.stdout)
    assert report["dry_run"] is False and [s["leerlingnummer"] for s in report["students"]] == ["1001"]
    counts = status()
    assert counts["students"] == 2 and counts["guardians"] == 3  # Sem's two parents went with him
    with store.write() as conn:
        left = set(conn.execute(select(T.student.c.leerlingnummer)).scalars())
    assert left == {"1002", "1003"}

    nothing = json.loads(run("retention", "--json").stdout)
    assert nothing["students"] == []
