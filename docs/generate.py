"""Write the generated reference pages (`make docs`); tests keep them equal to the program.

- docs/cli.md from the real `--help` of every command;
- docs/import.md from the headers the class-list import recognises (`stip.imports.ALIASES`).
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMMANDS = [
    "",
    "serve",
    "deelnemen",
    "demo",
    "status",
    "import",
    "retention",
    "export",
    "sessie",
    "sessie start",
    "sessie resultaten",
    "sessie sluit",
]
CLI_HEAD = """# Command line: `python -m stip`

Generated from the real `--help` by `make docs` (`docs/generate.py`); `tests/unit/test_foundation.py`
fails when this page and the program disagree. Wrong usage exits with 2 and a Dutch message.
"""
IMPORT_HEAD = """# Class lists: the columns Stip recognises

Generated from `stip/imports.py` by `make docs` (`docs/generate.py`); a test keeps it current.

`python -m stip import FILE` and the workbook `Klassen.ipynb` read CSV (UTF-8 with or without BOM,
Windows-1252; `,` `;` or TAB; Excel's `sep=` line) and Excel `.xlsx` (the first sheet with recognisable
headers; the header row may be one of the first ten rows). Headers match whatever their case, accents,
spaces or punctuation (`Tussenv.` = `tussenvoegsel`). Unknown columns are ignored with a warning; in the
workbook a column can be mapped by hand. Required: leerlingnummer, roepnaam, achternaam, klas. A guardian
exists when its name is filled. Files above 5 MB, and files that are not a table (checked by content, not
by extension), are refused. Everything is stored exactly as text: a value like `=HYPERLINK(…)` is a name
like any other and is never evaluated.

| field | headers recognised |
|---|---|
"""


def cli_page() -> str:
    parts = [CLI_HEAD]
    for command in COMMANDS:
        args = [sys.executable, "-m", "stip", *command.split(), "--help"]  # "sessie start": two words
        out = subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip()
        title = f"python -m stip {command}".strip()
        parts.append(f"## `{title}`\n\n```\n{out}\n```\n")
    return "\n".join(parts)


def import_page() -> str:
    from stip.imports import ALIASES

    rows = []
    for field, aliases in ALIASES.items():
        rows.append(f"| `{field}` | {', '.join(f'`{alias}`' for alias in aliases)} |")
    return IMPORT_HEAD + "\n".join(rows) + "\n"


PAGES = {"cli.md": cli_page, "import.md": import_page}


def main() -> None:
    for name, build in PAGES.items():
        (HERE / name).write_text(build(), encoding="utf-8")


if __name__ == "__main__":
    main()
