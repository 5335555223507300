"""Invitations for the startgesprek: the mentor's own template (or the default from content), filled in
per family, as text, as an e-mail draft (.eml) and for the whole class. Stip sends no mail itself.

Parents who must be informed separately (`apart_informeren`) each get their own invitation.
"""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage
from email.utils import formataddr
from typing import Any

from sqlalchemy import Connection, insert, select

from stip import content, texts, timefmt
from stip.schools import Actor
from stip.store import VersionConflict, update_versioned
from stip.store import tables as T
from stip.validation import check_text

CHANNELS = ("brief", "email", "app")


def defaults(channel: str) -> dict[str, str]:
    """The default template of a channel: {"subject": ..., "body": ...} (brief: subject = title)."""
    entry = content.load("startgesprek")["invitation"][channel]
    return {"subject": entry.get("subject") or entry.get("title") or "", "body": entry["body"]}


def allowed() -> set[str]:
    return set(content.load("startgesprek")["invitation"]["placeholders"])


def get_template(conn: Connection, actor: Actor, channel: str) -> dict[str, Any]:
    """The mentor's own template of a channel, or the default (`version` None, `custom` False)."""
    row = conn.execute(
        select(T.text_template).where(
            T.text_template.c.owner_id == actor.id, T.text_template.c.key == f"invitation.{channel}"
        )
    ).first()
    if row is None:
        return {**defaults(channel), "version": None, "custom": False}
    return {"subject": row.subject, "body": row.body, "version": row.version, "custom": True}


def save_template(
    conn: Connection, actor: Actor, channel: str, subject: str, body: str, version: int | None
) -> int:
    """Store the mentor's own template; refused (TemplateError) when it uses an unknown placeholder,
    (TextRefused) when the subject or body is too long or holds a character that cannot be stored."""
    subject = check_text("subject", subject, T.text_template.c.subject)
    body = check_text("body", body, T.text_template.c.body)
    sample = content.load("startgesprek")["invitation"]["example"]
    texts.fill(subject, sample, allowed())
    texts.fill(body, sample, allowed())
    key = f"invitation.{channel}"
    if version is None:
        exists = conn.execute(
            select(T.text_template.c.id).where(
                T.text_template.c.owner_id == actor.id, T.text_template.c.key == key
            )
        ).first()
        if exists:  # stored meanwhile from another tab: reload it instead of failing on the unique key
            raise VersionConflict()
        conn.execute(
            insert(T.text_template).values(
                school_id=actor.school_id,
                owner_id=actor.id,
                key=key,
                subject=subject,
                body=body,
                author_id=actor.id,
            )
        )
        return 1
    where = (T.text_template.c.owner_id == actor.id, T.text_template.c.key == key)
    return update_versioned(conn, T.text_template, version, {"subject": subject, "body": body}, *where)


def reset_template(conn: Connection, actor: Actor, channel: str) -> None:
    conn.execute(
        T.text_template.delete().where(
            T.text_template.c.owner_id == actor.id, T.text_template.c.key == f"invitation.{channel}"
        )
    )


def names(items: list[str]) -> str:
    """ "A", "A en B", "A, B en C"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def recipients(family: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """Who gets one invitation together: all guardians, or each apart when they must be informed apart."""
    guardians = family["guardians"]
    if any(g["apart_informeren"] for g in guardians):
        return [[g] for g in guardians]
    return [guardians]


def values(family: dict[str, Any], guardians: list[dict[str, Any]], not_planned: str, contact: str) -> dict:
    slot = family.get("slot")
    return {
        "ouders": names([g["naam"] for g in guardians]) or family["roepnaam"],
        "leerling": family["naam"],
        "roepnaam": family["roepnaam"],
        "datum": timefmt.long_date(slot["starts_at"]) if slot else not_planned,
        "tijd": timefmt.format_time(slot["starts_at"]) if slot else not_planned,
        "plaats": (slot["location"] or family["school"]) if slot else not_planned,
        "mentor": family["mentor"] or contact,
        "school": family["school"],
        "contact": family["mentor_email"] or contact,
    }


def greeting(template: str, guardians: list[dict[str, Any]]) -> str | None:
    """In "Beste {ouders} en {roepnaam}" the parents get commas ("A, B en Sara"), not "A en B en Sara"."""
    if "{ouders} en " in template and len(guardians) > 1:
        return ", ".join(g["naam"] for g in guardians)
    return None


def render(template: dict[str, str], family: dict[str, Any], not_planned: str, contact: str) -> list[dict]:
    """The filled invitations of one family: [{"to": [...], "subject": ..., "body": ...}, ...]."""
    result = []
    for group in recipients(family):
        filled = values(family, group, not_planned, contact)
        filled["ouders"] = greeting(template["body"], group) or filled["ouders"]
        result.append(
            {
                "to": [g["email"] for g in group if g["email"]],
                "names": filled["ouders"],
                "subject": texts.fill(template["subject"], filled, allowed()),
                "body": texts.fill(template["body"], filled, allowed()),
            }
        )
    return result


def as_text(invitation: dict) -> str:
    return (
        f"{invitation['subject']}\n\n{invitation['body']}\n"
        if invitation["subject"]
        else invitation["body"] + "\n"
    )


def sender(family: dict[str, Any]) -> str:
    """The `From:` of a family's drafts: "Mentor Naam <mentor@school.nl>" (`formataddr`), "" without an
    e-mail address. A line break in the name or address is refused (`TextRefused`): no header injection."""
    email = check_text("mentor_email", family.get("mentor_email") or "", T.staff_member.c.email)
    # "A en B" may be longer than one name column; it is still one line (a Text's limit, one-line rule).
    name = check_text("mentor", family.get("mentor") or "", T.text_template.c.body, multiline=False)
    return formataddr((name, email)) if email else ""


def as_eml(invitation: dict, sender: str = "") -> bytes:
    """An unsent e-mail draft that Outlook, Apple Mail and Thunderbird open for editing."""
    message = EmailMessage()
    message["To"] = ", ".join(invitation["to"])
    if sender:
        message["From"] = sender
    message["Subject"] = invitation["subject"]
    message["X-Unsent"] = "1"
    message.set_content(invitation["body"])
    return bytes(message)


def class_zip(invitations: list[tuple[str, dict]], sender: str = "") -> bytes:
    """All drafts of a class in one ZIP: one .eml per invitation, named after the student."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        seen: dict[str, int] = {}
        for name, invitation in invitations:
            stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in name).strip("-") or "uitnodiging"
            seen[stem] = seen.get(stem, 0) + 1
            suffix = f"-{seen[stem]}" if seen[stem] > 1 else ""
            archive.writestr(f"{stem}{suffix}.eml", as_eml(invitation, sender))
    return buffer.getvalue()
