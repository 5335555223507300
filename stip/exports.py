"""Class lists out of Stip: CSV and XLSX that cannot run formulas (DESIGN §8).

CSV follows the defusedcsv rule (a cell starting with `= + - @ TAB CR` gets a leading `'`); XLSX writes
every value as a string cell, so `=HYPERLINK(...)` stays text. `class_list` uses the import contract's
Dutch column names, so an export can be imported again. openpyxl is imported only when an XLSX is made.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, select

from stip.i18n import t
from stip.schools import Actor
from stip.store import tables as T

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
GUARDIAN_FIELDS = ("naam", "relatie", "email", "telefoon", "taal", "tolk_nodig")
STUDENT_FIELDS = ("leerlingnummer", "roepnaam", "tussenvoegsel", "achternaam", "klas")
GUARDIAN_SLOTS = 2  # ouder1, ouder2 in the import contract; more slots only when a student has more
YES, NO = "ja", "nee"  # values of the import contract, not user texts

# The note shown with every CSV download: the apostrophe is deliberate (DESIGN §8).
CSV_NOTE_KEY = "export.csv_note"

XLSX_MAX_CELL = 32767  # Excel's limit on the characters in one cell
XLSX_MIN_WIDTH, XLSX_MAX_WIDTH = 8, 50
# Control characters XML 1.0 cannot hold (openpyxl refuses them); TAB, LF and CR are allowed.
XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
XLSX_TITLE_ILLEGAL = re.compile(r"[\\/*?:\[\]\x00-\x1f]")


def csv_note() -> str:
    """Dutch explanation of the apostrophe before cells like `=…` and phone numbers like `+316…`."""
    return t("export.csv_note")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    return str(value)


def neutralise(value: object) -> str:
    """The cell as text, with a leading `'` when a spreadsheet could read it as a formula."""
    text = _text(value)
    if text.startswith(DANGEROUS_PREFIXES):
        return "'" + text
    return text


def to_csv(headers: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with BOM, `;`-separated (what Dutch Excel opens by default), every cell neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(value) for value in headers])
    for row in rows:
        writer.writerow([neutralise(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_text(value: object) -> str:
    return XLSX_ILLEGAL.sub("", _text(value))[:XLSX_MAX_CELL]


def to_xlsx(
    headers: Sequence[object], rows: Iterable[Sequence[object]], sheet_title: str | None = None
) -> bytes:
    """One worksheet; every value a string cell (never a formula), bold header row, fitting widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    title = " ".join(XLSX_TITLE_ILLEGAL.sub(" ", sheet_title or "").split())[:31]  # Excel's limits
    sheet.title = title or t("export.sheet_title")
    widths: dict[int, int] = {}
    bold = Font(bold=True)
    for row_number, row in enumerate([headers, *rows], start=1):
        for column_number, value in enumerate(row, start=1):
            text = _xlsx_text(value)
            cell = sheet.cell(row=row_number, column=column_number)
            cell.value = text
            cell.data_type = "s"  # after assigning: openpyxl makes "=…" a formula otherwise
            if row_number == 1:
                cell.font = bold
            longest = max((len(line) for line in text.splitlines()), default=0)
            widths[column_number] = max(widths.get(column_number, 0), longest)
    for column_number, width in widths.items():
        letter = get_column_letter(column_number)
        sheet.column_dimensions[letter].width = min(max(width + 2, XLSX_MIN_WIDTH), XLSX_MAX_WIDTH)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def class_list_headers(slots: int = GUARDIAN_SLOTS) -> list[str]:
    guardian_headers = [f"ouder{slot}_{field}" for slot in range(1, slots + 1) for field in GUARDIAN_FIELDS]
    return [*STUDENT_FIELDS, *guardian_headers, "apart_informeren"]


def _sort_key(text: str) -> str:
    return text.casefold()


def class_list(
    conn: Connection, actor: Actor, klas_id: int | None = None, include_left: bool = False
) -> tuple[list[str], list[list[str]]]:
    """The class list in the import contract's columns: one row per student of `klas_id` (or all).

    Students are sorted by klas, achternaam, roepnaam; their guardians in the order they were linked.
    Students who left (`left_on` set) are only included with `include_left`. A student with more
    guardians than the contract's two slots adds `ouder3_…` columns rather than losing one.
    """
    query = (
        select(
            T.student.c.id,
            T.student.c.leerlingnummer,
            *T.STUDENT_NAME,
            T.klas.c.name.label("klas"),
        )
        .select_from(T.student)
        .outerjoin(T.klas, T.klas.c.id == T.student.c.klas_id)
        .where(T.student.c.school_id == actor.school_id)
    )
    if klas_id is not None:
        query = query.where(T.student.c.klas_id == klas_id)
    if not include_left:
        query = query.where(T.student.c.left_on.is_(None))
    students = conn.execute(query).mappings().all()

    guardians: dict[int, list] = {}
    if students:
        ids = [student["id"] for student in students]
        links = conn.execute(
            select(
                T.student_guardian.c.student_id,
                T.student_guardian.c.relatie,
                T.student_guardian.c.apart_informeren,
                T.guardian,
            )
            .join(T.guardian, T.guardian.c.id == T.student_guardian.c.guardian_id)
            .where(T.student_guardian.c.student_id.in_(ids), T.guardian.c.school_id == actor.school_id)
            .order_by(T.student_guardian.c.student_id, T.guardian.c.id)
        ).mappings()
        for link in links:
            guardians.setdefault(link["student_id"], []).append(link)

    slots = max([GUARDIAN_SLOTS, *(len(linked) for linked in guardians.values())])
    students = sorted(
        students,
        key=lambda s: (
            s["klas"] is None,
            _sort_key(s["klas"] or ""),
            _sort_key(s["achternaam"]),
            _sort_key(s["roepnaam"]),
            s["leerlingnummer"],
        ),
    )
    rows = []
    for student in students:
        row = [_text(student[field]) for field in STUDENT_FIELDS]
        linked = guardians.get(student["id"], [])
        for slot in range(slots):
            if slot < len(linked):
                row.extend(_text(linked[slot][field]) for field in GUARDIAN_FIELDS)
            else:
                row.extend("" for _field in GUARDIAN_FIELDS)
        row.append(YES if any(link["apart_informeren"] for link in linked) else NO)
        rows.append(row)
    return class_list_headers(slots), rows
