"""Regenerate the byte-exact and binary files of this folder: `python tests/data/make_files.py`.

Text files written by hand (the other *.csv here) are not touched. The XLSX files are made with openpyxl;
their ZIP timestamps change on every run, their content does not.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXED = dt.datetime(2024, 8, 26, 9, 0, 0)


def klassenlijst_xlsx() -> bytes:
    """A first sheet without headers, then the class list with its header on row 3."""
    import openpyxl

    book = openpyxl.Workbook()
    book.properties.created = book.properties.modified = FIXED
    info = book.active
    info.title = "Toelichting"
    info["A1"] = "Export uit ParnasSys"
    info["A2"] = "Alleen voor gebruik door de mentor"
    sheet = book.create_sheet("Leerlingen")
    sheet["A1"] = "Klassenlijst groep 8A"
    sheet.append([])
    sheet.append(
        [
            "Leerlingnummer",
            "Roepnaam",
            "Tussenvoegsel",
            "Achternaam",
            "Groep",
            "Mentor",
            "Geboortedatum",
            "Naam ouder/verzorger 1",
            "E-mail ouder/verzorger 1",
            "Telefoon ouder/verzorger 1",
            "Tolk nodig ouder 1",
            "Naam verzorger 2",
        ]
    )
    sheet.append(
        [
            240101,
            "Sem",
            None,
            "Jansen",
            "8A",
            "Mw. De Vries",
            dt.date(2012, 5, 3),
            "Anja Jansen",
            "anja@voorbeeld.nl",
            "06-12345678",
            True,
            None,
        ]
    )
    sheet.append(
        [
            240102,
            "Noor",
            "van",
            "Dijk",
            "8A",
            "Mw. De Vries",
            dt.datetime(2012, 11, 30),
            "Karim van Dijk",
            None,
            612345678,
            False,
            '=HYPERLINK("http://voorbeeld.nl","klik")',
        ]
    )
    sheet.append([])
    sheet.append([240103.0, "Daan", None, "Öztürk", "8A", None, None, None, None, None, None, None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bytes(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=FIXED.timetuple()[:6]), content)
    return out.getvalue()


def png_bytes() -> bytes:
    """A real 2x2 red PNG."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def files() -> dict[str, bytes]:
    long_name = "Wilhelmina" * 20 + "x"  # 201 characters
    return {
        "leeg.csv": b"",
        "goed_puntkomma_bom.csv": (
            "\ufeffleerlingnummer;roepnaam;tussenvoegsel;achternaam;klas;ouder1_naam\r\n"
            "2001;Zoë;van der;Berg;1A;Inès van der Berg\r\n"
            "2002;Jesse;;Bakker;1A;\r\n"
        ).encode(),
        "windows1252.csv": (
            "leerlingnummer;roepnaam;achternaam;klas;ouder1_naam\r\n"
            "3001;Renée;Ëlberg;2B;Hélène Ëlberg\r\n"
            "3002;Chloë;Müller;2B;François Müller\r\n"
        ).encode("cp1252"),
        "unicode_tekst.txt": (
            "leerlingnummer\troepnaam\tachternaam\tklas\r\n4001\tSøren\tÅberg\t3C\r\n"
        ).encode("utf-16"),
        "te_lange_naam.csv": (
            "leerlingnummer,roepnaam,achternaam,klas\r\n"
            f"5001,{'a' * 200},Kort,1A\r\n"
            f"5002,Lotte,{long_name},1A\r\n"
        ).encode(),
        "klassenlijst.xlsx": klassenlijst_xlsx(),
        "zip_zonder_werkboek.xlsx": zip_bytes({"leesmij.txt": b"leerlingnummer;roepnaam\n1;Jan\n"}),
        "kapot_werkboek.xlsx": zip_bytes(
            {"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"geen xml <<<"}
        ),
        "geen_tabel.pdf": (
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 12 >>\n"
            b"stream\n\x00\x01\x02\xff\xfe\nendstream\nendobj\n%%EOF\n"
        ),
        "afbeelding.png": png_bytes(),
        "oud_excel.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 24
        + b"\x3e\x00\x03\x00\xfe\xff"
        + b"\x00" * 32,
    }


def main() -> None:
    for name, content in files().items():
        (HERE / name).write_bytes(content)


if __name__ == "__main__":
    main()
