"""Class-list import: reading CSV/XLSX by content, recognising headers, checking rows (stip/imports.py).

The files in tests/data/ are the corpus: good exports, nasty ones and bad ones; make_files.py there
regenerates the binary ones.
"""

from __future__ import annotations

import csv
import io
import random
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stip import imports
from stip.imports import (
    ALIASES,
    FIELDS,
    MAX_UPLOAD_BYTES,
    REQUIRED,
    ImportPlan,
    ImportRefused,
    ParsedFile,
    Problem,
    normalise_header,
    parse,
    read_table,
    recognise,
    validate,
)

DATA = Path(__file__).resolve().parent.parent / "data"


def load(name: str) -> bytes:
    return (DATA / name).read_bytes()


def refused(data: bytes) -> ImportRefused:
    with pytest.raises(ImportRefused) as caught:
        parse(data)
    return caught.value


def one(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


def csv_bytes(rows: list[list[str]], delimiter: str = ";") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode()


BASE = ["leerlingnummer", "roepnaam", "achternaam", "klas"]


# --- headers -------------------------------------------------------------------------------------------


def test_fields_and_required_follow_the_contract():
    assert FIELDS[:6] == ("leerlingnummer", "roepnaam", "tussenvoegsel", "achternaam", "klas", "mentor")
    assert FIELDS[6:12] == tuple(
        f"ouder1_{p}" for p in ("naam", "relatie", "email", "telefoon", "taal", "tolk_nodig")
    )
    assert FIELDS[12:18] == tuple(
        f"ouder2_{p}" for p in ("naam", "relatie", "email", "telefoon", "taal", "tolk_nodig")
    )
    assert FIELDS[-1] == "apart_informeren"
    assert REQUIRED == ("leerlingnummer", "roepnaam", "achternaam", "klas")


def test_aliases_cover_every_field_canonical_name_first_and_never_clash():
    assert set(ALIASES) == set(FIELDS)
    owner: dict[str, str] = {}
    for name, aliases in ALIASES.items():
        assert aliases[0] == name
        for alias in aliases:
            key = normalise_header(alias)
            assert owner.setdefault(key, name) == name, f"{alias!r} is both {owner[key]} and {name}"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("leerlingnummer", "leerlingnummer"),
        ("Leerlingnummer", "leerlingnummer"),
        ("leerlingnr", "leerlingnummer"),
        ("Leerlingnr.", "leerlingnummer"),
        ("stamnummer", "leerlingnummer"),
        ("Stamnr", "leerlingnummer"),
        ("Stamnr.", "leerlingnummer"),
        ("studentnummer", "leerlingnummer"),
        ("Roepnaam", "roepnaam"),
        ("voornaam", "roepnaam"),
        ("tussenvoegsel", "tussenvoegsel"),
        ("tussenvoegsels", "tussenvoegsel"),
        ("Tussenv.", "tussenvoegsel"),
        ("Voorvoegsel", "tussenvoegsel"),
        ("Achternaam", "achternaam"),
        ("familienaam", "achternaam"),
        ("Klas", "klas"),
        ("Groep", "klas"),
        ("stamgroep", "klas"),
        ("Mentor", "mentor"),
        ("ouder1_naam", "ouder1_naam"),
        ("ouder1_email", "ouder1_email"),
        ("ouder1_telefoon", "ouder1_telefoon"),
        ("ouder1_taal", "ouder1_taal"),
        ("ouder1_relatie", "ouder1_relatie"),
        ("ouder1_tolk_nodig", "ouder1_tolk_nodig"),
        ("ouder2_naam", "ouder2_naam"),
        ("ouder2_email", "ouder2_email"),
        ("ouder2_telefoon", "ouder2_telefoon"),
        ("ouder2_taal", "ouder2_taal"),
        ("ouder2_relatie", "ouder2_relatie"),
        ("ouder2_tolk_nodig", "ouder2_tolk_nodig"),
        ("apart_informeren", "apart_informeren"),
        ("Naam ouder/verzorger 1", "ouder1_naam"),
        ("E-mail ouder/verzorger 1", "ouder1_email"),
        ("Telefoon ouder/verzorger 1", "ouder1_telefoon"),
        ("Naam verzorger 2", "ouder2_naam"),
        ("E-mailadres verzorger 2", "ouder2_email"),
        ("Mobiel ouder 2", "ouder2_telefoon"),
    ],
)
def test_recognised_headers(header, field):
    assert recognise([header]) == {0: field}


@pytest.mark.parametrize(
    "variant",
    [
        "leerlingnummer",
        "LEERLINGNUMMER",
        "  Leerlingnummer  ",
        "leerling_nummer",
        "leerling-nummer",
        "Leerling Nummer",
        "lééRlingnümmer",
        "\tleerlingnummer\u00a0",
    ],
)
def test_headers_ignore_case_accents_spaces_underscores_and_dashes(variant):
    assert normalise_header(variant) == "leerlingnummer"
    assert recognise([variant]) == {0: "leerlingnummer"}


def test_recognise_skips_unknown_columns_and_keeps_one_column_per_field():
    assert recognise(["Geboortedatum", "Klas", "", "Klas"]) == {1: "klas"}
    # the alias listed first wins ("roepnaam" before "voornaam"), also when it stands to the right
    assert recognise(["Voornaam", "Roepnaam", "Achternaam"]) == {1: "roepnaam", 2: "achternaam"}


def test_second_column_for_a_field_is_a_warning_naming_both():
    plan = parse(
        csv_bytes(
            [["Voornaam", "Roepnaam", "leerlingnummer", "achternaam", "klas"], ["Jo", "Jan", "1", "V", "1A"]]
        )
    )
    assert plan.ok
    assert plan.students[0].roepnaam == "Jan"
    warning = one(plan.warnings)
    assert (warning.row, warning.column) == (None, "Voornaam")
    assert "Voornaam" in warning.message and "Roepnaam" in warning.message


def test_unknown_columns_are_ignored_with_a_warning_naming_the_header():
    plan = parse(load("magister_export.csv"))
    assert plan.ok
    assert [(w.row, w.column) for w in plan.warnings] == [(None, "Studie"), (None, "Geb.datum")]
    assert "‘Studie’" in plan.warnings[0].message


def test_a_column_without_name_but_with_data_is_a_warning():
    plan = parse(b"leerlingnummer;roepnaam;achternaam;klas;\n1;Jan;Vos;1A;iets\n")
    assert plan.ok
    warning = one(plan.warnings)
    assert warning.column == "kolom 5" and "Kolom 5" in warning.message
    assert plan.headers == ["leerlingnummer", "roepnaam", "achternaam", "klas", ""]


def test_trailing_empty_columns_add_no_warning():
    plan = parse(b"leerlingnummer;roepnaam;achternaam;klas;;;\n1;Jan;Vos;1A;;;\n")
    assert plan.ok and not plan.warnings
    assert plan.headers == BASE


def test_field_lengths_match_the_store():
    from stip.store import tables

    assert imports.NAME_LENGTH == tables.NAME_LENGTH
    columns = {
        "leerlingnummer": tables.student.c.leerlingnummer,
        "roepnaam": tables.student.c.roepnaam,
        "tussenvoegsel": tables.student.c.tussenvoegsel,
        "achternaam": tables.student.c.achternaam,
        "klas": tables.klas.c.name,
        "mentor": tables.staff_member.c.naam,
    }
    for n in (1, 2):
        columns |= {
            f"ouder{n}_naam": tables.guardian.c.naam,
            f"ouder{n}_email": tables.guardian.c.email,
            f"ouder{n}_telefoon": tables.guardian.c.telefoon,
            f"ouder{n}_taal": tables.guardian.c.taal,
            f"ouder{n}_relatie": tables.student_guardian.c.relatie,
        }
    assert {name: column.type.length for name, column in columns.items()} == imports.MAX_LENGTH


# --- good files ----------------------------------------------------------------------------------------


def test_goed_komma_every_field():
    plan = parse(load("goed_komma.csv"))
    assert plan.ok and not plan.warnings
    assert plan.as_json() == {"students": 3, "guardians": 5, "errors": [], "warnings": []}
    assert sorted(plan.mapping.values()) == sorted(FIELDS)
    sem, noor, daan = plan.students
    assert (
        sem.row,
        sem.leerlingnummer,
        sem.roepnaam,
        sem.tussenvoegsel,
        sem.achternaam,
        sem.klas,
        sem.mentor,
    ) == (1, "1001", "Sem", "", "Jansen", "3B", "Mw. De Vries")
    assert sem.apart_informeren is True
    assert sem.guardians == [
        imports.GuardianRow(
            "Anja Jansen", "anja.jansen@voorbeeld.nl", "06-12345678", "Nederlands", False, "moeder"
        ),
        imports.GuardianRow(
            "Peter Jansen", "peter@voorbeeld.nl", "06-87654321", "Nederlands", False, "vader"
        ),
    ]
    assert noor.tussenvoegsel == "van" and noor.apart_informeren is None  # the file leaves it empty
    assert [(g.naam, g.taal, g.tolk_nodig) for g in noor.guardians] == [
        ("Fatima el Amrani", "Arabisch", True)
    ]
    assert daan.achternaam == "Öztürk"
    assert [g.tolk_nodig for g in daan.guardians] == [True, True]  # "j" and "x"


def test_goed_puntkomma_met_bom():
    parsed = read_table(load("goed_puntkomma_bom.csv"))
    assert parsed.kind == "csv"
    assert parsed.headers[0] == "leerlingnummer"  # no BOM left in the first header
    plan = validate(parsed)
    assert plan.ok
    assert [(s.roepnaam, s.tussenvoegsel, s.achternaam) for s in plan.students] == [
        ("Zoë", "van der", "Berg"),
        ("Jesse", "", "Bakker"),
    ]
    assert plan.students[0].guardians[0].naam == "Inès van der Berg"
    assert plan.students[1].guardians == []


def test_goed_tab():
    plan = parse(load("goed_tab.tsv"))
    assert plan.ok
    assert [(s.leerlingnummer, s.tussenvoegsel, s.achternaam) for s in plan.students] == [
        ("6001", "de", "Graaf"),
        ("6002", "", "Smit"),
    ]
    assert plan.students[0].guardians[0].email == "marco@voorbeeld.nl"


def test_windows1252():
    data = load("windows1252.csv")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the corpus file really is cp1252
    plan = parse(data)
    assert plan.ok
    assert [(s.roepnaam, s.achternaam) for s in plan.students] == [("Renée", "Ëlberg"), ("Chloë", "Müller")]
    assert plan.students[1].guardians[0].naam == "François Müller"


def test_utf16_unicode_text_from_excel():
    plan = parse(load("unicode_tekst.txt"))
    assert plan.ok
    assert (plan.students[0].roepnaam, plan.students[0].achternaam) == ("Søren", "Åberg")


def test_quoted_fields_with_newlines_delimiters_and_quotes():
    plan = parse(load("quoted_newlines.csv"))
    assert plan.ok
    eva, tim = plan.students
    assert eva.mentor == "Mw. A. de Vries\r\n(coach)"
    assert eva.guardians[0].naam == 'Jan "Johnny" Visser; vader'
    assert tim.guardians[0].naam == "Regel een\nregel twee"
    assert tim.row == 2


def test_trailing_and_inner_empty_lines_are_skipped():
    parsed = read_table(load("trailing_empty_lines.csv"))
    assert parsed.rows == [["8001", "Fenna", "Peters", "1B"], ["8002", "Ruben", "Hendriks", "1B"]]
    assert parsed.lines == [2, 5]
    plan = validate(parsed)
    assert plan.ok and [s.row for s in plan.students] == [1, 2]


def test_header_variants_file():
    plan = parse(load("header_variants.csv"))
    assert plan.ok and not plan.warnings
    assert set(plan.mapping.values()) == {
        "leerlingnummer",
        "roepnaam",
        "tussenvoegsel",
        "achternaam",
        "klas",
        "mentor",
        "ouder1_naam",
        "ouder1_email",
        "ouder1_telefoon",
        "ouder1_taal",
        "ouder1_tolk_nodig",
        "ouder1_relatie",
        "ouder2_naam",
        "ouder2_email",
        "apart_informeren",
    }
    mila = plan.students[0]
    assert (mila.leerlingnummer, mila.roepnaam, mila.tussenvoegsel, mila.achternaam, mila.klas) == (
        "9001",
        "Mila",
        "van den",
        "Broek",
        "5C",
    )
    assert mila.apart_informeren is True
    assert mila.guardians == [
        imports.GuardianRow(
            "Sara van den Broek", "sara@voorbeeld.nl", "020-1234567", "Nederlands", False, "moeder"
        ),
        imports.GuardianRow("Tom Broek", "tom@voorbeeld.nl", "", "", None, ""),  # empty: unknown
    ]


def test_magister_export_all_quoted():
    plan = parse(load("magister_export.csv"))
    yara, milan = plan.students
    assert (
        yara.leerlingnummer,
        yara.roepnaam,
        yara.tussenvoegsel,
        yara.achternaam,
        yara.klas,
        yara.mentor,
    ) == ("240201", "Yara", "", "de Boer", "H3a", "DBO")
    assert yara.guardians[0].telefoon == "06-11112222"
    assert milan.guardians == []


def test_excel_sep_line_and_title_rows_above_the_header():
    plan = parse(load("sep_regel.csv"))
    assert plan.ok and plan.students[0].roepnaam == "Sanne, Sophie"
    parsed = read_table(load("titel_boven_kop.csv"))
    assert parsed.header_line == 4 and parsed.lines == [5]
    plan = validate(parsed)
    assert plan.ok and plan.students[0].leerlingnummer == "1701"


def test_klassenlijst_xlsx_second_sheet_header_on_row_3():
    parsed = read_table(load("klassenlijst.xlsx"))
    assert (parsed.kind, parsed.sheet, parsed.header_line) == ("xlsx", "Leerlingen", 3)
    assert parsed.lines == [4, 5, 7]
    birth = parsed.headers.index("Geboortedatum")
    assert [row[birth] for row in parsed.rows] == ["2012-05-03", "2012-11-30", ""]
    plan = validate(parsed)
    assert plan.ok
    assert [w.column for w in plan.warnings] == ["Geboortedatum"]
    sem, noor, daan = plan.students
    assert [s.leerlingnummer for s in plan.students] == ["240101", "240102", "240103"]  # no ".0"
    assert sem.guardians[0] == imports.GuardianRow(
        "Anja Jansen", "anja@voorbeeld.nl", "06-12345678", "", True, ""
    )
    assert noor.guardians[0].telefoon == "612345678"
    assert noor.guardians[1].naam == '=HYPERLINK("http://voorbeeld.nl","klik")'  # a formula is its text
    assert daan.achternaam == "Öztürk" and daan.guardians == []


def make_xlsx(*sheets: list[list[object]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for number, rows in enumerate(sheets):
        sheet = book.create_sheet(f"Blad{number + 1}")
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_values_become_text_exactly():
    import datetime as dt

    data = make_xlsx(
        [
            BASE + ["ouder1_naam", "ouder1_telefoon", "ouder1_tolk_nodig", "Gewicht", "Tijd"],
            [
                1.0,
                "  Jan  ",
                "<img src=x onerror=alert(1)>",
                "1A",
                "@SUM(A1:A2)",
                "+31612345678",
                False,
                3.5,
                dt.datetime(2024, 1, 2, 13, 45),
            ],
        ]
    )
    parsed = read_table(data)
    assert parsed.rows == [
        [
            "1",
            "  Jan  ",
            "<img src=x onerror=alert(1)>",
            "1A",
            "@SUM(A1:A2)",
            "+31612345678",
            "nee",
            "3.5",
            "2024-01-02T13:45:00",
        ]
    ]
    student = validate(parsed).students[0]
    assert student.roepnaam == "Jan"  # trimmed
    assert student.guardians[0].tolk_nodig is False


def test_xlsx_without_recognisable_headers_uses_the_first_sheet_with_data():
    plan = parse(make_xlsx([], [["Naam", "Adres"], ["Jan", "Dorpsstraat 1"]], [["iets anders"]]))
    assert not plan.ok
    assert {p.column for p in plan.errors} == set(REQUIRED)
    assert plan.headers == ["Naam", "Adres"]


def test_xlsx_without_any_cell_is_empty():
    assert refused(make_xlsx([], [])).message_key == "import.empty"


def test_formules_en_html_are_names_like_any_other():
    plan = parse(load("formules_en_html.csv"))
    assert plan.ok and not plan.warnings
    first, second = plan.students
    assert first.roepnaam == '=HYPERLINK("http://voorbeeld.nl";"klik")'
    assert first.guardians[0].naam == "<img src=x onerror=alert(1)>"
    assert first.guardians[0].telefoon == "+31612345678"
    assert (second.roepnaam, second.achternaam) == ("@SUM(A1:A2)", "-2+3")
    assert second.guardians[0].naam == "<script>alert(1)</script>"
    assert second.guardians[0].telefoon == "=1+1"


def test_type_is_detected_by_content_not_by_name():
    # text that starts with "PK" is still a CSV; a workbook is a workbook whatever it is called
    plan = parse(b"PK-nummer;leerlingnummer;roepnaam;achternaam;klas\nx;1;Jan;Vos;1A\n")
    assert plan.ok and plan.students[0].leerlingnummer == "1"
    assert read_table(load("klassenlijst.xlsx")).kind == "xlsx"


# --- refused files -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key", "words"),
    [
        ("leeg.csv", "import.empty", ["leeg"]),
        ("geen_tabel.pdf", "import.not_a_table", ["CSV", ".xlsx"]),
        ("afbeelding.png", "import.not_a_table", ["CSV", ".xlsx"]),
        ("zip_zonder_werkboek.xlsx", "import.not_a_table", ["CSV", ".xlsx"]),
        ("kapot_werkboek.xlsx", "import.xlsx_unreadable", ["Excel"]),
        ("oud_excel.xls", "import.old_office", [".xls", ".xlsx"]),
        ("webpagina.xls", "import.html", ["webpagina"]),
    ],
)
def test_bad_files_are_refused_with_a_dutch_message(name, key, words):
    error = refused(load(name))
    assert error.message_key == key
    for word in words:
        assert word in str(error)
    assert str(error) == error.message != key


def test_too_large_states_the_5_mb_limit():
    assert MAX_UPLOAD_BYTES == 5 * 1024 * 1024
    error = refused(b"leerlingnummer;roepnaam\n" + b"x" * MAX_UPLOAD_BYTES)
    assert error.message_key == "import.too_large"
    assert "5 MB" in str(error)
    # exactly the limit is still read
    body = b"leerlingnummer;roepnaam;achternaam;klas\n1;Jan;Vos;1A\n"
    padding = (b" " * 1023 + b"\n") * (MAX_UPLOAD_BYTES // 1024)
    assert parse(body + padding[: MAX_UPLOAD_BYTES - len(body)]).ok


@pytest.mark.parametrize(
    "data",
    [b"", b"\xef\xbb\xbf", b"\n\n  \r\n", b";;;\n;;;\n", b"\xff\xfe", "\ufeff \n".encode()],
)
def test_empty_files_are_refused(data):
    assert refused(data).message_key == "import.empty"


@pytest.mark.parametrize(
    "data",
    [
        b"leerlingnummer;roepnaam\n1;J\x00an\n",  # NUL
        b"leerlingnummer;roepnaam\n1;Jan\x81\x8d\n",  # neither UTF-8 nor Windows-1252
        b"\x01\x02\x03\x04\x05abc",  # control characters
        b"\xff\xfeA",  # broken UTF-16
        b"PK\x05\x06" + b"\x00" * 18,  # an empty ZIP
        b"\x1f\x8b\x08\x00somegzip",
    ],
)
def test_binary_data_is_not_a_table(data):
    assert refused(data).message_key == "import.not_a_table"


def test_open_document_spreadsheet_gets_its_own_message():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<x/>")
    assert refused(out.getvalue()).message_key == "import.ods"


def test_unterminated_quote_names_the_line():
    error = refused(b'leerlingnummer;roepnaam;achternaam;klas\n1;Jan;Vos;1A\n2;"' + b"a" * 200_000 + b"\n")
    assert error.message_key == "import.csv_unreadable"
    assert "regel" in str(error) and error.values["line"] >= 3


def test_too_many_columns_and_rows(monkeypatch):
    error = refused((";".join(["k"] * 600) + "\n").encode())
    assert error.message_key == "import.too_many_columns" and "600" in str(error)
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    rows = b"".join(b"%d;Jan;Vos;1A\n" % n for n in range(4))
    assert refused(b"leerlingnummer;roepnaam;achternaam;klas\n" + rows).message_key == "import.too_many_rows"
    assert parse(b"leerlingnummer;roepnaam;achternaam;klas\n" + rows[: rows.index(b"3;")]).ok


def test_import_refused_carries_key_and_values():
    error = ImportRefused("import.too_many_columns", count=7, limit=5)
    assert (error.message_key, error.values) == ("import.too_many_columns", {"count": 7, "limit": 5})
    assert "7" in str(error) and "5" in str(error)


# --- errors in the rows --------------------------------------------------------------------------------


def test_headers_without_rows_is_an_error():
    plan = parse(load("alleen_kop.csv"))
    assert not plan.ok
    error = one(plan.errors)
    assert (error.row, error.column) == (None, None)
    assert "geen leerlingen" in error.message
    assert plan.students == []


def test_missing_required_column_is_named():
    plan = parse(load("mist_achternaam.csv"))
    assert not plan.ok
    error = one(plan.errors)
    assert (error.row, error.column) == (None, "achternaam")
    assert "achternaam" in error.message


def test_every_missing_required_column_is_an_error():
    plan = parse(b"mentor;ouder1_naam\nDhr. Bos;Els\n")
    assert [(e.row, e.column) for e in plan.errors] == [(None, name) for name in REQUIRED]


def test_empty_required_value_names_row_and_column():
    plan = parse(load("lege_roepnaam.csv"))
    error = one(plan.errors)
    assert (error.row, error.column) == (2, "roepnaam")
    assert error.message.startswith("Rij 2 (regel 3 van het bestand)")
    assert "‘roepnaam’" in error.message


@pytest.mark.parametrize("name", REQUIRED)
def test_each_required_value(name):
    values = {"leerlingnummer": "1", "roepnaam": "Jan", "achternaam": "Vos", "klas": "1A"} | {name: " "}
    plan = parse(csv_bytes([BASE, [values[c] for c in BASE]]))
    assert [(e.row, e.column) for e in plan.errors] == [(1, name)]


def test_duplicate_leerlingnummer_names_both_rows():
    plan = parse(load("dubbel_leerlingnummer.csv"))
    error = one(plan.errors)
    assert (error.row, error.column) == (3, "leerlingnummer")
    assert "Rij 3 (regel 4 van het bestand)" in error.message
    assert "rij 1 (regel 2)" in error.message
    assert "1301" in error.message
    assert plan.students[2].leerlingnummer == "1301"  # spaces trimmed


def test_every_duplicate_points_to_the_first():
    rows = [BASE] + [["7", f"Kind{n}", "Vos", "1A"] for n in range(3)]
    plan = parse(csv_bytes(rows))
    assert [(e.row, "rij 1 " in e.message) for e in plan.errors] == [(2, True), (3, True)]


def test_implausible_email_names_row_and_column():
    plan = parse(load("rare_email.csv"))
    assert [(e.row, e.column) for e in plan.errors] == [(2, "ouder1_email"), (3, "ouder1_email")]
    assert "Rij 2" in plan.errors[0].message and "‘ouder1_email’" in plan.errors[0].message
    assert "piet@@voorbeeld" in plan.errors[0].message


@pytest.mark.parametrize(
    ("email", "ok"),
    [
        ("a@b.nl", True),
        ("jan.de-vries+school@mail.voorbeeld.com", True),
        ("élodie@exemple.fr", True),
        ("a@b", False),
        ("a@@b.nl", False),
        ("a b@c.nl", False),
        ("@b.nl", False),
        ("a@b.n", False),
        ("a@b.nl; c@d.nl", False),
        ("a@.nl", False),
    ],
)
def test_email_check(email, ok):
    plan = parse(csv_bytes([BASE + ["ouder2_naam", "ouder2_email"], ["1", "Jan", "Vos", "1A", "Els", email]]))
    assert plan.ok is ok
    if not ok:
        assert [(e.row, e.column) for e in plan.errors] == [(1, "ouder2_email")]


def test_name_longer_than_200_characters():
    plan = parse(load("te_lange_naam.csv"))
    error = one(plan.errors)  # exactly 200 on row 1 is fine
    assert (error.row, error.column) == (2, "achternaam")
    assert "Rij 2" in error.message and "‘achternaam’" in error.message and "200" in error.message


@pytest.mark.parametrize("name", ["roepnaam", "tussenvoegsel", "achternaam", "ouder1_naam", "ouder2_naam"])
def test_every_name_field_has_the_200_limit(name):
    header = BASE + ["tussenvoegsel", "ouder1_naam", "ouder2_naam"]
    values = dict(zip(header, ["1", "Jan", "Vos", "1A", "", "Els", "Piet"], strict=True)) | {name: "x" * 201}
    plan = parse(csv_bytes([header, [values[c] for c in header]]))
    assert [(e.row, e.column) for e in plan.errors] == [(1, name)]


def test_other_lengths_follow_the_store():
    plan = parse(
        csv_bytes(
            [BASE + ["ouder1_naam", "ouder1_telefoon"], ["1" * 41, "Jan", "Vos", "K" * 41, "Els", "0" * 41]]
        )
    )
    assert [(e.row, e.column) for e in plan.errors] == [
        (1, "leerlingnummer"),
        (1, "klas"),
        (1, "ouder1_telefoon"),
    ]


@pytest.mark.parametrize(
    ("text", "answer"),
    [(v, True) for v in ("ja", "JA", "j", "1", "x", "X", "yes", "true", "True", " ja ", "waar")]
    + [(v, False) for v in ("nee", "Nee", "n", "0", "no", "false", "onwaar")]
    + [("", None)],  # empty: the file does not say, so an import never switches a known "ja" off
)
def test_yes_no_values(text, answer):
    plan = parse(
        csv_bytes(
            [
                BASE + ["ouder1_naam", "ouder1_tolk_nodig", "apart_informeren"],
                ["1", "Jan", "Vos", "1A", "Els", text, text],
            ]
        )
    )
    assert plan.ok
    assert plan.students[0].guardians[0].tolk_nodig is answer
    assert plan.students[0].apart_informeren is answer


def test_other_yes_no_value_is_an_error():
    plan = parse(
        csv_bytes(
            [BASE + ["ouder1_naam", "Tolk nodig ouder 1"], ["1", "Jan", "Vos", "1A", "Els", "misschien"]]
        )
    )
    error = one(plan.errors)
    assert (error.row, error.column) == (1, "ouder1_tolk_nodig")
    assert "‘Tolk nodig ouder 1’" in error.message and "misschien" in error.message


def test_guardian_exists_only_with_a_name():
    plan = parse(
        csv_bytes(
            [
                BASE + ["ouder1_naam", "ouder1_email", "ouder2_naam", "ouder2_tolk_nodig"],
                ["1", "Jan", "Vos", "1A", "", "els@voorbeeld.nl", "", "misschien"],
            ]
        )
    )
    assert plan.ok  # no error for data of a guardian that is not there, but a warning per guardian
    assert plan.students[0].guardians == []
    assert [(w.row, w.column) for w in plan.warnings] == [(1, "ouder1_naam"), (1, "ouder2_naam")]
    assert "ouder 1" in plan.warnings[0].message
    assert plan.as_json()["guardians"] == 0


def test_values_are_trimmed():
    plan = parse(b"leerlingnummer;roepnaam;tussenvoegsel;achternaam;klas\n  12  ; Jan ;\tvan ; Vos\t; 1A \n")
    student = plan.students[0]
    assert (
        student.leerlingnummer,
        student.roepnaam,
        student.tussenvoegsel,
        student.achternaam,
        student.klas,
    ) == ("12", "Jan", "van", "Vos", "1A")


def test_as_json_shape():
    plan = parse(load("rare_email.csv"))
    data = plan.as_json()
    assert set(data) == {"students", "guardians", "errors", "warnings"}
    assert (data["students"], data["guardians"]) == (3, 3)
    assert data["errors"][0] == {"row": 2, "column": "ouder1_email", "message": plan.errors[0].message}


# --- mapping from the UI -------------------------------------------------------------------------------


def test_user_mapping_overrides_recognition():
    parsed = read_table(b"Code;Naam kind;Familie;Lokaal;Klas\n17;Jan;Vos;A12;1A\n")
    assert not validate(parsed).ok
    plan = validate(parsed, {0: "leerlingnummer", 1: "roepnaam", 2: "achternaam", 3: "klas"})
    assert plan.ok
    assert plan.mapping == {0: "leerlingnummer", 1: "roepnaam", 2: "achternaam", 3: "klas"}
    assert (plan.students[0].leerlingnummer, plan.students[0].klas) == ("17", "A12")
    warning = one(plan.warnings)  # "Klas" is not used: the user chose "Lokaal"
    assert warning.column == "Klas" and "niet gekoppeld" in warning.message


def test_user_mapping_two_columns_to_one_field_is_an_error():
    parsed = read_table(b"nr;voornaam;roepnaam;achternaam;klas\n1;Johannes;Jan;Vos;1A\n")
    plan = validate(parsed, {0: "leerlingnummer", 1: "roepnaam", 2: "roepnaam", 3: "achternaam", 4: "klas"})
    error = one(plan.errors)
    assert (error.row, error.column) == (None, "roepnaam")
    assert "‘voornaam’" in error.message and "‘roepnaam’" in error.message
    assert not plan.ok


def test_user_mapping_with_unknown_column_or_field_and_skipped_columns():
    parsed = read_table(b"leerlingnummer;roepnaam;achternaam;klas\n1;Jan;Vos;1A\n")
    plan = validate(parsed, {0: "leerlingnummer", 1: "roepnaam", 2: "achternaam", 3: "klas", 9: "mentor"})
    assert [(e.row, e.column) for e in plan.errors] == [(None, None)] and "Kolom 9" in plan.errors[0].message
    plan = validate(parsed, {0: "leerlingnummer", 1: "roepnaam", 2: "achternaam", 3: "geboortedatum"})
    assert [(e.column) for e in plan.errors] == ["klas", "klas"]
    assert "geboortedatum" in plan.errors[0].message
    plan = validate(parsed, {"0": "leerlingnummer", 1: "roepnaam", 2: "achternaam", 3: "klas", "x": None})
    assert plan.ok and plan.mapping == {0: "leerlingnummer", 1: "roepnaam", 2: "achternaam", 3: "klas"}


def test_parse_passes_the_mapping():
    plan = parse(b"a;b;c;d\n1;Jan;Vos;1A\n", {0: "leerlingnummer", 1: "roepnaam", 2: "achternaam", 3: "klas"})
    assert plan.ok and plan.students[0].roepnaam == "Jan"


def test_validate_accepts_a_parsed_file_built_by_hand():
    plan = validate(
        ParsedFile(headers=BASE, rows=[["1", "Jan", "Vos", "1A"], ["2", "", "Vos", "1A"]], kind="csv")
    )
    assert isinstance(plan, ImportPlan)
    assert one(plan.errors).message.startswith("Rij 2 (regel 3 van het bestand)")


# --- performance, laziness -----------------------------------------------------------------------------


def test_3000_rows_well_under_a_second():
    header = list(FIELDS)
    rows = [
        [
            str(100000 + n),
            f"Roep{n}",
            "van",
            f"Achter{n}",
            f"{n % 8 + 1}A",
            "Dhr. Bos",
            f"Ouder {n}",
            "moeder",
            f"ouder{n}@voorbeeld.nl",
            "0612345678",
            "Nederlands",
            "nee",
            f"Ouder2 {n}",
            "vader",
            f"o2.{n}@voorbeeld.nl",
            "",
            "Pools",
            "ja",
            "nee",
        ]
        for n in range(3000)
    ]
    data = csv_bytes([header, *rows])
    parsed = read_table(data)
    started = time.process_time()
    plan = validate(parsed)
    took = time.process_time() - started
    assert plan.ok and len(plan.students) == 3000
    assert took < 0.5, f"validate took {took:.2f} s for 3000 rows"


def test_importing_the_module_does_not_load_openpyxl():
    code = "import sys, stip.imports; print('openpyxl' in sys.modules, 'sqlalchemy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


# --- properties ----------------------------------------------------------------------------------------


def parse_or_refuse(data: bytes) -> None:
    try:
        plan = parse(data)
    except ImportRefused as error:
        assert str(error)
        return
    assert isinstance(plan, ImportPlan)
    plan.as_json()


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_raise_only_import_refused(data):
    parse_or_refuse(data)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=1000), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_random_text_raises_only_import_refused(text, encoding):
    parse_or_refuse(text.encode(encoding, errors="ignore"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=';,\t"\r\n =@+-abéx1', max_size=400))
def test_random_delimiter_soup_raises_only_import_refused(text):
    parse_or_refuse(("leerlingnummer;roepnaam;achternaam;klas\n" + text).encode())
    parse_or_refuse(text.encode())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False), st.integers(min_value=1, max_value=20))
def test_damaged_workbooks_raise_only_import_refused(rng: random.Random, flips: int):
    data = bytearray(load("klassenlijst.xlsx"))
    for _ in range(flips):
        data[rng.randrange(len(data))] = rng.randrange(256)
    parse_or_refuse(bytes(data))


VALUE_CHARS = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")) | st.sampled_from(
    ['"', ";", ",", "\t", "\n", "=", "@", "'"]
)


def value(min_size: int = 0, max_size: int = 30) -> st.SearchStrategy[str]:
    return st.text(VALUE_CHARS, min_size=min_size, max_size=max_size).filter(lambda s: s == s.strip())


def required(max_size: int = 30) -> st.SearchStrategy[str]:
    return value(1, max_size).filter(bool)


EMAILS = st.from_regex(r"[a-z0-9._%+-]{1,10}@[a-z0-9-]{1,10}\.[a-z]{2,4}", fullmatch=True) | st.just("")


@st.composite
def students(draw):
    numbers = draw(st.lists(required(12), min_size=1, max_size=8, unique=True))
    rows = []
    for number in numbers:
        guardians = []
        for _slot in (1, 2):
            naam = draw(value(max_size=20))
            guardians.append(
                [
                    naam,
                    draw(value(max_size=10)),
                    draw(EMAILS),
                    draw(value(max_size=12)),
                    draw(value(max_size=10)),
                    draw(st.sampled_from(["ja", "nee", ""])),
                ]
                if naam
                else ["", "", "", "", "", ""]
            )
        rows.append(
            [
                number,
                draw(required()),
                draw(value()),
                draw(required()),
                draw(required(10)),
                draw(value()),
                *guardians[0],
                *guardians[1],
                draw(st.sampled_from(["ja", "nee", "1", "0", ""])),
            ]
        )
    return rows


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(students(), st.sampled_from([";", ",", "\t"]), st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_csv_round_trip_of_valid_rows(rows, delimiter, encoding):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows([list(FIELDS), *rows])
    plan = parse(out.getvalue().encode(encoding))
    assert plan.ok, plan.errors
    assert not plan.warnings
    assert len(plan.students) == len(rows)
    for student, row in zip(plan.students, rows, strict=True):
        got = [
            student.leerlingnummer,
            student.roepnaam,
            student.tussenvoegsel,
            student.achternaam,
            student.klas,
            student.mentor,
        ]
        assert got == row[:6]
        expected = []
        for start in (6, 12):
            naam, relatie, email, telefoon, taal, tolk = row[start : start + 6]
            if naam:
                expected.append(
                    imports.GuardianRow(
                        naam, email, telefoon, taal, {"ja": True, "": None}.get(tolk, False), relatie
                    )
                )
        assert student.guardians == expected
        assert student.apart_informeren is ({"ja": True, "1": True, "": None}.get(row[-1], False))
