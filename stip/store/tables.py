"""The tables of Stip, as SQLAlchemy Core (DESIGN §4).

Every editable record carries `created_at`, `updated_at`, `author_id` (the acting staff member)
and an integer `version`; updates are `WHERE id = :id AND version = :v`.
Every table with a `student_id` deletes with its student (`ON DELETE CASCADE`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    func,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

NAME_LENGTH = 200


class UtcDateTime(TypeDecorator):
    """A timestamp: stored in UTC, always given back as an aware UTC datetime.

    SQLite keeps the text `YYYY-MM-DD HH:MM:SS[.ffffff]` without a zone (what `func.now()` and the
    server defaults write is UTC, and so is every value bound through this type), and gives it back
    naive: this type attaches UTC. PostgreSQL keeps `timestamptz` and gives back an aware value in the
    session's zone: this type converts it to UTC. A naive datetime is refused when bound (it would be
    stored as if it were UTC, an hour or two off); local wall-clock times, such as a slot's start,
    use plain `DateTime`. Show a timestamp with `stip.timefmt`, in the school's zone.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"UtcDateTime needs a datetime, not {type(value).__name__}")
        if value.tzinfo is None:
            raise ValueError("UtcDateTime needs an aware datetime (e.g. datetime.now(UTC))")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def record_columns() -> list[Column]:
    """The bookkeeping columns every editable record has."""
    return [
        Column("created_at", UtcDateTime(), nullable=False, server_default=func.now()),
        Column("updated_at", UtcDateTime(), nullable=False, server_default=func.now()),
        Column("author_id", Integer, ForeignKey("staff_member.id", ondelete="SET NULL"), nullable=True),
        Column("version", Integer, nullable=False, server_default="1"),
    ]


school = Table(
    "school",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(NAME_LENGTH), nullable=False),
    Column("is_demo", Boolean, nullable=False, server_default="0"),
    Column("retention_months", Integer, nullable=False, server_default="24"),
    Column("pseudonym_secret", String(64), nullable=True),
    Column("adres", String(NAME_LENGTH), nullable=False, server_default=""),  # where talks are held
    Column("created_at", UtcDateTime(), nullable=False, server_default=func.now()),
    Column("updated_at", UtcDateTime(), nullable=False, server_default=func.now()),
    Column("version", Integer, nullable=False, server_default="1"),
)

staff_member = Table(
    "staff_member",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("school_id", Integer, ForeignKey("school.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("login", String(NAME_LENGTH), nullable=False),
    Column("naam", String(NAME_LENGTH), nullable=False),
    Column("email", String(NAME_LENGTH), nullable=True),
    Column("telefoon", String(40), nullable=False, server_default=""),
    Column("role", String(40), nullable=False, server_default="mentor"),
    Column("created_at", UtcDateTime(), nullable=False, server_default=func.now()),
    Column("updated_at", UtcDateTime(), nullable=False, server_default=func.now()),
    Column("version", Integer, nullable=False, server_default="1"),
    UniqueConstraint("school_id", "login"),
)

school_year = Table(
    "school_year",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("school_id", Integer, ForeignKey("school.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", String(20), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    *record_columns(),
    UniqueConstraint("school_id", "name"),
)

klas = Table(
    "klas",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("school_id", Integer, ForeignKey("school.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("school_year_id", Integer, ForeignKey("school_year.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(40), nullable=False),
    Column("mentor_id", Integer, ForeignKey("staff_member.id", ondelete="SET NULL"), nullable=True),
    *record_columns(),
    UniqueConstraint("school_year_id", "name"),
)

# The mentors of a class in order (position 1, 2): a class may have two. `klas.mentor_id` stays the first
# mentor (planning, slots and the import use it); a class without rows here falls back to it.
klas_mentor = Table(
    "klas_mentor",
    metadata,
    Column("klas_id", Integer, ForeignKey("klas.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "staff_member_id",
        Integer,
        ForeignKey("staff_member.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
    Column("position", Integer, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False, server_default=func.now()),
    UniqueConstraint("klas_id", "position"),
)

# Dates of a school year as data (the communicatieplan resolves "na rapport 1" from them):
# kind "rapport" (one day: starts_on = ends_on) or "vakantie" (first and last day).
school_year_date = Table(
    "school_year_date",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("school_id", Integer, ForeignKey("school.id", ondelete="CASCADE"), nullable=False, index=True),
    Column(
        "school_year_id",
        Integer,
        ForeignKey("school_year.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("kind", String(20), nullable=False),
    Column("name", String(NAME_LENGTH), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    *record_columns(),
)

student = Table(
    "student",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("school_id", Integer, ForeignKey("school.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("leerlingnummer", String(40), nullable=False),
    Column("roepnaam", String(NAME_LENGTH), nullable=False),
    Column("tussenvoegsel", String(NAME_LENGTH), nullable=False, server_default=""),
    Column("achternaam", String(NAME_LENGTH), nullable=False),
    Column("klas_id", Integer, ForeignKey("klas.id", ondelete="SET NULL"), nullable=True, index=True),
    Column("left_on", Date, nullable=True),
    Column("missing_since", Date, nullable=True),
    *record_columns(),
    UniqueConstraint("school_id", "leerlingnummer"),
)

# The name of a student as three columns, in the order they are written (Sara van den Berg).
STUDENT_NAME = (student.c.roepnaam, student.c.tussenvoegsel, student.c.achternaam)

guardian = Table(
    "guardian",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("school_id", Integer, ForeignKey("school.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("naam", String(NAME_LENGTH), nullable=False),
    Column("email", String(NAME_LENGTH), nullable=False, server_default=""),
    Column("telefoon", String(40), nullable=False, server_default=""),
    Column("taal", String(60), nullable=False, server_default="Nederlands"),
    Column("tolk_nodig", Boolean, nullable=False, server_default="0"),
    Column("voorkeurskanaal", String(40), nullable=False, server_default=""),
    Column("gezag", Boolean, nullable=False, server_default="1"),
    Column("contact_afgeschermd", Boolean, nullable=False, server_default="0"),
    *record_columns(),
)

student_guardian = Table(
    "student_guardian",
    metadata,
    Column("student_id", Integer, ForeignKey("student.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "guardian_id", Integer, ForeignKey("guardian.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
    Column("relatie", String(60), nullable=False, server_default="ouder"),
    Column("apart_informeren", Boolean, nullable=False, server_default="0"),
)

sibling_link = Table(
    "sibling_link",
    metadata,
    Column("student_id", Integer, ForeignKey("student.id", ondelete="CASCADE"), primary_key=True),
    Column("sibling_id", Integer, ForeignKey("student.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("confirmed_by", Integer, ForeignKey("staff_member.id", ondelete="SET NULL"), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False, server_default=func.now()),
)

slot = Table(
    "slot",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("school_id", Integer, ForeignKey("school.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("klas_id", Integer, ForeignKey("klas.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("mentor_id", Integer, ForeignKey("staff_member.id", ondelete="SET NULL"), nullable=True),
    Column("kind", String(40), nullable=False, server_default="startgesprek"),
    Column("starts_at", DateTime, nullable=False),  # wall clock, Europe/Amsterdam
    Column("ends_at", DateTime, nullable=False),
    Column("location", String(NAME_LENGTH), nullable=False, server_default=""),
    *record_columns(),
)

conversation = Table(
    "conversation",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("school_id", Integer, ForeignKey("school.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("student_id", Integer, ForeignKey("student.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("school_year_id", Integer, ForeignKey("school_year.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(40), nullable=False, server_default="startgesprek"),
    Column("slot_id", Integer, ForeignKey("slot.id", ondelete="SET NULL"), nullable=True, unique=True),
    Column("invited_at", UtcDateTime(), nullable=True),
    Column("invited_via", String(40), nullable=False, server_default=""),
    Column("held_on", Date, nullable=True),
    Column("present", JSON, nullable=False, server_default="{}"),
    Column("shared_goal", Text, nullable=False, server_default=""),
    Column("collective_info", String(20), nullable=False, server_default=""),
    Column("collective_info_when", String(NAME_LENGTH), nullable=False, server_default=""),
    Column("buddy", String(20), nullable=False, server_default=""),
    Column("notes", Text, nullable=False, server_default=""),
    *record_columns(),
)

afspraak = Table(
    "afspraak",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("school_id", Integer, ForeignKey("school.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("student_id", Integer, ForeignKey("student.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("conversation_id", Integer, ForeignKey("conversation.id", ondelete="SET NULL"), nullable=True),
    Column("wat", Text, nullable=False),
    Column("wie", String(NAME_LENGTH), nullable=False, server_default=""),
    Column("wanneer", Date, nullable=True),
    Column("status", String(20), nullable=False, server_default="open"),
    Column("evaluatie", Text, nullable=False, server_default=""),
    # Issue 15: who carries it (school, ouders, leerling), and the evaluation at its date.
    Column("eigenaar", String(20), nullable=False, server_default=""),
    Column("geholpen", String(20), nullable=False, server_default=""),  # ja / deels / nee
    Column("vervolg", Text, nullable=False, server_default=""),
    Column("evaluated_on", Date, nullable=True),
    *record_columns(),
)

communicatieplan = Table(
    "communicatieplan",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("school_id", Integer, ForeignKey("school.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("student_id", Integer, ForeignKey("student.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("school_year_id", Integer, ForeignKey("school_year.id", ondelete="CASCADE"), nullable=False),
    Column("vormen", JSON, nullable=False, server_default="[]"),
    Column("momenten", Text, nullable=False, server_default=""),
    Column("frequentie", String(NAME_LENGTH), nullable=False, server_default=""),
    Column("initiatief", String(40), nullable=False, server_default=""),
    Column("review_on", Date, nullable=True),
    Column("notes", Text, nullable=False, server_default=""),
    # Issue 15: the plan starts from what the student needs; made from a pattern or from scratch.
    Column("behoefte", Text, nullable=False, server_default=""),
    Column("patroon", String(40), nullable=False, server_default=""),
    Column("leerling_erbij", String(20), nullable=False, server_default=""),  # ja / nee / soms
    *record_columns(),
    UniqueConstraint("student_id", "school_year_id"),
)

# One moment of a communicatieplan as data: "na rapport 1" is (na_rapport, "1"), "november" is
# (maand, "11"), "juni-evaluatie" is (juni_evaluatie, ""), "elke 6 weken" is (interval_weken, "6"),
# a date is (datum, "2026-11-20"); resolved to dates against the school year's report days and holidays.
plan_moment = Table(
    "plan_moment",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("school_id", Integer, ForeignKey("school.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("student_id", Integer, ForeignKey("student.id", ondelete="CASCADE"), nullable=False, index=True),
    Column(
        "communicatieplan_id",
        Integer,
        ForeignKey("communicatieplan.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("kind", String(20), nullable=False),
    Column("value", String(40), nullable=False, server_default=""),
    Column("vorm", String(40), nullable=False, server_default=""),
    Column("initiatief", String(20), nullable=False, server_default=""),
    Column("position", Integer, nullable=False, server_default="0"),
    *record_columns(),
)

# Every contact with a family: when, how, the tone, one line; from the agenda or anywhere.
contact_moment = Table(
    "contact_moment",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("school_id", Integer, ForeignKey("school.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("student_id", Integer, ForeignKey("student.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("school_year_id", Integer, ForeignKey("school_year.id", ondelete="CASCADE"), nullable=False),
    Column("happened_on", Date, nullable=False),
    Column("kanaal", String(40), nullable=False),
    Column("toon", String(20), nullable=False),  # positief / neutraal / zorg
    Column("regel", String(NAME_LENGTH), nullable=False, server_default=""),
    Column("conversation_id", Integer, ForeignKey("conversation.id", ondelete="SET NULL"), nullable=True),
    *record_columns(),
)

# What became of one due item of the agenda (a planned moment, an agreement's date, a plan review):
# done (with the contact that was logged) or moved to another day with a reason.
agenda_item = Table(
    "agenda_item",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("school_id", Integer, ForeignKey("school.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("student_id", Integer, ForeignKey("student.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("source", String(20), nullable=False),  # moment / afspraak / review
    Column("source_id", Integer, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("status", String(20), nullable=False),  # gedaan / verzet
    Column("moved_to", Date, nullable=True),
    Column("reason", String(NAME_LENGTH), nullable=False, server_default=""),
    Column("contact_moment_id", Integer, ForeignKey("contact_moment.id", ondelete="SET NULL"), nullable=True),
    *record_columns(),
    UniqueConstraint("source", "source_id", "due_on"),
)

# A short reflection in the five steps of Korthagen's ALACT cycle after a conversation; private to its
# author (`author_id`) unless shared.
reflection = Table(
    "reflection",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("school_id", Integer, ForeignKey("school.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("student_id", Integer, ForeignKey("student.id", ondelete="CASCADE"), nullable=False, index=True),
    Column(
        "conversation_id",
        Integer,
        ForeignKey("conversation.id", ondelete="CASCADE"),
        nullable=True,
        index=True,
    ),
    Column("handelen", Text, nullable=False, server_default=""),
    Column("terugblikken", Text, nullable=False, server_default=""),
    Column("essentie", Text, nullable=False, server_default=""),
    Column("alternatieven", Text, nullable=False, server_default=""),
    Column("uitproberen", Text, nullable=False, server_default=""),
    Column("voornemen", Text, nullable=False, server_default=""),
    Column("voornemen_geprobeerd", String(20), nullable=False, server_default=""),  # ja / deels / nee
    Column("shared", Boolean, nullable=False, server_default="0"),
    *record_columns(),
)

gouden_mail = Table(
    "gouden_mail",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("school_id", Integer, ForeignKey("school.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("student_id", Integer, ForeignKey("student.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("school_year_id", Integer, ForeignKey("school_year.id", ondelete="CASCADE"), nullable=False),
    Column("positief", Text, nullable=False, server_default=""),
    Column("vragen", JSON, nullable=False, server_default="[]"),
    Column("status", String(20), nullable=False, server_default="concept"),
    Column("sent_at", UtcDateTime(), nullable=True),
    *record_columns(),
    UniqueConstraint("student_id", "school_year_id"),
)

text_template = Table(
    "text_template",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("school_id", Integer, ForeignKey("school.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("owner_id", Integer, ForeignKey("staff_member.id", ondelete="CASCADE"), nullable=False),
    Column("key", String(80), nullable=False),
    Column("subject", String(NAME_LENGTH), nullable=False, server_default=""),
    Column("body", Text, nullable=False),
    *record_columns(),
    UniqueConstraint("owner_id", "key"),
)

# Issue 16: the preparation of a difficult conversation (`conversation.kind` "moeilijk"), private to its
# author (`author_id`) unless shared with the zorgcoördinator. Its answers are one row per field, so two
# pages on one preparation never overwrite each other's fields.
voorbereiding = Table(
    "voorbereiding",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("school_id", Integer, ForeignKey("school.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("student_id", Integer, ForeignKey("student.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("school_year_id", Integer, ForeignKey("school_year.id", ondelete="CASCADE"), nullable=False),
    Column(
        "conversation_id",
        Integer,
        ForeignKey("conversation.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    Column("soort", String(40), nullable=False, server_default=""),  # gedrag, verzuim, … slecht_nieuws
    Column(
        "status", String(20), nullable=False, server_default="concept"
    ),  # concept/klaar/gehouden/opgevolgd
    Column("gedeeld", Boolean, nullable=False, server_default="0"),  # shared with the zorgcoördinator
    *record_columns(),
)

voorbereiding_antwoord = Table(
    "voorbereiding_antwoord",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("school_id", Integer, ForeignKey("school.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("student_id", Integer, ForeignKey("student.id", ondelete="CASCADE"), nullable=False, index=True),
    Column(
        "voorbereiding_id",
        Integer,
        ForeignKey("voorbereiding.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("veld", String(60), nullable=False),
    Column("waarde", Text, nullable=False, server_default=""),
    *record_columns(),
    UniqueConstraint("voorbereiding_id", "veld"),
)

# Issues 17 and 18: live sessions (team scan on a study day, kenniskring). Participants are anonymous:
# `participant`, `answer` and `priority_vote` carry no name, no IP and no timestamp. `live_version` is
# the per-session counter the projector polls (+1 with every answer, vote or step of the trainer).
live_session = Table(
    "live_session",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("school_id", Integer, ForeignKey("school.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),  # teamscan / kenniskring
    Column("naam", String(NAME_LENGTH), nullable=False),
    Column("held_on", Date, nullable=True),
    Column("code", String(12), nullable=False, unique=True),  # short join code
    Column("secret", String(64), nullable=False),  # random, in the join URL and QR
    Column("status", String(20), nullable=False, server_default="open"),  # open / gesloten
    Column(
        "previous_id",
        Integer,
        ForeignKey("live_session.id", ondelete="SET NULL"),
        nullable=True,
    ),  # the earlier round of a scan, or the session a terugkomsessie returns to
    Column("current_position", Integer, nullable=False, server_default="0"),  # kenniskring: activity now
    Column("answering_open", Boolean, nullable=False, server_default="1"),
    Column("phase", String(20), nullable=False, server_default="invullen"),  # invullen / stemmen / …
    Column("live_version", Integer, nullable=False, server_default="0"),
    Column("settings", JSON, nullable=False, server_default="{}"),
    *record_columns(),
)

# One item of a session, copied from the content file when the session starts (so results stay what
# they were when the content changes); `key` is stable across rounds ("startgesprek.1", "eigen.1").
session_item = Table(
    "session_item",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "session_id",
        Integer,
        ForeignKey("live_session.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("key", String(80), nullable=False),
    Column("position", Integer, nullable=False, server_default="0"),
    Column("kind", String(20), nullable=False),  # schaal / open / opmerking / stelling / tip / casus / …
    Column("theme", String(80), nullable=False, server_default=""),
    Column("tekst", Text, nullable=False),
    Column("options", JSON, nullable=False, server_default="[]"),
    Column("source", String(NAME_LENGTH), nullable=False, server_default=""),
    Column("enabled", Boolean, nullable=False, server_default="1"),
    Column("marked", Boolean, nullable=False, server_default="0"),  # chosen for discussion / dot-voting
    *record_columns(),
    UniqueConstraint("session_id", "key"),
)

participant = Table(
    "participant",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "session_id",
        Integer,
        ForeignKey("live_session.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("token", String(64), nullable=False, unique=True),  # the random id in the participant's cookie
    Column("role", String(40), nullable=False, server_default=""),
    Column("submitted", Boolean, nullable=False, server_default="0"),
)

answer = Table(
    "answer",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "session_id",
        Integer,
        ForeignKey("live_session.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("participant_id", Integer, ForeignKey("participant.id", ondelete="CASCADE"), nullable=False),
    Column("item_id", Integer, ForeignKey("session_item.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("waarde", String(40), nullable=False, server_default=""),
    Column("tekst", Text, nullable=False, server_default=""),
    UniqueConstraint("participant_id", "item_id"),
)

priority_vote = Table(
    "priority_vote",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "session_id",
        Integer,
        ForeignKey("live_session.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("participant_id", Integer, ForeignKey("participant.id", ondelete="CASCADE"), nullable=False),
    Column("item_id", Integer, ForeignKey("session_item.id", ondelete="CASCADE"), nullable=False),
    UniqueConstraint("participant_id", "item_id"),
)

# The team's ouderplan: priorities (from a study day's chosen items, or typed) with activities.
ouderplan_priority = Table(
    "ouderplan_priority",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("school_id", Integer, ForeignKey("school.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("school_year_id", Integer, ForeignKey("school_year.id", ondelete="CASCADE"), nullable=False),
    Column("session_id", Integer, ForeignKey("live_session.id", ondelete="SET NULL"), nullable=True),
    Column("item_key", String(80), nullable=False, server_default=""),
    Column("titel", Text, nullable=False),
    Column("position", Integer, nullable=False, server_default="0"),
    *record_columns(),
)

ouderplan_activity = Table(
    "ouderplan_activity",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("school_id", Integer, ForeignKey("school.id", ondelete="CASCADE"), nullable=False, index=True),
    Column(
        "priority_id",
        Integer,
        ForeignKey("ouderplan_priority.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("wat", Text, nullable=False, server_default=""),
    Column("doel_leerlingen", Text, nullable=False, server_default=""),
    Column("doel_ouders", Text, nullable=False, server_default=""),
    Column("wie", String(NAME_LENGTH), nullable=False, server_default=""),
    Column("wanneer", String(NAME_LENGTH), nullable=False, server_default=""),
    Column("evaluatie_hoe", Text, nullable=False, server_default=""),
    Column("evaluatie_wanneer", String(NAME_LENGTH), nullable=False, server_default=""),
    Column("nodig", Text, nullable=False, server_default=""),
    Column("evaluatie", Text, nullable=False, server_default=""),  # what came of it (next round)
    Column("position", Integer, nullable=False, server_default="0"),
    *record_columns(),
)

# Plural names used in `status --json` and `export --json` (DESIGN §4), one per table.
PLURAL = {
    "school": "schools",
    "staff_member": "staff_members",
    "school_year": "school_years",
    "klas": "klassen",
    "klas_mentor": "klas_mentors",
    "school_year_date": "school_year_dates",
    "student": "students",
    "guardian": "guardians",
    "student_guardian": "student_guardians",
    "sibling_link": "sibling_links",
    "slot": "slots",
    "conversation": "conversations",
    "afspraak": "afspraken",
    "communicatieplan": "communicatieplannen",
    "gouden_mail": "gouden_mails",
    "text_template": "text_templates",
    "plan_moment": "plan_moments",
    "contact_moment": "contact_moments",
    "agenda_item": "agenda_items",
    "reflection": "reflections",
    "voorbereiding": "voorbereidingen",
    "voorbereiding_antwoord": "voorbereiding_antwoorden",
    "live_session": "live_sessions",
    "session_item": "session_items",
    "participant": "participants",
    "answer": "answers",
    "priority_vote": "priority_votes",
    "ouderplan_priority": "ouderplan_priorities",
    "ouderplan_activity": "ouderplan_activities",
}
