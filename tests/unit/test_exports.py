"""Class list exports: CSV and XLSX that never run formulas, in the import contract's columns."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import date

import pytest
from sqlalchemy import select, update

from stip import config, exports, store
from stip.store import tables as T

HYPERLINK = '=HYPERLINK("http://x","y")'


def parse_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def unneutralise(cell: str) -> str:
    if cell.startswith("'") and cell[1:].startswith(exports.DANGEROUS_PREFIXES):
        return cell[1:]
    return cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+31612345678", "'+31612345678"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        (HYPERLINK, "'" + HYPERLINK),
        ("gewoon tekst", "gewoon tekst"),
        ("06-1234 5678", "06-1234 5678"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (12, "12"),
        (True, "ja"),
    ],
)
def test_neutralise_follows_the_defusedcsv_rule(value, expected):
    assert exports.neutralise(value) == expected


def test_csv_is_utf8_with_bom_semicolons_and_neutralised():
    rows = [["=1+1", "+31612345678", "gewoon tekst"], ['Zoë; "de" Vries\nregel 2', "", "-"]]
    data = exports.to_csv(["a", "b", "c"], rows)
    assert data.splitlines()[0] == b"\xef\xbb\xbfa;b;c"
    parsed = parse_csv(data)
    assert parsed == [
        ["a", "b", "c"],
        ["'=1+1", "'+31612345678", "gewoon tekst"],
        ['Zoë; "de" Vries\nregel 2', "", "'-"],
    ]


def test_the_csv_note_explains_the_apostrophe():
    note = exports.csv_note()
    assert "'" in note and "+316" in note and "=" in note


def load_xlsx(data: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data)).active


def test_xlsx_writes_every_value_as_text_never_as_formula():
    headers = ["naam", "link", "telefoon", "getal"]
    rows = [
        ["Zoë", HYPERLINK, "+31612345678", 12],
        ["=1+1", "@SUM(A1)", "-3", None],
        ["met\x07stuurteken", "x" * 40_000, "", True],
    ]
    sheet = load_xlsx(exports.to_xlsx(headers, rows))
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert cells and not [cell.coordinate for cell in cells if cell.data_type == "f"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == headers
    assert values[1] == ["Zoë", HYPERLINK, "+31612345678", "12"]
    assert sheet["B2"].value == '=HYPERLINK("http://x","y")' and sheet["B2"].data_type == "s"
    assert values[2][:3] == ["=1+1", "@SUM(A1)", "-3"] and values[2][3] in ("", None)
    assert values[3][0] == "metstuurteken" and len(values[3][1]) == exports.XLSX_MAX_CELL
    assert values[3][3] == "ja"
    assert all(cell.font.bold for cell in sheet[1]) and not sheet["A2"].font.bold
    assert 8 <= sheet.column_dimensions["A"].width <= 50
    assert sheet.column_dimensions["B"].width == 50
    assert sheet.title == "Klassenlijst"
    assert load_xlsx(exports.to_xlsx(["a"], [], sheet_title="1A: [mentor]/x")).title == "1A mentor x"


def test_exports_import_openpyxl_only_when_needed():
    code = "import sys, stip.exports, stip.privacy; print('openpyxl' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# -------------------------------------------------------------------------------------------- class list


def contract_rows() -> tuple[list[str], list[list[str]]]:
    with (config.REPO_ROOT / "voorbeelden" / "leerlingen.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def test_class_list_uses_the_import_contract_and_matches_the_imported_file(demo_school, actor):
    contract_headers, source = contract_rows()
    with store.write() as conn:
        headers, rows = exports.class_list(conn, actor)
    assert headers == contract_headers == exports.class_list_headers()
    assert len(rows) == 51 and all(len(row) == len(headers) for row in rows)
    by_number = {row[0]: row for row in rows}
    for original in source:  # the demo file round-trips: every column, both guardians, ja/nee
        assert by_number[original[0]] == original
    keys = [(row[4], row[3].casefold(), row[1].casefold()) for row in rows]
    assert keys == sorted(keys) and rows[0][4] == "1A" and rows[-1][4] == "2B"


def test_class_list_of_one_klas_and_without_students_who_left(demo_school, actor):
    with store.write() as conn:
        klas_1a = conn.execute(select(T.klas.c.id).where(T.klas.c.name == "1A")).scalar_one()
        conn.execute(
            update(T.student).where(T.student.c.leerlingnummer == "240101").values(left_on=date(2025, 1, 1))
        )
        _, rows_1a = exports.class_list(conn, actor, klas_1a)
        _, with_left = exports.class_list(conn, actor, klas_1a, include_left=True)
        _, everyone = exports.class_list(conn, actor)
    assert {row[4] for row in rows_1a} == {"1A"} and len(rows_1a) == 25
    assert "240101" not in {row[0] for row in rows_1a} and len(with_left) == 26
    assert len(everyone) == 50


def test_class_list_csv_round_trip(demo_school, actor):
    with store.write() as conn:
        conn.execute(update(T.student).where(T.student.c.leerlingnummer == "240120").values(roepnaam="=1+1"))
        conn.execute(
            update(T.guardian).where(T.guardian.c.naam == "Huda Alkhatib").values(telefoon="+31612345678")
        )
        headers, rows = exports.class_list(conn, actor)
    parsed = parse_csv(exports.to_csv(headers, rows))
    assert parsed[0] == headers
    assert [[unneutralise(cell) for cell in row] for row in parsed[1:]] == rows
    yousef = next(row for row in parsed[1:] if row[0] == "240120")
    assert yousef[1] == "'=1+1" and yousef[headers.index("ouder1_telefoon")] == "'+31612345678"
    assert yousef[headers.index("ouder1_naam")] == "Huda Alkhatib"  # normal text unchanged


def test_class_list_xlsx_round_trip(demo_school, actor):
    with store.write() as conn:
        conn.execute(
            update(T.student).where(T.student.c.leerlingnummer == "240120").values(roepnaam=HYPERLINK)
        )
        headers, rows = exports.class_list(conn, actor)
    sheet = load_xlsx(exports.to_xlsx(headers, rows))
    values = [["" if cell.value is None else cell.value for cell in row] for row in sheet.iter_rows()]
    assert values == [headers, *rows]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_class_list_adds_slots_rather_than_dropping_a_third_guardian(demo_school, actor):
    with store.write() as conn:
        yousef = conn.execute(
            select(T.student.c.id).where(T.student.c.leerlingnummer == "240120")
        ).scalar_one()
        extra = conn.execute(
            T.guardian.insert().values(school_id=actor.school_id, naam="Oma Alkhatib", tolk_nodig=True)
        ).inserted_primary_key[0]
        conn.execute(
            T.student_guardian.insert().values(
                student_id=yousef, guardian_id=extra, relatie="oma", apart_informeren=True
            )
        )
        headers, rows = exports.class_list(conn, actor)
    assert headers == exports.class_list_headers(3) and headers[-7:-1][0] == "ouder3_naam"
    row = next(row for row in rows if row[0] == "240120")
    assert row[headers.index("ouder3_naam")] == "Oma Alkhatib"
    assert row[headers.index("ouder3_tolk_nodig")] == "ja" and row[-1] == "ja"


def test_class_list_is_scoped_to_the_school(demo_school, actor):
    from stip.schools import Actor

    with store.write() as conn:
        school_id = conn.execute(T.school.insert().values(name="Andere school")).inserted_primary_key[0]
        stranger = Actor(actor.id, school_id, "x", "x", "mentor", actor.school_year_id)
        headers, rows = exports.class_list(conn, stranger)
    assert headers == exports.class_list_headers() and rows == []
