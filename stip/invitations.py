"""Invitations for the startgesprek: the mentor's own template (or the default from content), filled in
per family, as text, as an e-mail draft (.eml) and for the whole class. Stip sends no mail itself.

Who gets which letter (`recipients`): parents who must be informed separately (`apart_informeren`) each
get their own invitation, and so does a guardian whose contact details are protected
(`contact_afgeschermd`): their address never stands on another parent's To: line or letter (DESIGN §8).
One letter names every child of its guardians: a brother or sister (in any class) with their own time
(`families` adds them, `render` names them, `unique` keeps one letter per guardian group for a class).
Families marked "tolk nodig" read that an interpreter will be there, in their language.
"""

from __future__ import annotations

import io
import re
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


def optional() -> set[str]:
    """The placeholders that may stay empty: their line is left out (`texts.fill`)."""
    return set(content.load("startgesprek")["invitation"]["optional"])


def _sentences() -> dict[str, str]:
    return content.load("startgesprek")["invitation"]["sentences"]


def _sentence(key: str, **values: object) -> str:
    return texts.fill(_sentences()[key], values)


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
    texts.fill(subject, sample, allowed(), optional())
    texts.fill(body, sample, allowed(), optional())
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
    """Who gets one invitation together: all guardians; each apart when they must be informed apart; and
    a guardian with protected contact details always alone (the others together), in the family's order."""
    guardians = family["guardians"]
    if any(g["apart_informeren"] for g in guardians):
        return [[g] for g in guardians]
    groups: list[list[dict[str, Any]]] = []
    together: list[dict[str, Any]] | None = None
    for guardian in guardians:
        if guardian.get("contact_afgeschermd"):
            groups.append([guardian])
        elif together is None:
            together = [guardian]
            groups.append(together)
        else:
            together.append(guardian)
    return groups or [[]]


def interpreter_languages(guardians: list[dict[str, Any]]) -> list[str]:
    """The languages of the guardians marked "tolk nodig", each once, in their order ("Nederlands" and an
    empty language left out: then only "tolk nodig" is known)."""
    found: list[str] = []
    for guardian in guardians:
        language = (guardian.get("taal") or "").strip()
        if guardian.get("tolk_nodig") and language and language.lower() != "nederlands":
            if language not in found:
                found.append(language)
    return found


def guardians_line(guardians: list[dict[str, Any]]) -> str:
    """ "Khadija Bouali (tolk Berbers), Said Bouali" for the conversation sheet and the calendar."""
    from stip.i18n import t

    def label(guardian: dict[str, Any]) -> str:
        if not guardian.get("tolk_nodig"):
            return guardian["naam"]
        languages = interpreter_languages([guardian])
        note = t("sheet.tolk_taal", taal=languages[0]) if languages else t("sheet.tolk")
        return f"{guardian['naam']} ({note})"

    return ", ".join(label(g) for g in guardians)


def families(conn: Connection, actor: Actor, student_ids: list[int]) -> list[dict[str, Any]]:
    """`startgesprek.family_data` of the students, each with `siblings`: the family data of their brothers
    and sisters (students sharing a guardian, in any class), so one letter can name every child."""
    from stip import klassen, startgesprek

    result = startgesprek.family_data(conn, actor, student_ids)
    siblings = klassen.siblings_of(conn, actor, student_ids)
    plain = {f["id"]: dict(f) for f in result}
    wanted = sorted({s["id"] for group in siblings.values() for s in group} - plain.keys())
    plain.update({f["id"]: f for f in startgesprek.family_data(conn, actor, wanted)})
    for family in result:
        family["siblings"] = [plain[s["id"]] for s in siblings[family["id"]] if s["id"] in plain]
    return result


def children(family: dict[str, Any], group: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The student and the brothers and sisters who share a guardian of `group`, the student first, the
    others by the time of their talk."""
    ids = {g["id"] for g in group}
    others = [
        s
        for s in family.get("siblings", [])
        if ids & {g["id"] for g in s["guardians"]} and s["id"] != family["id"]
    ]
    others.sort(key=lambda s: (s["slot"] is None, s["slot"]["starts_at"] if s["slot"] else 0, s["roepnaam"]))
    return [family, *others]


def contact_of(family: dict[str, Any]) -> str:
    """The mentor's e-mail address, and phone when known ("a@school.nl of 06-1234 5678")."""
    address = family.get("mentor_email") or ""
    phone = family.get("mentor_telefoon") or ""
    if address and phone:
        return _sentence("contact_phone", email=address, telefoon=phone)
    return address or phone


def _minutes(slot: dict[str, Any]) -> str:
    minutes = int((slot["ends_at"] - slot["starts_at"]).total_seconds() // 60)
    return _sentence("minutes", minuten=minutes)


def _interpreter(guardians: list[dict[str, Any]]) -> str:
    if not any(g.get("tolk_nodig") for g in guardians):
        return _sentence("tolk_offer")
    languages = interpreter_languages(guardians)
    return _sentence("tolk_language", talen=names(languages)) if languages else _sentence("tolk_there")


def _other_parents(family: dict[str, Any], group: list[dict[str, Any]]) -> str:
    """Whether the family's other guardians are invited to the same talk (and, for parents informed apart,
    the offer of a talk of their own); empty when this letter is for everyone."""
    ids = {g["id"] for g in group}
    others = [g for g in family["guardians"] if g["id"] not in ids]
    if not others or not group:
        return ""
    parts = [_sentence("other_parent" if len(others) == 1 else "other_parents")]
    if any(g["apart_informeren"] for g in family["guardians"]):
        parts.append(_sentence("own_talk"))
    return " ".join(parts)


def _sibling_lines(family: dict[str, Any], siblings: list[dict[str, Any]]) -> str:
    """One line per brother or sister: when their talk is (right before or after this one, or when), where
    when that differs, and with whom when they have another mentor."""
    slot = family.get("slot")
    lines = []
    for sibling in siblings:
        other, naam = sibling.get("slot"), sibling["roepnaam"]
        if other is None:
            lines.append(_sentence("sibling_later", naam=naam))
            continue
        tijd = timefmt.format_time(other["starts_at"])
        if slot and other["starts_at"] == slot["ends_at"]:
            parts = [_sentence("sibling_after", naam=naam, tijd=tijd)]
        elif slot and other["ends_at"] == slot["starts_at"]:
            parts = [_sentence("sibling_before", naam=naam, tijd=tijd)]
        elif slot and other["starts_at"].date() == slot["starts_at"].date():
            parts = [_sentence("sibling_same_day", naam=naam, tijd=tijd)]
        else:
            datum = timefmt.long_date(other["starts_at"])
            parts = [_sentence("sibling_other_day", naam=naam, datum=datum, tijd=tijd)]
        if other["location"] and other["location"] != (slot or {}).get("location"):
            parts.append(_sentence("sibling_place", plaats=other["location"]))
        if sibling.get("mentor") and sibling["mentor"] != family.get("mentor"):
            parts.append(_sentence("sibling_mentor", mentor=sibling["mentor"], naam=naam))
        lines.append(" ".join(parts))
    return "\n".join(lines)


def values(
    family: dict[str, Any],
    guardians: list[dict[str, Any]],
    not_planned: str,
    contact: str,
    kids: list[dict[str, Any]] | None = None,
) -> dict:
    """The value of every placeholder for the letter to `guardians` about `kids` (default: the student)."""
    slot = family.get("slot")
    kids = kids or [family]
    return {
        "ouders": names([g["naam"] for g in guardians]) or family["roepnaam"],
        "leerling": family["naam"],
        "roepnaam": family["roepnaam"],
        "kinderen": names([k["roepnaam"] for k in kids]),
        "datum": timefmt.long_date(slot["starts_at"]) if slot else not_planned,
        "tijd": timefmt.format_time(slot["starts_at"]) if slot else not_planned,
        "duur": _minutes(slot) if slot else not_planned,
        "plaats": (slot["location"] or family["school"]) if slot else not_planned,
        "adres": family.get("school_adres", "") or "",
        "broers_zussen": _sibling_lines(family, kids[1:]),
        "over": _sentence("about", naam=family["roepnaam"]) if len(kids) > 1 else "",
        "tolk": _interpreter(guardians),
        "andere_ouder": _other_parents(family, guardians),
        "mentor": family["mentor"] or contact,
        "school": family["school"],
        "contact": contact_of(family) or contact,
    }


def greeting(template: str, guardians: list[dict[str, Any]]) -> str | None:
    """In "Beste {ouders} en {roepnaam}" the parents get commas ("A, B en Sara"), not "A en B en Sara"."""
    if "{ouders} en " in template and len(guardians) > 1:
        return ", ".join(g["naam"] for g in guardians)
    return None


# "{ouders} en {kinderen}" and "u en {kinderen}" become one list: "A, B, Sara en Daan", "u, Sara en Daan".
JOINED = (
    (re.compile(r"\{ouders\} en \{kinderen\}"), "_ouders_en_kinderen"),
    (re.compile(r"(?<![^\W_])u en \{kinderen\}"), "_u_en_kinderen"),
)


def fill(template: str, filled: dict[str, Any], group: list[dict[str, Any]], kids: list[dict]) -> str:
    """`template` filled for one letter (the joined lists above, optional lines left out when empty)."""
    kid_names = [k["roepnaam"] for k in kids]
    joined = {
        "_ouders_en_kinderen": names([g["naam"] for g in group] + kid_names),
        "_u_en_kinderen": names(["u", *kid_names]),
    }
    for pattern, name in JOINED:
        template = pattern.sub("{" + name + "}", template)
    return texts.fill(template, {**filled, **joined}, allowed() | set(joined), optional())


def render(template: dict[str, str], family: dict[str, Any], not_planned: str, contact: str) -> list[dict]:
    """The filled invitations of one family: [{"to", "names", "subject", "body", "key", "students"}, ...];
    `key` names the guardian group (one letter per group, see `unique`), `students` the children named."""
    result = []
    for group in recipients(family):
        kids = children(family, group)
        filled = values(family, group, not_planned, contact, kids)
        filled["ouders"] = greeting(template["body"], group) or filled["ouders"]
        result.append(
            {
                "to": [g["email"] for g in group if g["email"]],
                "names": filled["ouders"],
                "subject": fill(template["subject"], filled, group, kids),
                "body": fill(template["body"], filled, group, kids),
                "key": tuple(sorted(g["id"] for g in group)) or ("student", family["id"]),
                "students": [k["id"] for k in kids],
            }
        )
    return result


def unique(rendered: list[tuple[str, dict]]) -> list[tuple[str, dict]]:
    """A class's letters with one per guardian group: a brother or sister in the same class is already
    named in the first letter to their parents."""
    seen: set[tuple] = set()
    kept = []
    for name, invitation in rendered:
        if invitation["key"] not in seen:
            seen.add(invitation["key"])
            kept.append((name, invitation))
    return kept


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
