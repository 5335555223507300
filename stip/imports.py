"""Reading and checking class lists exported from ParnasSys, Magister or SOMtoday (CSV or XLSX).

Pure functions: no database and no widgets. `parse(data)` turns the uploaded bytes into an `ImportPlan`
(students, errors, warnings); the caller stores the plan only when `plan.ok`. The only exception for any
input is `ImportRefused` (file too large, empty, not a table, unreadable).

Choices where the issue left room:
- A file with column names but no students is an *error* in the plan (`import.no_rows`, row None), not an
  `ImportRefused`: the mapping and the column warnings stay visible in the screen.
- `Problem.row` is the 1-based data row (the first row after the header is 1; fully empty rows are skipped
  and not counted, so it is also the index into `ParsedFile.rows` plus one). The Dutch message names that
  row and the line in the file (the row number Excel shows), e.g. "Rij 3 (regel 5 van het bestand)".
- `ImportPlan.students` holds every data row, also rows with errors; store nothing unless `plan.ok`.
- Empty `taal` and `relatie` stay "" (the store fills its defaults "Nederlands" and "ouder").
- Headers are compared after `normalise_header`: accents, case and every character that is not a letter
  or digit are dropped, so "E-mail ouder/verzorger 1" == "emailouderverzorger1".
- When two columns are recognised as the same field ("Roepnaam" and "Voornaam"), the alias listed first
  in `ALIASES` wins, then the leftmost column; the other column gets a warning. A mapping given by the
  user that links two columns to one field is an error.
- Field lengths follow the store's columns (`stip.store.tables`; a test keeps them equal).
- Besides UTF-8 (with or without BOM) and Windows-1252, UTF-16 with a BOM (Excel's "Unicode-tekst") is
  read, and an Excel `sep=;` first line is honoured. Old .xls, .ods and HTML files get their own message.
- At most `MAX_ROWS` data rows and `MAX_COLUMNS` columns, so a pathological file cannot exhaust memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from stip.collector import paused
from stip.i18n import t
from stip.validation import EMAIL

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # an XLSX is a ZIP: refuse one that unpacks to more than this
MAX_ROWS = 20_000
MAX_COLUMNS = 500
HEADER_SEARCH_ROWS = 10  # the header row is one of the first 10 non-empty rows
MIN_RECOGNISED = 2  # a row with at least this many recognised headers is the header row
GUARDIAN_SLOTS = (1, 2)
GUARDIAN_PARTS = ("naam", "relatie", "email", "telefoon", "taal", "tolk_nodig")

STUDENT_FIELDS = ("leerlingnummer", "roepnaam", "tussenvoegsel", "achternaam", "klas", "mentor")
FIELDS: tuple[str, ...] = (
    *STUDENT_FIELDS,
    *(f"ouder{n}_{part}" for n in GUARDIAN_SLOTS for part in GUARDIAN_PARTS),
    "apart_informeren",
)
REQUIRED: tuple[str, ...] = ("leerlingnummer", "roepnaam", "achternaam", "klas")

# The longest text the store keeps per field (same numbers as the columns in stip/store/tables.py; importing
# that module here would load SQLAlchemy).
NAME_LENGTH = 200
MAX_LENGTH: dict[str, int] = {
    "leerlingnummer": 40,
    "roepnaam": NAME_LENGTH,
    "tussenvoegsel": NAME_LENGTH,
    "achternaam": NAME_LENGTH,
    "klas": 40,
    "mentor": NAME_LENGTH,
    **{f"ouder{n}_naam": NAME_LENGTH for n in GUARDIAN_SLOTS},
    **{f"ouder{n}_email": NAME_LENGTH for n in GUARDIAN_SLOTS},
    **{f"ouder{n}_telefoon": 40 for n in GUARDIAN_SLOTS},
    **{f"ouder{n}_taal": 60 for n in GUARDIAN_SLOTS},
    **{f"ouder{n}_relatie": 60 for n in GUARDIAN_SLOTS},
}


def _guardian_aliases(n: int) -> dict[str, tuple[str, ...]]:
    ouder = (f"ouder {n}", f"ouder/verzorger {n}", f"verzorger {n}")
    return {
        f"ouder{n}_naam": (
            f"ouder{n}_naam",
            *(f"naam {who}" for who in ouder),
            *(f"{who} naam" for who in ouder),
            *ouder,
        ),
        f"ouder{n}_relatie": (
            f"ouder{n}_relatie",
            *(f"relatie {who}" for who in ouder),
            *(f"{who} relatie" for who in ouder),
        ),
        f"ouder{n}_email": (
            f"ouder{n}_email",
            *(f"{word} {who}" for word in ("e-mail", "e-mailadres", "mail") for who in ouder),
            *(f"{who} e-mail" for who in ouder),
        ),
        f"ouder{n}_telefoon": (
            f"ouder{n}_telefoon",
            f"ouder{n}_tel",
            *(f"{word} {who}" for word in ("telefoon", "telefoonnummer", "tel.", "mobiel") for who in ouder),
            *(f"{who} telefoon" for who in ouder),
        ),
        f"ouder{n}_taal": (
            f"ouder{n}_taal",
            *(f"{word} {who}" for word in ("taal", "thuistaal", "voertaal") for who in ouder),
            *(f"{who} taal" for who in ouder),
        ),
        f"ouder{n}_tolk_nodig": (
            f"ouder{n}_tolk_nodig",
            f"ouder{n}_tolk",
            *(f"{word} {who}" for word in ("tolk nodig", "tolk") for who in ouder),
        ),
    }


# Every column name Stip recognises, per field; the first one is the name to use in your own files.
ALIASES: dict[str, tuple[str, ...]] = {
    "leerlingnummer": (
        "leerlingnummer",
        "leerlingnr",
        "leerling nummer",
        "llnr",
        "stamnummer",
        "stamnr",
        "studentnummer",
        "studentnr",
    ),
    "roepnaam": ("roepnaam", "voornaam", "roepnaam leerling", "voornaam leerling"),
    "tussenvoegsel": (
        "tussenvoegsel",
        "tussenvoegsels",
        "tussenv.",
        "voorvoegsel",
        "voorvoegsels",
        "tussenvoegsel leerling",
    ),
    "achternaam": ("achternaam", "familienaam", "achternaam leerling", "geslachtsnaam"),
    "klas": ("klas", "groep", "stamgroep", "stamklas", "klas/groep", "klasnaam", "basisgroep"),
    "mentor": ("mentor", "mentoren", "mentor(en)", "leerkracht", "groepsleerkracht"),
    **_guardian_aliases(1),
    **_guardian_aliases(2),
    "apart_informeren": ("apart_informeren", "ouders apart informeren", "gescheiden informeren"),
}

FIELD_LABEL_KEYS = {
    "leerlingnummer": "import.field.leerlingnummer",
    "roepnaam": "import.field.roepnaam",
    "tussenvoegsel": "import.field.tussenvoegsel",
    "achternaam": "import.field.achternaam",
    "klas": "import.field.klas",
    "mentor": "import.field.mentor",
    "naam": "import.field.ouder_naam",
    "relatie": "import.field.ouder_relatie",
    "email": "import.field.ouder_email",
    "telefoon": "import.field.ouder_telefoon",
    "taal": "import.field.ouder_taal",
    "tolk_nodig": "import.field.ouder_tolk_nodig",
    "apart_informeren": "import.field.apart_informeren",
}

YES = frozenset({"ja", "j", "1", "x", "yes", "y", "true", "waar"})
NO = frozenset({"", "nee", "n", "0", "no", "false", "onwaar"})

# Sane, not RFC-complete: something@domain.tld, no spaces, a top-level domain of at least two letters.
SEP_LINE = re.compile(r"sep=(.)", re.IGNORECASE)
DELIMITERS = (";", "\t", ",")  # on a tie the first wins
BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf", b"{\\rtf")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Office files (.xls, .doc)
HTML_STARTS = ("<!doctype", "<html", "<?xml", "<table")
CONTROL = re.compile(r"[\x01-\x08\x0e-\x19\x1b-\x1f\x7f]")
MAX_SHOWN = 60  # a value echoed in a message is cut to this many characters


class ImportRefused(Exception):
    """The file cannot be read at all; `str(error)` is the Dutch message."""

    def __init__(self, message_key: str, **values: object) -> None:
        super().__init__(message_key)
        self.message_key = message_key
        self.values = values

    def __str__(self) -> str:
        return t(self.message_key, **self.values)

    @property
    def message(self) -> str:
        return str(self)


@dataclass(frozen=True)
class Problem:
    """An error or warning: `row` is the 1-based data row (None for the whole file), `column` the field
    name (or the header text of a column Stip does not use), `message` the Dutch text."""

    row: int | None
    column: str | None
    message: str


@dataclass
class ParsedFile:
    """A table read from a file: every cell is text, every row as long as `headers`.

    `lines[i]` is the row number in the file (as Excel shows it) of `rows[i]`; `header_line` that of the
    header row; `sheet` the worksheet read from an XLSX.
    """

    headers: list[str]
    rows: list[list[str]]
    kind: str  # "csv" | "xlsx"
    lines: list[int] = field(default_factory=list)
    header_line: int = 1
    sheet: str | None = None


@dataclass(slots=True)
class GuardianRow:
    naam: str
    email: str
    telefoon: str
    taal: str
    tolk_nodig: bool | None  # None: the file does not say
    relatie: str


@dataclass(slots=True)
class StudentRow:
    row: int
    leerlingnummer: str
    roepnaam: str
    tussenvoegsel: str
    achternaam: str
    klas: str
    mentor: str
    guardians: list[GuardianRow]
    apart_informeren: bool | None  # None: the file does not say


@dataclass
class ImportPlan:
    students: list[StudentRow]
    errors: list[Problem]
    warnings: list[Problem]
    mapping: dict[int, str]
    headers: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_json(self) -> dict:
        return {
            "students": len(self.students),
            "guardians": sum(len(student.guardians) for student in self.students),
            "errors": [_problem_json(p) for p in self.errors],
            "warnings": [_problem_json(p) for p in self.warnings],
        }


def _problem_json(problem: Problem) -> dict:
    return {"row": problem.row, "column": problem.column, "message": problem.message}


# --- headers -------------------------------------------------------------------------------------------


def normalise_header(text: str) -> str:
    """Lower case, without accents and without anything that is not a letter or digit."""
    decomposed = unicodedata.normalize("NFKD", str(text)).casefold()
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def _build_lookup() -> dict[str, tuple[str, int]]:
    lookup: dict[str, tuple[str, int]] = {}
    for name, aliases in ALIASES.items():
        for rank, alias in enumerate(aliases):
            lookup.setdefault(normalise_header(alias), (name, rank))
    return lookup


_LOOKUP = _build_lookup()


def recognise(headers: list[str]) -> dict[int, str]:
    """Column index -> field for every header Stip knows; one column per field (see module docstring)."""
    best: dict[str, tuple[int, int]] = {}
    for index, header in enumerate(headers):
        hit = _LOOKUP.get(normalise_header(header))
        if hit is None:
            continue
        name, rank = hit
        if name not in best or (rank, index) < best[name]:
            best[name] = (rank, index)
    return {index: name for name, (_rank, index) in sorted(best.items(), key=lambda item: item[1][1])}


def field_label(name: str) -> str:
    """A short Dutch label for a field ("roepnaam", "e-mail ouder 1"), for messages and the mapping UI."""
    if name.startswith("ouder") and "_" in name:
        slot, part = name.split("_", 1)
        return t(FIELD_LABEL_KEYS[part], n=slot.removeprefix("ouder"))
    return t(FIELD_LABEL_KEYS[name])


# --- reading -------------------------------------------------------------------------------------------


@paused
def read_table(data: bytes) -> ParsedFile:
    """Read CSV/TSV text or an XLSX workbook, recognised by content; raises only ImportRefused."""
    data = bytes(data)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportRefused(
            "import.too_large",
            size_mb=f"{len(data) / 1024 / 1024:.1f}".replace(".", ","),
            limit_mb=MAX_UPLOAD_BYTES // (1024 * 1024),
        )
    if not data:
        raise ImportRefused("import.empty")
    if data.startswith(OLE_MAGIC):
        raise ImportRefused("import.old_office")
    if data.startswith(BINARY_MAGIC):
        raise ImportRefused("import.not_a_table")
    if data.startswith(b"PK") and zipfile.is_zipfile(io.BytesIO(data)):
        return _read_xlsx(data)
    return _read_text(data)


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    elif b"\x00" in data:
        raise ImportRefused("import.not_a_table")
    else:
        encodings = ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRefused("import.not_a_table")
    if "\x00" in text or len(CONTROL.findall(text)) > len(text) // 100:
        raise ImportRefused("import.not_a_table")
    return text


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count


def _sniff(lines: list[str]) -> str:
    """The delimiter: the one seen most often on the first line that holds any of them."""
    for line in lines:
        counts = [(_count_outside_quotes(line, d), -i, d) for i, d in enumerate(DELIMITERS)]
        best = max(counts)
        if best[0] > 0:
            return best[2]
    return DELIMITERS[-1]


def _read_text(data: bytes) -> ParsedFile:
    text = _decode(data)
    if not text.strip():
        raise ImportRefused("import.empty")
    if text.lstrip().lower().startswith(HTML_STARTS):
        raise ImportRefused("import.html")
    first, _newline, rest = text.partition("\n")
    sep = SEP_LINE.fullmatch(first.strip())
    if sep:
        delimiter, text = sep.group(1), rest
    else:
        delimiter = _sniff(
            [line for line in text[:65536].splitlines()[:50] if line.strip()][:HEADER_SEARCH_ROWS]
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=False)
    records = _numbered_text(reader)
    try:
        table = _table(records, "csv")
    except csv.Error as error:
        raise ImportRefused("import.csv_unreadable", line=reader.line_num) from error
    if table is None:
        raise ImportRefused("import.empty")
    return table


def _numbered(rows: Iterable[Iterable[object]]) -> Iterator[tuple[int, list[str]]]:
    """(row number in the file, cells as text) for every row that is not fully empty."""
    for number, row in enumerate(rows, start=1):
        cells = [_cell_text(value) for value in row]
        if any(cell.strip() for cell in cells):
            yield number, cells


def _numbered_text(rows: Iterable[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """`_numbered` for CSV rows, whose cells are text already."""
    for number, cells in enumerate(rows, start=1):
        if "".join(cells).strip():
            yield number, cells


def _table(
    records: Iterator[tuple[int, list[str]]], kind: str, sheet: str | None = None
) -> ParsedFile | None:
    """Find the header in the first rows, keep the rows after it, make every row as wide as the table."""
    head: list[tuple[int, list[str]]] = []
    for record in records:
        head.append(record)
        if len(head) == HEADER_SEARCH_ROWS:
            break
    if not head:
        return None
    start = next((i for i, (_n, cells) in enumerate(head) if len(recognise(cells)) >= MIN_RECOGNISED), 0)
    header_line, headers = head[start]
    body = head[start + 1 :]
    for record in records:
        body.append(record)
        if len(body) > MAX_ROWS:
            break
    if len(body) > MAX_ROWS:
        raise ImportRefused("import.too_many_rows", limit=MAX_ROWS)
    width = max(_used_width(cells) for _n, cells in [(header_line, headers), *body])
    if width > MAX_COLUMNS:
        raise ImportRefused("import.too_many_columns", count=width, limit=MAX_COLUMNS)
    return ParsedFile(
        headers=[cell.strip() for cell in _fit(headers, width)],
        rows=[_fit(cells, width) for _n, cells in body],
        kind=kind,
        lines=[number for number, _cells in body],
        header_line=header_line,
        sheet=sheet,
    )


def _used_width(cells: list[str]) -> int:
    for index in range(len(cells) - 1, -1, -1):
        if cells[index].strip():
            return index + 1
    return 0


def _fit(cells: list[str], width: int) -> list[str]:
    if len(cells) == width:
        return cells
    return cells[:width] + [""] * (width - len(cells))


def _cell_text(value: object) -> str:
    """A cell as text: whole numbers without ".0", dates as ISO text, a formula as its formula text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    text = getattr(value, "text", None)  # openpyxl ArrayFormula / DataTableFormula
    return text if isinstance(text, str) else str(value)


def _read_xlsx(data: bytes) -> ParsedFile:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except Exception as error:  # a damaged or encrypted ZIP: not a workbook Stip can read
        raise ImportRefused("import.not_a_table") from error
    if b"opendocument" in mimetype:
        raise ImportRefused("import.ods")
    if "xl/workbook.xml" not in names:
        raise ImportRefused("import.not_a_table")
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportRefused("import.xlsx_unreadable")
    try:
        table = _read_workbook(data)
    except ImportRefused:
        raise
    except Exception as error:  # openpyxl raises many kinds of error on a damaged workbook
        raise ImportRefused("import.xlsx_unreadable") from error
    if table is None:
        raise ImportRefused("import.empty")
    return table


def _read_workbook(data: bytes) -> ParsedFile | None:
    import warnings

    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    try:
        sheets = [sheet for sheet in book.worksheets if hasattr(sheet, "iter_rows")]
        chosen = None
        for sheet in sheets:
            sheet.reset_dimensions()  # some exports claim A1:XFD1048576; read the cells that are there
            head = []
            for record in _numbered(sheet.iter_rows(values_only=True)):
                head.append(record[1])
                if len(head) == HEADER_SEARCH_ROWS:
                    break
            if any(len(recognise(cells)) >= MIN_RECOGNISED for cells in head):
                chosen = sheet
                break
            if chosen is None and head:
                chosen = sheet  # no recognisable header anywhere: the first sheet with data
        if chosen is None:
            return None
        return _table(_numbered(chosen.iter_rows(values_only=True)), "xlsx", sheet=chosen.title)
    finally:
        book.close()


# --- checking ------------------------------------------------------------------------------------------


def _shown(value: str) -> str:
    return value if len(value) <= MAX_SHOWN else value[: MAX_SHOWN - 1] + "…"


def _yes_no(value: str) -> bool | None:
    lowered = value.strip().casefold()
    if lowered in YES:
        return True
    if lowered in NO:
        return False
    return None


def _clean_mapping(
    mapping: dict, headers: list[str], errors: list[Problem]
) -> tuple[dict[int, str], dict[str, int]]:
    """A user's mapping checked: known columns and fields, no field twice. Returns (mapping, field->col)."""
    clean: dict[int, str] = {}
    column_of: dict[str, int] = {}
    for key, name in mapping.items():
        if name is None or name == "":
            continue
        try:
            index = int(key)
        except (TypeError, ValueError):
            index = -1
        if not 0 <= index < len(headers):
            errors.append(Problem(None, None, t("import.mapping_bad_column", number=_shown(str(key)))))
            continue
        header = _shown(headers[index]) or t("import.column_number", number=index + 1)
        if name not in FIELDS:
            message = t("import.mapping_bad_field", field=_shown(str(name)), header=header)
            errors.append(Problem(None, headers[index] or header, message))
            continue
        clean[index] = name
    for index in sorted(clean):
        name = clean[index]
        if name in column_of:
            first = column_of[name]
            errors.append(
                Problem(
                    None,
                    name,
                    t(
                        "import.mapping_twice",
                        first=_shown(headers[first]) or t("import.column_number", number=first + 1),
                        second=_shown(headers[index]) or t("import.column_number", number=index + 1),
                        label=field_label(name),
                    ),
                )
            )
        else:
            column_of[name] = index
    return clean, column_of


@paused
def validate(parsed: ParsedFile, mapping: dict[int, str] | None = None) -> ImportPlan:
    """Check every row against the contract; `mapping` (from the UI) replaces the recognised columns."""
    headers = [str(header).strip() for header in parsed.headers]
    errors: list[Problem] = []
    warnings: list[Problem] = []
    from_user = mapping is not None
    if mapping is None:
        mapping = recognise(headers)
        column_of = {name: index for index, name in mapping.items()}
    else:
        mapping, column_of = _clean_mapping(mapping, headers, errors)

    _check_columns(parsed, headers, mapping, column_of, from_user, warnings)
    for name in REQUIRED:
        if name not in column_of:
            errors.append(
                Problem(None, name, t("import.missing_column", label=field_label(name), field=name))
            )
    if not parsed.rows:
        errors.append(Problem(None, None, t("import.no_rows")))

    header_of = {name: _shown(headers[index]) or field_label(name) for name, index in column_of.items()}
    students: list[StudentRow] = []
    seen: dict[str, tuple[int, int]] = {}
    fast = _FastRows(column_of)
    for number, cells in enumerate(parsed.rows, start=1):
        student = fast.row(number, cells, seen)
        if student is None:  # a row with a problem (or one that may have one): every check, in order
            line = _line_of(parsed, number)
            student = _check_row(number, line, cells, column_of, header_of, seen, errors, warnings)
        elif student.leerlingnummer:
            seen[student.leerlingnummer] = (number, _line_of(parsed, number))
        students.append(student)
    return ImportPlan(students=students, errors=errors, warnings=warnings, mapping=mapping, headers=headers)


def _line_of(parsed: ParsedFile, number: int) -> int:
    return parsed.lines[number - 1] if len(parsed.lines) >= number else parsed.header_line + number


class _FastRows:
    """The common case without per-row overhead: a row without any problem becomes a `StudentRow` here.

    `row()` returns None when the row has (or may have) a problem: then `_check_row` checks it again with
    every message, so errors and warnings are exactly those of the full check and in its order. The
    tests here are therefore allowed to be stricter than the full check, never looser.
    """

    def __init__(self, column_of: dict[str, int]) -> None:
        self.indexes = [column_of.get(name) for name in FIELDS]
        self.width = max((i for i in self.indexes if i is not None), default=-1) + 1
        self.required = [FIELDS.index(name) for name in REQUIRED if name in column_of]
        self.limits = [(FIELDS.index(name), limit) for name, limit in MAX_LENGTH.items() if name in column_of]
        self.shortest = min(MAX_LENGTH.values())
        self.slots = [
            tuple(FIELDS.index(f"ouder{slot}_{part}") for part in GUARDIAN_PARTS) for slot in GUARDIAN_SLOTS
        ]
        self.apart = FIELDS.index("apart_informeren")
        self.number = FIELDS.index("leerlingnummer")

    def row(self, number: int, cells: list[str], seen: dict[str, tuple[int, int]]) -> StudentRow | None:
        if len(cells) < self.width:
            return None
        v = ["" if i is None else cells[i].strip() for i in self.indexes]
        for pos in self.required:
            if not v[pos]:
                return None
        if max(map(len, v)) > self.shortest:  # most rows: every cell shorter than the shortest limit
            for pos, limit in self.limits:
                if len(v[pos]) > limit:
                    return None
        if v[self.number] in seen:
            return None
        guardians = []
        for naam, relatie, email, telefoon, taal, tolk in self.slots:
            if not v[naam]:
                if v[relatie] or v[email] or v[telefoon] or v[taal] or v[tolk]:
                    return None
                continue
            if v[email] and not EMAIL.fullmatch(v[email]):
                return None
            tolk_nodig = _yes_no_fast(v[tolk])
            if tolk_nodig is _BAD:
                return None
            guardians.append(GuardianRow(v[naam], v[email], v[telefoon], v[taal], tolk_nodig, v[relatie]))
        apart = _yes_no_fast(v[self.apart])
        if apart is _BAD:
            return None
        return StudentRow(number, *v[:6], guardians, apart)


_BAD = object()


def _yes_no_fast(value: str) -> bool | None | object:
    """None for an empty cell, True/False for a known answer, `_BAD` otherwise."""
    if not value:
        return None
    lowered = value.casefold()
    if lowered in YES:
        return True
    if lowered in NO:
        return False
    return _BAD


def _check_row(
    number: int,
    line: int,
    cells: list[str],
    column_of: dict[str, int],
    header_of: dict[str, str],
    seen: dict[str, tuple[int, int]],
    errors: list[Problem],
    warnings: list[Problem],
) -> StudentRow:
    """Every check of one row, with its messages (errors and warnings are appended in order)."""
    where = t("import.where_row", row=number, line=line)

    def value(name: str) -> str:
        index = column_of.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def problem(name: str, key: str, **values: object) -> Problem:
        return Problem(number, name, t(key, where=where, header=header_of.get(name, name), **values))

    def check_length(name: str, text: str) -> None:
        limit = MAX_LENGTH.get(name)
        if limit is not None and len(text) > limit:
            errors.append(problem(name, "import.too_long", length=len(text), limit=limit))

    def check_yes_no(name: str) -> bool | None:
        if not value(name).strip():
            return None  # column absent or cell empty: unknown, so an import never switches it off
        answer = _yes_no(value(name))
        if answer is None:
            errors.append(problem(name, "import.bad_yes_no", value=_shown(value(name))))
            return False
        return answer

    for name in REQUIRED:
        if name in column_of and not value(name):
            errors.append(problem(name, "import.empty_required", label=field_label(name)))
    for name in STUDENT_FIELDS:
        check_length(name, value(name))
    number_text = value("leerlingnummer")
    if number_text:
        if number_text in seen:
            first_row, first_line = seen[number_text]
            errors.append(
                problem(
                    "leerlingnummer",
                    "import.duplicate_number",
                    value=_shown(number_text),
                    first_row=first_row,
                    first_line=first_line,
                )
            )
        else:
            seen[number_text] = (number, line)

    guardians = []
    for slot in GUARDIAN_SLOTS:
        names = {part: f"ouder{slot}_{part}" for part in GUARDIAN_PARTS}
        naam = value(names["naam"])
        if not naam:
            if any(value(names[part]) for part in GUARDIAN_PARTS):
                warnings.append(problem(names["naam"], "import.guardian_without_name", n=slot))
            continue
        for part in GUARDIAN_PARTS:
            check_length(names[part], value(names[part]))
        email = value(names["email"])
        if email and not EMAIL.fullmatch(email):
            errors.append(problem(names["email"], "import.bad_email", value=_shown(email)))
        guardians.append(
            GuardianRow(
                naam=naam,
                email=email,
                telefoon=value(names["telefoon"]),
                taal=value(names["taal"]),
                tolk_nodig=check_yes_no(names["tolk_nodig"]),
                relatie=value(names["relatie"]),
            )
        )
    return StudentRow(
        row=number,
        leerlingnummer=number_text,
        roepnaam=value("roepnaam"),
        tussenvoegsel=value("tussenvoegsel"),
        achternaam=value("achternaam"),
        klas=value("klas"),
        mentor=value("mentor"),
        guardians=guardians,
        apart_informeren=check_yes_no("apart_informeren"),
    )


def _check_columns(
    parsed: ParsedFile,
    headers: list[str],
    mapping: dict[int, str],
    column_of: dict[str, int],
    from_user: bool,
    warnings: list[Problem],
) -> None:
    """A warning for every column Stip does not use (unknown, a second column for a field, no name)."""
    for index, header in enumerate(headers):
        if index in mapping:
            continue
        if not header:
            if any(index < len(cells) and cells[index].strip() for cells in parsed.rows):
                label = t("import.column_number", number=index + 1)
                warnings.append(Problem(None, label, t("import.unnamed_column", number=index + 1)))
            continue
        shown = _shown(header)
        if from_user:
            warnings.append(Problem(None, header, t("import.column_not_used", header=shown)))
            continue
        hit = _LOOKUP.get(normalise_header(header))
        if hit is not None and hit[0] in column_of:
            used = _shown(headers[column_of[hit[0]]])
            message = t("import.duplicate_header", header=shown, used=used, label=field_label(hit[0]))
            warnings.append(Problem(None, header, message))
        else:
            warnings.append(Problem(None, header, t("import.unknown_column", header=shown)))


def parse(data: bytes, mapping: dict[int, str] | None = None) -> ImportPlan:
    """Read and check an uploaded class list; raises only ImportRefused."""
    return validate(read_table(data), mapping)
