"""The gouden mail: before the startgesprek, a message about something that genuinely goes well,
plus two or three preparation questions for parents and for the student (source: kenniskring
Ouderbetrokkenheid, Samenwerkingsverband VO Amsterdam-Diemen)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, insert, select

from stip import content, klassen, timefmt
from stip.errors import UserError
from stip.schools import Actor
from stip.store import tables as T
from stip.store import update_versioned
from stip.validation import check_texts

STATUSES = ("concept", "klaar", "verstuurd")
MAX_QUESTIONS = 6


class GoudenMailError(UserError):
    """A refusal of the gouden_mail area (see `stip.errors.UserError`)."""


def question_bank() -> list[dict[str, str]]:
    return content.load("startgesprek")["gouden_mail"]["questions"]


def class_states(conn: Connection, actor: Actor, klas_id: int) -> list[dict[str, Any]]:
    """Every student of the class with the state of their gouden mail ("niet geschreven" when none)."""
    year = actor.school_year_id
    states = dict(
        conn.execute(
            select(T.gouden_mail.c.student_id, T.gouden_mail.c.status).where(
                T.gouden_mail.c.school_year_id == year, T.gouden_mail.c.school_id == actor.school_id
            )
        ).all()
    )
    return [
        {**s, "gouden_mail": states.get(s["id"], "")} for s in klassen.class_students(conn, actor, klas_id)
    ]


def get(conn: Connection, actor: Actor, student_id: int) -> dict[str, Any] | None:
    klassen._own_student(conn, actor, student_id)
    year = actor.school_year_id
    row = (
        conn.execute(
            select(T.gouden_mail).where(
                T.gouden_mail.c.student_id == student_id, T.gouden_mail.c.school_year_id == year
            )
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def compliments(conn: Connection, actor: Actor, student_ids: list[int]) -> dict[int, str]:
    """This year's compliment (`positief`) of each student's gouden mail that has one: one query."""
    if not student_ids:
        return {}
    rows = conn.execute(
        select(T.gouden_mail.c.student_id, T.gouden_mail.c.positief).where(
            T.gouden_mail.c.student_id.in_(student_ids),
            T.gouden_mail.c.school_year_id == actor.school_year_id,
            T.gouden_mail.c.school_id == actor.school_id,
            T.gouden_mail.c.positief != "",
        )
    )
    return dict(rows.all())


def save(
    conn: Connection, actor: Actor, student_id: int, changes: dict[str, Any], version: int | None
) -> int:
    """Create or update the student's gouden mail (positief, vragen, status); returns the new version."""
    values = {k: v for k, v in changes.items() if k in ("positief", "vragen", "status")}
    if "positief" in values:
        values["positief"] = values["positief"].strip()
    values = check_texts(T.gouden_mail, values, error=GoudenMailError)
    if "vragen" in values:
        known = {q["id"] for q in question_bank()}
        values["vragen"] = [q for q in values["vragen"] if q in known]
        if len(values["vragen"]) > MAX_QUESTIONS:
            raise GoudenMailError("gouden_mail.too_many_questions", field="vragen", max=MAX_QUESTIONS)
    if "status" in values:
        if values["status"] not in STATUSES:
            raise GoudenMailError("gouden_mail.status_unknown", field="status")
        values["sent_at"] = func.now() if values["status"] == "verstuurd" else None
    current = get(conn, actor, student_id)
    if current and current["status"] == "verstuurd" and values.get("status") in ("concept", "klaar"):
        # a sent mail is not quietly "unsent" by marking it ready: that is `undo_sent`, asked for on purpose
        raise GoudenMailError("gouden_mail.already_sent", field="status")
    if values.get("status") in ("klaar", "verstuurd"):
        check_complete({**(current or {"positief": "", "vragen": []}), **values})
    if current is None:
        conn.execute(
            insert(T.gouden_mail).values(
                school_id=actor.school_id,
                student_id=student_id,
                school_year_id=actor.school_year_id,
                author_id=actor.id,
                **values,
            )
        )
        return 1
    return update_versioned(
        conn, T.gouden_mail, version, values, T.gouden_mail.c.id == current["id"], author_id=actor.id
    )


def check_complete(record: dict[str, Any] | None) -> None:
    """Refuse (GoudenMailError at the field) a mail without a positive message or without a question:
    such a mail is not marked ready or sent and not exported."""
    if not record or not (record.get("positief") or "").strip():
        raise GoudenMailError("gouden_mail.needs_positief", field="positief")
    if not record.get("vragen"):
        raise GoudenMailError("gouden_mail.needs_question", field="vragen")


def undo_sent(conn: Connection, actor: Actor, student_id: int, version: int | None) -> int:
    """The mentor says a mail marked sent was not sent after all: back to "klaar"; returns the version."""
    current = get(conn, actor, student_id)
    if current is None or current["status"] != "verstuurd":
        raise GoudenMailError("gouden_mail.not_sent", field="status")
    return update_versioned(
        conn,
        T.gouden_mail,
        version,
        {"status": "klaar", "sent_at": None},
        T.gouden_mail.c.id == current["id"],
        author_id=actor.id,
    )


def render(family: dict[str, Any], record: dict[str, Any] | None, not_planned: str) -> list[dict[str, Any]]:
    """The gouden mail of one family: [{"to", "names", "subject", "body"}], one per parent when the
    parents must be informed apart and one of its own for a guardian with protected contact details
    (`invitations.recipients`; placeholders filled, nothing sent)."""
    from stip import invitations, texts

    section = content.load("startgesprek")["gouden_mail"]
    chosen = set(record["vragen"]) if record else set()
    bank = question_bank()

    def listed(audience: str) -> str:
        """The heading and the chosen questions of one group; "" (the lines are left out) when none."""
        lines = [f"- {q['text']}" for q in bank if q["id"] in chosen and q["audience"] == audience]
        if not lines:
            return ""
        heading = section["questions_heading"][audience].replace("{roepnaam}", family["roepnaam"])
        return "\n".join([heading, *lines])

    slot = family.get("slot")
    values = {
        "roepnaam": family["roepnaam"],
        "positief": (record or {}).get("positief") or "…",
        "vragen_ouders": listed("ouders"),
        "vragen_leerling": listed("leerling"),
        "datum": timefmt.long_date(slot["starts_at"]) if slot else not_planned,
        "tijd": timefmt.format_time(slot["starts_at"]) if slot else not_planned,
        "mentor": family["mentor"] or "…",
        "school": family["school"],
        "contact": invitations.contact_of(family) or family["mentor"] or "…",
    }
    allowed = set(section["placeholders"])
    mails = []
    for group in invitations.recipients(family):
        ouders = invitations.greeting(section["template"], group) or invitations.names(
            [g["naam"] for g in group]
        )
        filled = {**values, "ouders": ouders or family["roepnaam"]}
        mails.append(
            {
                "to": [g["email"] for g in group if g["email"]],
                "names": filled["ouders"],
                "subject": texts.fill(section["subject"], filled, allowed),
                "body": texts.fill(
                    section["template"], filled, allowed, optional=("vragen_ouders", "vragen_leerling")
                ),
            }
        )
    return mails
