"""Moeilijk gesprek (issue 16): a mentor prepares a difficult conversation with parents in ten steps.

A preparation (`voorbereiding`) belongs to one `conversation` of kind "moeilijk" and is private to its
author: the zorgcoördinator also reads it once the author shares it (`gedeeld`). That is a query filter
(`visible`), used by every read; only the author writes (`own`).

The answers are one row per field (`voorbereiding_antwoord`, unique on preparation and field), each with
its own version: two pages on one preparation that change different fields never overwrite each other,
and the same field changed on two pages is a `VersionConflict` ("Herladen"). `soort` is a column of the
preparation itself (versioned with the record). Every text is checked (`stip.validation`) before anything
is written; a refused field raises `MoeilijkGesprekError` with its `field`, so a form saves the others.

The status shown is derived: "concept" or "klaar" as the mentor set it; "gehouden" once the talk has a
date (`conversation.held_on`); "opgevolgd" when held and every agreement of the talk is evaluated.
The inzage and deletion of a student (stip/privacy.py) walk every table with a `student_id`, so both
tables are part of them.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import Column, Connection, String, and_, delete, false, func, insert, or_, select
from sqlalchemy.exc import IntegrityError

from stip import afspraken, content, klassen, timefmt
from stip.errors import UserError
from stip.i18n import t
from stip.schools import Actor
from stip.store import VersionConflict, update_versioned
from stip.store import tables as T
from stip.validation import check_text

__all__ = [
    "ANSWER_FIELDS",
    "SOORTEN",
    "STATUS",
    "MoeilijkGesprekError",
    "create",
    "get",
    "missing",
    "preparations",
    "record_talk",
    "save_answers",
    "set_follow_up",
    "set_status",
    "share",
    "texts",
]

V = T.voorbereiding
A = T.voorbereiding_antwoord
C = T.conversation

SOORTEN = ("gedrag", "verzuim", "resultaten", "welbevinden", "incident", "slecht_nieuws", "anders")
STATUS = ("concept", "klaar", "gehouden", "opgevolgd")
ZORG_ROLES = frozenset({"zorgcoördinator", "zorgcoordinator", "zorg"})
KIND = "moeilijk"

# Every answer field and its kind: "text" (a note, lines allowed), "line" (one line), a tuple of
# allowed choices ("" = not chosen), "date" (YYYY-MM-DD), "time" (HH:MM), "minutes".
CHOICES = {
    "aangevraagd_door": ("mentor", "ouders", "leerling", "collega", "zorg", "directie"),
    "leerling_gesproken": ("ja", "nee", "nog_niet"),
    "leerling_erbij": ("ja", "nee", "deels"),
    "tolk": ("ja", "nee"),
}
ANSWER_FIELDS: dict[str, Any] = {
    "soort_anders": "line",
    "aangevraagd_door": CHOICES["aangevraagd_door"],
    "feiten": "text",
    "interpretaties": "text",
    "leerling_gesproken": CHOICES["leerling_gesproken"],
    "leerling_herkent": "text",
    "leerling_nodig": "text",
    "leerling_erbij": CHOICES["leerling_erbij"],
    "vertrouwde_docent": "line",
    "kijk_leerling": "text",
    "kijk_ouders": "text",
    "kijk_school": "text",
    "zorgen_ouders": "text",
    "trots_ouders": "text",
    "emoties": "text",
    "begrip": "text",
    "positief_1": "text",
    "positief_2": "text",
    "positief_3": "text",
    "doel": "text",
    "niet_doel": "text",
    "gedeeld_doel": "text",
    "doel_cognitief": "text",
    "doel_sociaal_emotioneel": "text",
    "school_kan": "text",
    "school_kan_niet": "text",
    "betrokkenen": "text",
    "aanwezigen": "text",
    "tolk": CHOICES["tolk"],
    "tolk_taal": "line",
    "plaats": "line",
    "datum": "date",
    "tijd": "time",
    "duur": "minutes",
    "vragen": "text",
    "boodschap": "text",
    "vervolg": "text",
    "vervolg_afspraak": "id",  # the follow-up agreement's id (set by `set_follow_up`, not typed)
}
LINE = Column("line", String(T.NAME_LENGTH))  # the limit of a one-line answer (a name, a place)
TIME = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)")
MINUTES = (5, 240)


class MoeilijkGesprekError(UserError):
    """A user error with a Dutch catalog text; `field` names the form field when there is one."""


def texts() -> dict[str, Any]:
    """Steps, field labels and prompts, soorten and the sources (content/nl/moeilijk_gesprek.yaml)."""
    return content.load("moeilijk_gesprek")


def field_label(field: str) -> str:
    """The label of an answer field as the mentor saw it ("Feiten"), for the inzage; else the name."""
    for step in texts()["steps"]:
        spec = (step.get("fields") or {}).get(field)
        if spec:
            return spec.get("label", field)
    return {"vervolg_afspraak": t("moeilijk.field_vervolg_afspraak")}.get(field, field)


# ---------------------------------------------------------------------------------------------- filters


def visible(actor: Actor):
    """The preparations `actor` may read: in their school, their own, or shared when they are the
    zorgcoördinator."""
    shared = V.c.gedeeld.is_(True) if actor.role in ZORG_ROLES else false()
    return and_(V.c.school_id == actor.school_id, or_(V.c.author_id == actor.id, shared))


def own(actor: Actor):
    """The preparations `actor` wrote: the only ones they may change."""
    return and_(V.c.school_id == actor.school_id, V.c.author_id == actor.id)


def _own_row(conn: Connection, actor: Actor, voorbereiding_id: int):
    row = conn.execute(select(V).where(own(actor), V.c.id == voorbereiding_id)).mappings().first()
    if row is None:
        raise MoeilijkGesprekError("moeilijk.not_found")
    return row


# ---------------------------------------------------------------------------------------------- status


def derived_status(stored: str, held_on: date | None, agreements: int, open_agreements: int) -> str:
    """What the list shows: concept/klaar as set; gehouden when held; opgevolgd when held and every
    agreement (at least one) is evaluated."""
    if held_on is not None:
        return "opgevolgd" if agreements and not open_agreements else "gehouden"
    return stored if stored in ("concept", "klaar") else "concept"


def _agreement_counts():
    """(all, not yet evaluated) agreements of the preparation's conversation, as scalar subqueries."""
    a = T.afspraak.c
    total = select(func.count()).where(a.conversation_id == V.c.conversation_id).scalar_subquery()
    unevaluated = (
        select(func.count())
        .where(a.conversation_id == V.c.conversation_id, a.status == "open", a.geholpen == "")
        .scalar_subquery()
    )
    return total.label("agreements"), unevaluated.label("open_agreements")


# ---------------------------------------------------------------------------------------------- create/read


def create(conn: Connection, actor: Actor, student_id: int, soort: str = "") -> dict[str, Any]:
    """A new preparation (status concept) with its conversation of kind "moeilijk"; returns `get`."""
    if soort not in ("", *SOORTEN):
        raise MoeilijkGesprekError("moeilijk.choice_unknown", field="soort")
    if isinstance(student_id, bool) or not isinstance(student_id, int):
        raise MoeilijkGesprekError("moeilijk.student_not_found")
    student = conn.execute(
        select(T.student.c.id).where(T.student.c.id == student_id, T.student.c.school_id == actor.school_id)
    ).scalar()
    if student is None:
        raise MoeilijkGesprekError("moeilijk.student_not_found")
    conversation_id = conn.execute(
        insert(C).values(
            school_id=actor.school_id,
            student_id=student_id,
            school_year_id=actor.school_year_id,
            kind=KIND,
            author_id=actor.id,
        )
    ).inserted_primary_key[0]
    new_id = conn.execute(
        insert(V).values(
            school_id=actor.school_id,
            student_id=student_id,
            school_year_id=actor.school_year_id,
            conversation_id=conversation_id,
            soort=soort,
            status="concept",
            author_id=actor.id,
        )
    ).inserted_primary_key[0]
    return get(conn, actor, new_id)


def get(conn: Connection, actor: Actor, voorbereiding_id: object) -> dict[str, Any] | None:
    """One preparation the actor may read, or None: the record, `answers` and `versions` per field
    (`versions["soort"]` is the record's own version), the `student`, the `conversation`, its
    `afspraken`, the derived `status`, `mine` (whether the actor may change it) and the `context`
    for the flow and the sheet."""
    if isinstance(voorbereiding_id, bool) or not isinstance(voorbereiding_id, int):
        return None
    total, unevaluated = _agreement_counts()
    row = (
        conn.execute(
            select(
                V,
                total,
                unevaluated,
                C.c.held_on,
                C.c.present,
                C.c.version.label("conversation_version"),
                *T.STUDENT_NAME,
                T.klas.c.name.label("klas"),
                T.staff_member.c.naam.label("mentor"),
                T.staff_member.c.login.label("mentor_login"),
                T.school.c.name.label("school"),
            )
            .select_from(V)
            .join(C, C.c.id == V.c.conversation_id)
            .join(T.student, T.student.c.id == V.c.student_id)
            .outerjoin(T.klas, T.klas.c.id == T.student.c.klas_id)
            .outerjoin(T.staff_member, T.staff_member.c.id == V.c.author_id)
            .join(T.school, T.school.c.id == V.c.school_id)
            .where(visible(actor), V.c.id == voorbereiding_id)
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    answers: dict[str, str] = {}
    versions: dict[str, int] = {"soort": row["version"]}
    for veld, waarde, version in conn.execute(
        select(A.c.veld, A.c.waarde, A.c.version).where(A.c.voorbereiding_id == voorbereiding_id)
    ):
        answers[veld] = waarde
        versions[veld] = version
    answers["soort"] = row["soort"]
    agreements = [
        dict(r)
        for r in conn.execute(
            select(T.afspraak)
            .where(T.afspraak.c.conversation_id == row["conversation_id"])
            .order_by(T.afspraak.c.id)
        ).mappings()
    ]
    naam = klassen.full_name(row["roepnaam"], row["tussenvoegsel"], row["achternaam"])
    return {
        "id": row["id"],
        "student_id": row["student_id"],
        "conversation_id": row["conversation_id"],
        "soort": row["soort"],
        "stored_status": row["status"],
        "status": derived_status(row["status"], row["held_on"], row["agreements"], row["open_agreements"]),
        "gedeeld": bool(row["gedeeld"]),
        "version": row["version"],
        "author_id": row["author_id"],
        "mine": row["author_id"] == actor.id,
        "answers": answers,
        "versions": versions,
        "student": {
            "id": row["student_id"],
            "naam": naam,
            "roepnaam": row["roepnaam"],
            "klas": row["klas"] or "",
        },
        "conversation": {
            "id": row["conversation_id"],
            "held_on": row["held_on"],
            "present": row["present"] or {},
            "version": row["conversation_version"],
        },
        "afspraken": agreements,
        "context": {
            "student": naam,
            "roepnaam": row["roepnaam"],
            "klas": row["klas"] or "",
            # a name that is still the login ("root", "j.devries") is not a name to print on the sheet
            "mentor": row["mentor"] if row["mentor"] and row["mentor"] != row["mentor_login"] else "",
            "school": row["school"] or "",
            "soort": row["soort"],
            "tolk_taal": answers.get("tolk_taal", "") if answers.get("tolk") == "ja" else "",
            "datum": answers.get("datum", ""),
            "tijd": answers.get("tijd", ""),
            "plaats": answers.get("plaats", ""),
        },
    }


def preparations(conn: Connection, actor: Actor) -> list[dict[str, Any]]:
    """The preparations the actor may read (their own; shared ones for the zorgcoördinator), newest
    planned talk first, each with student, soort, derived status and the planned or held date. One
    statement, whatever the size of the school."""
    total, unevaluated = _agreement_counts()
    datum = (
        select(A.c.waarde)
        .where(A.c.voorbereiding_id == V.c.id, A.c.veld == "datum")
        .scalar_subquery()
        .label("datum")
    )
    rows = conn.execute(
        select(
            V.c.id,
            V.c.student_id,
            V.c.soort,
            V.c.status,
            V.c.gedeeld,
            V.c.author_id,
            V.c.updated_at,
            total,
            unevaluated,
            datum,
            C.c.held_on,
            *T.STUDENT_NAME,
            T.klas.c.name.label("klas"),
            T.staff_member.c.naam.label("author"),
        )
        .select_from(V)
        .join(C, C.c.id == V.c.conversation_id)
        .join(T.student, T.student.c.id == V.c.student_id)
        .outerjoin(T.klas, T.klas.c.id == T.student.c.klas_id)
        .outerjoin(T.staff_member, T.staff_member.c.id == V.c.author_id)
        .where(visible(actor))
        .order_by(V.c.updated_at.desc(), V.c.id.desc())
    ).all()
    result = []
    for row in rows:
        planned = _date_or_none(row.datum)
        result.append(
            {
                "id": row.id,
                "student_id": row.student_id,
                "naam": klassen.full_name(row.roepnaam, row.tussenvoegsel, row.achternaam),
                "klas": row.klas or "",
                "soort": row.soort,
                "status": derived_status(row.status, row.held_on, row.agreements, row.open_agreements),
                "datum": row.held_on or planned,
                "held_on": row.held_on,
                "gedeeld": bool(row.gedeeld),
                "mine": row.author_id == actor.id,
                "author": row.author or "",
            }
        )
    return result


def _date_or_none(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------- answers


def _clean(field: str, value: Any) -> str:
    """The value as stored for `field` (always a string), or MoeilijkGesprekError at that field."""
    kind = ANSWER_FIELDS.get(field)
    if kind is None:
        raise MoeilijkGesprekError("moeilijk.field_unknown", field=field)
    if kind == "id":
        return "" if value in (None, "") else str(int(value))
    if isinstance(value, date) and kind == "date":
        value = value.isoformat()
    if value is None:
        value = ""
    if isinstance(value, int) and not isinstance(value, bool) and kind == "minutes":
        value = str(value)
    if not isinstance(value, str):
        raise MoeilijkGesprekError("moeilijk.field_invalid", field=field)
    value = value.strip()
    if isinstance(kind, tuple):
        if value not in ("", *kind):
            raise MoeilijkGesprekError("moeilijk.choice_unknown", field=field)
        return value
    if kind == "text":
        return check_text(field, value, A.c.waarde, error=MoeilijkGesprekError)
    value = check_text(field, value, LINE, multiline=False, error=MoeilijkGesprekError)
    if not value:
        return ""
    if kind == "date":
        day = _date_or_none(value)
        if day is None:
            raise MoeilijkGesprekError("moeilijk.date_invalid", field=field)
        today = timefmt.today()
        if abs((day - today).days) > 400:
            raise MoeilijkGesprekError("moeilijk.date_far", field=field)
        return day.isoformat()
    if kind == "time":
        match = TIME.fullmatch(value)
        if match is None:
            raise MoeilijkGesprekError("moeilijk.time_invalid", field=field)
        return f"{int(match.group(1)):02d}:{match.group(2)}"
    if kind == "minutes":
        if not value.isascii() or not value.isdigit() or not MINUTES[0] <= int(value) <= MINUTES[1]:
            raise MoeilijkGesprekError(
                "moeilijk.minutes_invalid", field=field, low=MINUTES[0], high=MINUTES[1]
            )
        return str(int(value))
    return value


def save_answers(
    conn: Connection,
    actor: Actor,
    voorbereiding_id: int,
    changes: dict[str, Any],
    versions: dict[str, int],
) -> dict[str, int]:
    """Store changed answers of the actor's own preparation; returns the new version per saved field.

    Every value is checked first: a refused one raises `MoeilijkGesprekError` with its field and
    nothing is written (a form then saves the other fields without it). A field is inserted when
    `versions` has no version for it and updated `WHERE version = :v` otherwise; a row another page
    inserted or changed meanwhile is a `VersionConflict`.
    """
    record = _own_row(conn, actor, voorbereiding_id)
    soort = changes.get("soort")
    if "soort" in changes and (soort or "") not in ("", *SOORTEN):
        raise MoeilijkGesprekError("moeilijk.choice_unknown", field="soort")
    cleaned = {field: _clean(field, value) for field, value in changes.items() if field != "soort"}
    new_versions: dict[str, int] = {}
    if "soort" in changes:
        new_versions["soort"] = update_versioned(
            conn, V, versions.get("soort"), {"soort": soort or ""}, own(actor), V.c.id == voorbereiding_id
        )
    for field, value in cleaned.items():
        version = versions.get(field)
        if version is None:
            try:
                with conn.begin_nested():
                    conn.execute(
                        insert(A).values(
                            school_id=actor.school_id,
                            student_id=record["student_id"],
                            voorbereiding_id=voorbereiding_id,
                            veld=field,
                            waarde=value,
                            author_id=actor.id,
                        )
                    )
            except IntegrityError:  # another page stored this field first
                raise VersionConflict() from None
            new_versions[field] = 1
        else:
            new_versions[field] = update_versioned(
                conn,
                A,
                version,
                {"waarde": value},
                A.c.voorbereiding_id == voorbereiding_id,
                A.c.veld == field,
            )
    if cleaned and "soort" not in changes:  # the list shows the most recently worked-on first
        conn.execute(V.update().where(V.c.id == voorbereiding_id).values(updated_at=func.now()))
    return new_versions


def set_status(conn: Connection, actor: Actor, voorbereiding_id: int, status: str, version: int) -> int:
    """Mark the preparation "concept" or "klaar" (held and followed up are derived); returns the
    record's new version."""
    if status not in ("concept", "klaar"):
        raise MoeilijkGesprekError("moeilijk.choice_unknown", field="status")
    _own_row(conn, actor, voorbereiding_id)
    return update_versioned(conn, V, version, {"status": status}, own(actor), V.c.id == voorbereiding_id)


def share(conn: Connection, actor: Actor, voorbereiding_id: int, gedeeld: bool, version: int) -> int:
    """Share the preparation with the zorgcoördinator (or stop sharing); returns the new version."""
    _own_row(conn, actor, voorbereiding_id)
    return update_versioned(
        conn, V, version, {"gedeeld": bool(gedeeld)}, own(actor), V.c.id == voorbereiding_id
    )


def delete_voorbereiding(conn: Connection, actor: Actor, voorbereiding_id: int) -> bool:
    """Remove the actor's own preparation with its conversation (its answers go with it; agreements
    stay, without the link to the talk). False when there was none to remove."""
    row = conn.execute(select(V.c.conversation_id).where(own(actor), V.c.id == voorbereiding_id)).first()
    if row is None:
        return False
    conn.execute(delete(C).where(C.c.id == row.conversation_id, C.c.school_id == actor.school_id))
    return True


# ---------------------------------------------------------------------------------------------- the talk


KEEP = object()  # record_talk: leave this value as it is


def record_talk(
    conn: Connection,
    actor: Actor,
    voorbereiding_id: int,
    version: int,
    *,
    held_on: Any = KEEP,
    present: dict[str, Any] | None = None,
) -> int:
    """Store on the conversation when it was held (None clears it) and who was there (`present`:
    {"student": bool, "guardians": [ids], "tolk": bool, "anderen": text}); returns the conversation's
    new version."""
    record = _own_row(conn, actor, voorbereiding_id)
    values: dict[str, Any] = {}
    if held_on is not KEEP:
        if held_on is not None and not isinstance(held_on, date):
            raise MoeilijkGesprekError("moeilijk.date_invalid", field="held_on")
        if held_on is not None and held_on > timefmt.today():
            raise MoeilijkGesprekError("moeilijk.held_in_future", field="held_on")
        if held_on is not None and (timefmt.today() - held_on).days > 400:
            raise MoeilijkGesprekError("moeilijk.date_far", field="held_on")
        values["held_on"] = held_on
    if present is not None:
        anderen = check_text(
            "anderen",
            str(present.get("anderen") or "").strip(),
            LINE,
            multiline=False,
            error=MoeilijkGesprekError,
        )
        values["present"] = {
            "student": bool(present.get("student")),
            "guardians": [int(g) for g in present.get("guardians", [])],
            "tolk": bool(present.get("tolk")),
            "anderen": anderen,
        }
    if not values:
        return version
    return update_versioned(
        conn,
        C,
        version,
        values,
        C.c.id == record["conversation_id"],
        C.c.school_id == actor.school_id,
        author_id=actor.id,
    )


def save_agreement(
    conn: Connection,
    actor: Actor,
    voorbereiding_id: int,
    afspraak_id: int | None,
    values: dict[str, Any],
    version: int | None = None,
) -> tuple[int, int]:
    """An agreement made in the talk (through `stip.afspraken`, linked to the conversation, so it is in
    the Communicatieplan's agreements and agenda); returns (id, version)."""
    record = _own_row(conn, actor, voorbereiding_id)
    values = {**values, "conversation_id": record["conversation_id"]} if afspraak_id is None else values
    return afspraken.save_afspraak(
        conn, actor, record["student_id"], afspraak_id, values, version, error=MoeilijkGesprekError
    )


def delete_agreement(conn: Connection, actor: Actor, voorbereiding_id: int, afspraak_id: int) -> None:
    record = _own_row(conn, actor, voorbereiding_id)
    conn.execute(
        delete(T.afspraak).where(
            T.afspraak.c.id == afspraak_id,
            T.afspraak.c.conversation_id == record["conversation_id"],
            T.afspraak.c.school_id == actor.school_id,
        )
    )


def set_follow_up(
    conn: Connection,
    actor: Actor,
    voorbereiding_id: int,
    day: date | None,
    wat: str,
    versions: dict[str, int],
) -> dict[str, int]:
    """The follow-up moment as an agreement with a date (so it is in the agenda), carried by school:
    created on the first date, moved on a later one, removed when the date is cleared. Its id is kept
    in the answer `vervolg_afspraak`; returns the new answer versions."""
    record = _own_row(conn, actor, voorbereiding_id)
    current = conn.execute(
        select(A.c.waarde).where(A.c.voorbereiding_id == voorbereiding_id, A.c.veld == "vervolg_afspraak")
    ).scalar()
    afspraak_id = int(current) if current else None
    if afspraak_id is not None:
        exists = conn.execute(
            select(T.afspraak.c.version).where(
                T.afspraak.c.id == afspraak_id, T.afspraak.c.conversation_id == record["conversation_id"]
            )
        ).scalar()
        if exists is None:
            afspraak_id = None
    if day is None:
        if afspraak_id is not None:
            delete_agreement(conn, actor, voorbereiding_id, afspraak_id)
        return save_answers(conn, actor, voorbereiding_id, {"vervolg_afspraak": ""}, versions)
    values = {"wat": wat, "wanneer": day, "eigenaar": "school", "wie": actor.naam}
    if afspraak_id is None:
        new_id, _version = save_agreement(conn, actor, voorbereiding_id, None, values)
        return save_answers(conn, actor, voorbereiding_id, {"vervolg_afspraak": new_id}, versions)
    version = conn.execute(select(T.afspraak.c.version).where(T.afspraak.c.id == afspraak_id)).scalar_one()
    save_agreement(conn, actor, voorbereiding_id, afspraak_id, values, version)
    return {}


# ---------------------------------------------------------------------------------------------- gaps


def missing(answers: dict[str, Any]) -> dict[str, list[str]]:
    """Per step key, the gentle notes for what is still empty (never blocking). Step "na" is judged by
    the screen (held date, agreements, reflection), "gespreksplan" asks for a message only for bad
    news."""
    result = {}
    for step in texts()["steps"]:
        notes = []
        for field, note in (step.get("missing") or {}).items():
            if step["key"] == "na":
                continue
            if field == "boodschap" and answers.get("soort") != "slecht_nieuws":
                continue
            if not str(answers.get(field) or "").strip():
                notes.append(note)
        result[step["key"]] = notes
    return result
