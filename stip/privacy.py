"""Privacy of the class lists (DESIGN §8): inzage, deletion, retention and pseudonymised exports.

Every function takes the caller's `Connection` (one transaction per user action) and the acting
`Actor`; every query is scoped to `actor.school_id`. The inzage walks `tables.metadata`, so a table
added later with a `student_id` column is covered without code changes.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import UTC, date, datetime
from html import escape
from typing import Any

from sqlalchemy import Connection, Table, delete, exists, func, or_, select, update

from stip import timefmt
from stip.i18n import t
from stip.klassen import full_name
from stip.records import plain as _plain
from stip.schools import Actor, find_student
from stip.store import tables as T

AFGESCHERMD_FIELDS = ("email", "telefoon")
RETENTION_MIN, RETENTION_MAX = 1, 120
PSEUDONYM_PREFIX = "L-"
PSEUDONYM_LENGTH = 12


class StudentNotFound(LookupError):
    """No student with this id in the actor's school."""

    message_key = "privacy.student_not_found"


class GuardianNotLinked(LookupError):
    """An inzage for a parent who is not linked to this student."""

    message_key = "privacy.guardian_not_linked"


class RetentionInvalid(ValueError):
    """The retention period must be a whole number of months from 1 to 120."""

    message_key = "privacy.retention_invalid"


# ---------------------------------------------------------------------------------------------- helpers


def _row(mapping: Any) -> dict[str, Any]:
    return {key: _plain(value) for key, value in mapping.items()}


def _student_row(conn: Connection, actor: Actor, student_id: int) -> Any:
    row = find_student(conn, actor, student_id)
    if row is None:
        raise StudentNotFound(student_id)
    return row


def student_tables() -> list[tuple[Table, list]]:
    """Every table holding rows about a student, with the columns that point at the student.

    That is every table with a `student_id` column, plus any other column referring to `student.id`
    (e.g. `sibling_link.sibling_id`), so a link is found from both sides.
    """
    found = []
    for table in T.metadata.sorted_tables:
        if table is T.student:
            continue
        columns = [
            column
            for column in table.columns
            if column.name == "student_id"
            or any(fk.column.table is T.student and fk.column.name == "id" for fk in column.foreign_keys)
        ]
        if columns:
            found.append((table, columns))
    return found


def _plural(table: Table) -> str:
    return T.PLURAL.get(table.name, table.name)


# ---------------------------------------------------------------------------------------------- inzage


def inzage(conn: Connection, actor: Actor, student_id: int, for_guardian_id: int | None = None) -> dict:
    """Everything Stip holds about one student, JSON-serialisable (AVG right of access).

    With `for_guardian_id` the inzage is for that parent: the contact details (e-mail, telefoon) of
    the other guardians with `contact_afgeschermd` are replaced by "afgeschermd" (DESIGN §8).
    """
    student = _student_row(conn, actor, student_id)
    school_name = conn.execute(select(T.school.c.name).where(T.school.c.id == actor.school_id)).scalar_one()

    klas_name = mentor_name = None
    if student["klas_id"] is not None:
        klas_row = conn.execute(
            select(T.klas.c.name, T.staff_member.c.naam)
            .select_from(T.klas)
            .outerjoin(T.staff_member, T.staff_member.c.id == T.klas.c.mentor_id)
            .where(T.klas.c.id == student["klas_id"], T.klas.c.school_id == actor.school_id)
        ).one_or_none()
        if klas_row is not None:
            klas_name, mentor_name = klas_row

    guardian_rows = (
        conn.execute(
            select(
                T.guardian,
                T.student_guardian.c.relatie,
                T.student_guardian.c.apart_informeren,
            )
            .join(T.student_guardian, T.student_guardian.c.guardian_id == T.guardian.c.id)
            .where(
                T.student_guardian.c.student_id == student_id,
                T.guardian.c.school_id == actor.school_id,
            )
            .order_by(T.guardian.c.id)
        )
        .mappings()
        .all()
    )
    if for_guardian_id is not None and for_guardian_id not in {row["id"] for row in guardian_rows}:
        raise GuardianNotLinked(for_guardian_id)
    guardians = []
    for row in guardian_rows:
        guardian = _row(row)
        if for_guardian_id is not None and row["id"] != for_guardian_id and row["contact_afgeschermd"]:
            for field in AFGESCHERMD_FIELDS:
                guardian[field] = t("privacy.afgeschermd")
        guardians.append(guardian)

    link = T.sibling_link
    sibling_ids = {
        other
        for first, second in conn.execute(
            select(link.c.student_id, link.c.sibling_id).where(
                or_(link.c.student_id == student_id, link.c.sibling_id == student_id)
            )
        ).all()
        for other in (first, second)
        if other != student_id
    }
    siblings = []
    if sibling_ids:
        siblings = [
            {"id": row.id, "naam": full_name(row.roepnaam, row.tussenvoegsel, row.achternaam)}
            for row in conn.execute(
                select(
                    T.student.c.id, T.student.c.roepnaam, T.student.c.tussenvoegsel, T.student.c.achternaam
                )
                .where(T.student.c.id.in_(sibling_ids), T.student.c.school_id == actor.school_id)
                .order_by(T.student.c.id)
            ).all()
        ]

    records: dict[str, list[dict[str, Any]]] = {}
    for table, columns in student_tables():
        rows = conn.execute(
            select(table)
            .where(or_(*(column == student_id for column in columns)))
            .order_by(*table.primary_key.columns)
        ).mappings()
        records[_plural(table)] = [_row(row) for row in rows]

    student_data = {
        "naam": full_name(student["roepnaam"], student["tussenvoegsel"], student["achternaam"]),
        **_row(student),
    }
    student_data["klas"] = klas_name
    student_data["mentor"] = mentor_name
    for_guardian = None
    if for_guardian_id is not None:
        for_guardian = next(g["naam"] for g in guardians if g["id"] == for_guardian_id)
    return {
        "school": school_name,
        "generated_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "for_guardian_id": for_guardian_id,
        "for_guardian": for_guardian,
        "student": student_data,
        "guardians": guardians,
        "siblings": siblings,
        "records": records,
    }


# Dutch labels for known columns and tables; unknown ones (later tables) show their own name.
FIELD_KEYS = {
    "id": "privacy.field_id",
    "school_id": "privacy.field_school_id",
    "leerlingnummer": "privacy.field_leerlingnummer",
    "naam": "privacy.field_naam",
    "roepnaam": "privacy.field_roepnaam",
    "tussenvoegsel": "privacy.field_tussenvoegsel",
    "achternaam": "privacy.field_achternaam",
    "klas": "privacy.field_klas",
    "klas_id": "privacy.field_klas_id",
    "mentor": "privacy.field_mentor",
    "left_on": "privacy.field_left_on",
    "missing_since": "privacy.field_missing_since",
    "email": "privacy.field_email",
    "telefoon": "privacy.field_telefoon",
    "taal": "privacy.field_taal",
    "tolk_nodig": "privacy.field_tolk_nodig",
    "voorkeurskanaal": "privacy.field_voorkeurskanaal",
    "gezag": "privacy.field_gezag",
    "contact_afgeschermd": "privacy.field_contact_afgeschermd",
    "relatie": "privacy.field_relatie",
    "apart_informeren": "privacy.field_apart_informeren",
    "student_id": "privacy.field_student_id",
    "guardian_id": "privacy.field_guardian_id",
    "sibling_id": "privacy.field_sibling_id",
    "confirmed_by": "privacy.field_confirmed_by",
    "author_id": "privacy.field_author_id",
    "created_at": "privacy.field_created_at",
    "updated_at": "privacy.field_updated_at",
    "version": "privacy.field_version",
    "ouder": "privacy.field_ouder",
    "broer_zus": "privacy.field_broer_zus",
    "kind": "privacy.field_kind",
    "invited_at": "privacy.field_invited_at",
    "invited_via": "privacy.field_invited_via",
    "held_on": "privacy.field_held_on",
    "present": "privacy.field_present",
    "shared_goal": "privacy.field_shared_goal",
    "collective_info": "privacy.field_collective_info",
    "collective_info_when": "privacy.field_collective_info_when",
    "buddy": "privacy.field_buddy",
    "notes": "privacy.field_notes",
    "wat": "privacy.field_wat",
    "wie": "privacy.field_wie",
    "wanneer": "privacy.field_wanneer",
    "status": "privacy.field_status",
    "evaluatie": "privacy.field_evaluatie",
    "vormen": "privacy.field_vormen",
    "momenten": "privacy.field_momenten",
    "frequentie": "privacy.field_frequentie",
    "initiatief": "privacy.field_initiatief",
    "review_on": "privacy.field_review_on",
    "positief": "privacy.field_positief",
    "vragen": "privacy.field_vragen",
    "sent_at": "privacy.field_sent_at",
}
TABLE_KEYS = {
    "student_guardians": "privacy.table_student_guardians",
    "sibling_links": "privacy.table_sibling_links",
    "conversations": "privacy.table_conversations",
    "afspraken": "privacy.table_afspraken",
    "communicatieplannen": "privacy.table_communicatieplannen",
    "gouden_mails": "privacy.table_gouden_mails",
}
# Internal numbers and bookkeeping a parent cannot use: left out of the inzage page (the JSON keeps them).
HIDDEN_FIELDS = {"id", "version", "confirmed_by"}
# Terugblikken (issue 15): every reflection about the student, also a private one (docs/decisions.md).
FIELD_KEYS.update(
    {
        "handelen": "reflectie.field_handelen",
        "terugblikken": "reflectie.field_terugblikken",
        "essentie": "reflectie.field_essentie",
        "alternatieven": "reflectie.field_alternatieven",
        "uitproberen": "reflectie.field_uitproberen",
        "voornemen": "reflectie.field_voornemen",
        "voornemen_geprobeerd": "reflectie.field_geprobeerd",
        "shared": "reflectie.field_shared",
    }
)
TABLE_KEYS["reflections"] = "reflectie.table_reflections"
WIDE_TABLE_COLUMNS = 9  # records with more fields are shown as one small table each (WIDE_TABLE)

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; color: #1a1a1a;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 2px solid #2b6a8e; padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
p.meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .95rem; }
th, td { border: 1px solid #bbb; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #eef3f6; }
table.fields th { width: 30%; }
.empty { color: #666; font-style: italic; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; }
  table, tr { break-inside: avoid; }
  th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


# Contacts, agreements and the agenda (issue 15 §2–4): contact moments and what became of due items.
FIELD_KEYS.update(
    {
        "happened_on": "contacten.field_happened_on",
        "kanaal": "contacten.field_kanaal",
        "toon": "contacten.field_toon",
        "regel": "contacten.field_regel",
        "conversation_id": "contacten.field_conversation_id",
        "school_year_id": "contacten.field_school_year_id",
        "eigenaar": "afspraken.field_eigenaar",
        "geholpen": "afspraken.field_geholpen",
        "vervolg": "afspraken.field_vervolg",
        "evaluated_on": "afspraken.field_evaluated_on",
        "source": "agenda.field_source",
        "source_id": "agenda.field_source_id",
        "due_on": "agenda.field_due_on",
        "moved_to": "agenda.field_moved_to",
        "reason": "agenda.field_reason",
        "contact_moment_id": "agenda.field_contact_moment_id",
    }
)
TABLE_KEYS["contact_moments"] = "contacten.table_contact_moments"
TABLE_KEYS["agenda_items"] = "agenda.table_agenda_items"
# The communicatieplan op maat (issue 15 §1): what the student needs, the pattern, and each plan_moment
# shown as the mentor typed it ("na rapport 1") instead of its stored kind and value.
FIELD_KEYS.update(
    {
        "behoefte": "communicatieplan.field_behoefte",
        "patroon": "communicatieplan.field_patroon",
        "leerling_erbij": "communicatieplan.field_leerling_erbij",
        "moment": "communicatieplan.field_moment",
        "vorm": "communicatieplan.field_vorm",
    }
)
TABLE_KEYS["plan_moments"] = "communicatieplan.table_plan_moments"
# Moeilijk gesprek (issue 16): the preparation, and its answers one row per field (the field in words).
FIELD_KEYS.update(
    {
        "soort": "moeilijk.field_soort",
        "gedeeld": "moeilijk.field_gedeeld",
        "veld": "moeilijk.field_veld",
        "waarde": "moeilijk.field_waarde",
    }
)
TABLE_KEYS["voorbereidingen"] = "moeilijk.table_voorbereidingen"
TABLE_KEYS["voorbereiding_antwoorden"] = "moeilijk.table_voorbereiding_antwoorden"
PLAN_MOMENT_HIDDEN = {"kind", "value", "position"}  # plan_moment: shown as one readable "moment"
AGENDA_SOURCE_KEYS = {
    "moment": "agenda.source_moment",
    "afspraak": "agenda.source_afspraak",
    "review": "agenda.source_review",
}


def _label(field: str) -> str:
    key = FIELD_KEYS.get(field)
    return t(key) if key else field


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?")


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return t("privacy.yes") if value else t("privacy.no")
    if isinstance(value, str) and ISO_MOMENT.fullmatch(value):
        # "2026-11-24T06:05:32+00:00" -> "24-11-2026 07:05" (stored timestamps are UTC, shown at school)
        return timefmt.format_datetime(datetime.fromisoformat(value))
    if isinstance(value, str) and ISO_DAY.fullmatch(value):
        return timefmt.format_date(date.fromisoformat(value))
    return str(value)


def _element(tag: str, text: str, css_class: str | None = None) -> str:
    """`<tag>text</tag>` with the text escaped."""
    attribute = f' class="{css_class}"' if css_class else ""
    return f"<{tag}{attribute}>{escape(text)}</{tag}>"


def _shown(field: str) -> bool:
    return field not in HIDDEN_FIELDS and not field.endswith("_id")


def _readable(values: dict[str, Any], data: dict) -> dict[str, Any]:
    """`values` as a parent reads them: internal numbers left out, a linked parent or brother or sister by
    name, the chosen questions as their text, who was present and lists as plain words."""
    from stip import gouden_mail

    guardians = {g.get("id"): g.get("naam") for g in data.get("guardians", [])}
    siblings = {s["id"]: s["naam"] for s in data.get("siblings", [])}
    questions = {q["id"]: q["text"] for q in gouden_mail.question_bank()}
    student_id = data.get("student", {}).get("id")
    shown: dict[str, Any] = {}
    if "guardian_id" in values:
        shown["ouder"] = guardians.get(values["guardian_id"])
    if "sibling_id" in values:
        other = values["sibling_id"] if values["sibling_id"] != student_id else values.get("student_id")
        shown["broer_zus"] = siblings.get(other)
    plan_moment = "communicatieplan_id" in values and "kind" in values
    if plan_moment:  # a plan_moment row: "na rapport 1", not kind "na_rapport" and value "1"
        from stip.moments import moment_label

        shown["moment"] = moment_label(values["kind"], values.get("value") or "")
    for field, value in values.items():
        if not _shown(field) or (plan_moment and field in PLAN_MOMENT_HIDDEN):
            continue
        if field == "vragen" and isinstance(value, list):
            value = [questions.get(item, item) for item in value]
        elif field == "present" and isinstance(value, dict):
            value = _present(value, guardians)
        elif field == "source" and value in AGENDA_SOURCE_KEYS:  # an agenda item: what was due
            value = t(AGENDA_SOURCE_KEYS[value])
        elif field == "veld" and "voorbereiding_id" in values:  # a preparation's answer: its label
            from stip.moeilijk_gesprek import field_label

            value = field_label(value)
        shown[field] = value
    if values.get("veld") == "vervolg_afspraak" and "voorbereiding_id" in values:  # a number: say where
        shown["waarde"] = t("privacy.follow_up_in_afspraken")
    return shown


def _present(present: dict[str, Any], guardians: dict[Any, Any]) -> list[str]:
    """Who was at the talk, in words: the student, the parents by name, an interpreter."""
    people = [t("privacy.present_student")] if present.get("student") else []
    people += [str(guardians.get(g, "")) for g in present.get("guardians", []) if guardians.get(g)]
    if present.get("tolk"):
        people.append(t("privacy.present_tolk"))
    if present.get("anderen"):  # a moeilijk gesprek: who else was there, as the mentor wrote it
        people.append(str(present["anderen"]))
    return people


def _value(value: Any) -> str:
    """One cell: a list as words separated by commas, never `[]`, `{}` or a quoted list."""
    if isinstance(value, list | tuple):
        return ", ".join(_value(item) for item in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{_label(k)}: {_value(v)}" for k, v in value.items()) or "—"
    return _text(value)


def _fields_table(values: dict[str, Any], data: dict) -> str:
    rows = "".join(
        f'<tr><th scope="row">{escape(_label(field))}</th><td>{escape(_value(value))}</td></tr>'
        for field, value in _readable(values, data).items()
    )
    return f'<table class="fields">{rows}</table>'


def _rows_table(rows: list[dict[str, Any]], data: dict) -> str:
    if not rows:
        return _element("p", t("privacy.no_rows"), "empty")
    rows = [_readable(row, data) for row in rows]
    columns: list[str] = []
    for row in rows:
        columns.extend(column for column in row if column not in columns)
    if len(columns) > WIDE_TABLE_COLUMNS:  # too wide for a page (a reflection): one small table per record
        cell = '<tr><th scope="row">{}</th><td>{}</td></tr>'
        return "".join(
            '<table class="fields">'
            + "".join(cell.format(escape(_label(c)), escape(_value(row.get(c)))) for c in columns)
            + "</table>"
            for row in rows
        )
    head = "".join(f'<th scope="col">{escape(_label(column))}</th>' for column in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(_value(row.get(column)))}</td>" for column in columns) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def inzage_html(data: dict) -> str:
    """The inzage as one self-contained, printable Dutch HTML document; every value escaped."""
    student = data["student"]
    title = t("privacy.inzage_title", naam=_text(student.get("naam")))
    meta = t("privacy.inzage_meta", school=_text(data.get("school")), moment=_text(data.get("generated_at")))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="nl">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        _element("title", title),
        f"<style>{STYLE}</style>",
        "</head><body>",
        _element("h1", title),
        _element("p", meta, "meta"),
        _element("p", t("privacy.inzage_intro")),
    ]
    if data.get("for_guardian") is not None:
        parts.append(_element("p", t("privacy.inzage_for_guardian", naam=data["for_guardian"])))

    parts.append(_element("h2", t("privacy.section_student")))
    parts.append(_fields_table(student, data))

    parts.append(_element("h2", t("privacy.section_guardians")))
    if not data["guardians"]:
        parts.append(_element("p", t("privacy.no_guardians"), "empty"))
    for guardian in data["guardians"]:
        parts.append(_element("h3", _text(guardian.get("naam"))))
        parts.append(_fields_table(guardian, data))

    parts.append(_element("h2", t("privacy.section_siblings")))
    if data["siblings"]:
        items = "".join(_element("li", _text(sibling["naam"])) for sibling in data["siblings"])
        parts.append(f"<ul>{items}</ul>")
    else:
        parts.append(_element("p", t("privacy.no_siblings"), "empty"))

    parts.append(_element("h2", t("privacy.section_records")))
    parts.append(_element("p", t("privacy.records_intro")))
    for name, rows in data["records"].items():
        key = TABLE_KEYS.get(name)
        parts.append(_element("h3", t(key) if key else name))
        parts.append(_rows_table(rows, data))
    parts.append("</body></html>")
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------- deletion


def delete_student(conn: Connection, actor: Actor, student_id: int) -> None:
    """Remove the student and everything about them, then their guardians who have no student left."""
    _student_row(conn, actor, student_id)
    guardian_ids = list(
        conn.execute(
            select(T.student_guardian.c.guardian_id).where(T.student_guardian.c.student_id == student_id)
        ).scalars()
    )
    conn.execute(
        delete(T.student).where(T.student.c.id == student_id, T.student.c.school_id == actor.school_id)
    )
    if guardian_ids:
        still_linked = exists().where(T.student_guardian.c.guardian_id == T.guardian.c.id)
        conn.execute(
            delete(T.guardian).where(
                T.guardian.c.id.in_(guardian_ids),
                T.guardian.c.school_id == actor.school_id,
                ~still_linked,
            )
        )


# ---------------------------------------------------------------------------------------------- retention


def months_before(day: date, months: int) -> date:
    """`day` minus `months` calendar months, clamped to the month's end (31 March - 1 = 28/29 Feb)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    next_first = date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_first - date.resolution).day
    return date(year, month, min(day.day, last_day))


def retention_months(conn: Connection, actor: Actor) -> int:
    return conn.execute(
        select(T.school.c.retention_months).where(T.school.c.id == actor.school_id)
    ).scalar_one()


def set_retention_months(conn: Connection, actor: Actor, months: int) -> None:
    """Keep students who left for `months` months (1–120) after their leaving date."""
    valid = isinstance(months, int) and not isinstance(months, bool)
    if not valid or not RETENTION_MIN <= months <= RETENTION_MAX:
        raise RetentionInvalid(months)
    conn.execute(
        update(T.school)
        .where(T.school.c.id == actor.school_id)
        .values(retention_months=months, version=T.school.c.version + 1, updated_at=func.now())
    )


def retention_candidates(conn: Connection, actor: Actor, today: date) -> list[dict]:
    """Students who left more than the school's retention period before `today`, oldest first."""
    cutoff = months_before(today, retention_months(conn, actor))
    rows = conn.execute(
        select(
            T.student.c.id,
            T.student.c.leerlingnummer,
            *T.STUDENT_NAME,
            T.student.c.left_on,
        )
        .where(
            T.student.c.school_id == actor.school_id,
            T.student.c.left_on.is_not(None),
            T.student.c.left_on < cutoff,
        )
        .order_by(T.student.c.left_on, T.student.c.id)
    ).all()
    return [
        {
            "id": row.id,
            "leerlingnummer": row.leerlingnummer,
            "naam": full_name(row.roepnaam, row.tussenvoegsel, row.achternaam),
            "left_on": row.left_on.isoformat(),
        }
        for row in rows
    ]


def apply_retention(
    conn: Connection, actor: Actor, today: date, dry_run: bool, only: set[int] | None = None
) -> list[dict]:
    """The retention candidates; deleted (with everything about them) unless `dry_run`.

    `only`: the ids the user saw and confirmed; a candidate that was not shown is left alone.
    """
    candidates = [c for c in retention_candidates(conn, actor, today) if only is None or c["id"] in only]
    if not dry_run:
        for candidate in candidates:
            delete_student(conn, actor, candidate["id"])
    return candidates


# ---------------------------------------------------------------------------------------------- pseudonyms


def _pseudonym_secret(conn: Connection, actor: Actor) -> str:
    """The school's secret for pseudonyms, created on first use (and never shown)."""
    query = select(T.school.c.pseudonym_secret).where(T.school.c.id == actor.school_id)
    secret = conn.execute(query).scalar_one()
    if not secret:
        conn.execute(
            update(T.school)
            .where(T.school.c.id == actor.school_id, T.school.c.pseudonym_secret.is_(None))
            .values(pseudonym_secret=secrets.token_hex(32))
        )
        secret = conn.execute(query).scalar_one()
    return secret


def pseudonym(secret: str, student_id: int) -> str:
    digest = hmac.new(secret.encode("ascii"), str(student_id).encode("ascii"), hashlib.sha256).hexdigest()
    return PSEUDONYM_PREFIX + digest[:PSEUDONYM_LENGTH]


def pseudonymised_export(conn: Connection, actor: Actor) -> list[dict]:
    """One row per student for analysis: no names, e-mail, phone or leerlingnummer.

    Rows are sorted by pseudonym, so their order reveals neither names nor leerlingnummers.
    """
    secret = _pseudonym_secret(conn, actor)
    students = conn.execute(
        select(T.student.c.id, T.student.c.left_on, T.klas.c.name)
        .select_from(T.student)
        .outerjoin(T.klas, T.klas.c.id == T.student.c.klas_id)
        .where(T.student.c.school_id == actor.school_id)
    ).all()
    guardians: dict[int, list[tuple[str, bool]]] = {}
    for student_id, taal, tolk_nodig in conn.execute(
        select(T.student_guardian.c.student_id, T.guardian.c.taal, T.guardian.c.tolk_nodig)
        .join(T.guardian, T.guardian.c.id == T.student_guardian.c.guardian_id)
        .where(T.guardian.c.school_id == actor.school_id)
    ).all():
        guardians.setdefault(student_id, []).append((taal, bool(tolk_nodig)))
    rows = []
    for student_id, left_on, klas_name in students:
        linked = guardians.get(student_id, [])
        rows.append(
            {
                "pseudonym": pseudonym(secret, student_id),
                "klas": klas_name or "",
                "guardians": len(linked),
                "tolk_nodig": any(tolk for _taal, tolk in linked),
                "talen": ", ".join(sorted({taal for taal, _tolk in linked if taal})),
                "left": left_on is not None,
            }
        )
    return sorted(rows, key=lambda row: row["pseudonym"])
