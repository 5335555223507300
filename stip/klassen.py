"""Classes and families: import a class list, see a class, edit a student and their guardians.

Services take the acting staff member and a connection (the caller opens one transaction per user
action), scope every query to the actor's school, and raise typed errors with a catalog key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, func, insert, or_, select, update

from stip import timefmt
from stip.schools import Actor, find_student
from stip.store import tables as T
from stip.store import update_versioned
from stip.validation import EMAIL, check_text, check_texts  # one rule per input, import and form alike

KANALEN = ("gesprek op school", "telefoon", "video", "mail", "app", "huisbezoek")
RELATIES = ("moeder", "vader", "ouder", "verzorger", "voogd", "pleegouder", "oma", "opa", "anders")


FIELD_LABELS = {
    "leerlingnummer": "klassen.label.leerlingnummer",
    "roepnaam": "klassen.label.roepnaam",
    "tussenvoegsel": "klassen.label.tussenvoegsel",
    "achternaam": "klassen.label.achternaam",
    "klas": "klassen.label.klas",
    "naam": "klassen.label.naam",
    "email": "klassen.label.email",
    "telefoon": "klassen.label.telefoon",
    "taal": "klassen.label.taal",
    "voorkeurskanaal": "klassen.label.voorkeurskanaal",
    "relatie": "klassen.label.relatie",
}


class KlassenError(Exception):
    """A user error with a Dutch catalog text; `field` names the form field it is about."""

    def __init__(self, message_key: str, field: str | None = None, **values: object):
        from stip.i18n import t

        super().__init__(message_key)
        self.message_key = message_key
        self.field = field
        self.values = {"label": t(FIELD_LABELS[field]) if field in FIELD_LABELS else "", **values}


class ImportRejected(Exception):
    """The class list has errors: nothing was stored."""

    message_key = "klassen.import_rejected"

    def __init__(self, errors: int):
        super().__init__(errors)
        self.values = {"errors": errors}


@dataclass(frozen=True)
class KlasInfo:
    id: int
    name: str
    mentor: str
    students: int


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    guardians_created: int = 0
    klassen_created: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # leerlingnummers no longer in the list


def full_name(roepnaam: str, tussenvoegsel: str, achternaam: str) -> str:
    return " ".join(p for p in (roepnaam, tussenvoegsel, achternaam) if p)


def current_year(conn: Connection, actor: Actor) -> int:
    return actor.school_year_id


def klassen(conn: Connection, actor: Actor) -> list[KlasInfo]:
    """The classes of the current school year with mentor and number of students, by name."""
    year = current_year(conn, actor)
    count = (
        select(func.count())
        .where(T.student.c.klas_id == T.klas.c.id, T.student.c.left_on.is_(None))
        .scalar_subquery()
    )
    rows = conn.execute(
        select(T.klas.c.id, T.klas.c.name, T.staff_member.c.naam, count)
        .outerjoin(T.staff_member, T.staff_member.c.id == T.klas.c.mentor_id)
        .where(T.klas.c.school_id == actor.school_id, T.klas.c.school_year_id == year)
        .order_by(T.klas.c.name)
    ).all()
    return [KlasInfo(r[0], r[1], r[2] or "", r[3]) for r in rows]


def _guardians_of(conn: Connection, student_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    result: dict[int, list[dict[str, Any]]] = {sid: [] for sid in student_ids}
    if not student_ids:
        return result
    rows = (
        conn.execute(
            select(
                T.student_guardian.c.student_id,
                T.student_guardian.c.relatie,
                T.student_guardian.c.apart_informeren,
                T.guardian,
            )
            .join(T.guardian, T.guardian.c.id == T.student_guardian.c.guardian_id)
            .where(T.student_guardian.c.student_id.in_(student_ids))
            .order_by(T.student_guardian.c.student_id, T.guardian.c.id)
        )
        .mappings()
        .all()
    )
    for row in rows:
        result[row["student_id"]].append(dict(row))
    return result


def class_students(conn: Connection, actor: Actor, klas_id: int) -> list[dict[str, Any]]:
    """The students of one class (also those flagged missing), each with their guardians."""
    students = (
        conn.execute(
            select(T.student)
            .where(
                T.student.c.school_id == actor.school_id,
                T.student.c.klas_id == klas_id,
                T.student.c.left_on.is_(None),
            )
            .order_by(T.student.c.achternaam, T.student.c.roepnaam)
        )
        .mappings()
        .all()
    )
    guardians = _guardians_of(conn, [s["id"] for s in students])
    return [{**s, "guardians": guardians[s["id"]]} for s in students]


def student_options(conn: Connection, actor: Actor) -> list[dict[str, Any]]:
    """Every current student as an option for the student picker."""
    rows = (
        conn.execute(
            select(
                T.student.c.id,
                T.student.c.leerlingnummer,
                *T.STUDENT_NAME,
                T.klas.c.name.label("klas"),
            )
            .outerjoin(T.klas, T.klas.c.id == T.student.c.klas_id)
            .where(T.student.c.school_id == actor.school_id, T.student.c.left_on.is_(None))
        )
        .mappings()
        .all()
    )
    return [dict(r) for r in rows]


# -- import ------------------------------------------------------------------------------------------


def _klas_id(conn, actor, year, name, cache, result) -> int:
    """The class called `name` this school year ("1a" is class 1A), created when there is none."""
    if name not in cache:
        found = conn.execute(
            select(T.klas.c.id).where(
                T.klas.c.school_year_id == year, func.lower(T.klas.c.name) == name.lower()
            )
        ).scalar()
        if found is None:
            found = conn.execute(
                insert(T.klas).values(
                    school_id=actor.school_id, school_year_id=year, name=name, author_id=actor.id
                )
            ).inserted_primary_key[0]
            result.klassen_created.append(name)
        cache[name] = found
    return cache[name]


def _mentor_id(conn, actor, text, cache) -> int | None:
    text = text.strip()
    if not text:
        return None
    if text.casefold() not in cache:
        found = conn.execute(
            select(T.staff_member.c.id).where(
                T.staff_member.c.school_id == actor.school_id,
                or_(
                    func.lower(T.staff_member.c.naam) == text.casefold(),
                    func.lower(T.staff_member.c.login) == text.casefold(),
                ),
            )
        ).scalar()
        if found is None:
            login = re.sub(r"[^a-z0-9]+", ".", text.casefold()).strip(".") or "mentor"
            found = conn.execute(
                insert(T.staff_member).values(
                    school_id=actor.school_id, login=login, naam=text, role="mentor"
                )
            ).inserted_primary_key[0]
        cache[text.casefold()] = found
    return cache[text.casefold()]


def apply_import(conn: Connection, actor: Actor, plan, today: date | None = None) -> ImportResult:
    """Store a validated class list (`stip.imports.ImportPlan`): all or nothing.

    Students are matched by leerlingnummer and updated; guardians by name per student, else by name and
    e-mail within the school (so siblings share them). Students of the imported classes that the list no
    longer holds are flagged (`missing_since`), never deleted.
    """
    if plan.errors:
        raise ImportRejected(len(plan.errors))
    today = today or date.today()
    result = ImportResult()
    year = current_year(conn, actor)
    klas_cache: dict[str, int] = {}
    mentor_cache: dict[str, int] = {}
    existing = {
        row.leerlingnummer: row
        for row in conn.execute(select(T.student).where(T.student.c.school_id == actor.school_id))
    }
    by_name_email: dict[tuple[str, str], int] = {
        (row.naam.casefold(), row.email.casefold()): row.id
        for row in conn.execute(
            select(T.guardian.c.id, T.guardian.c.naam, T.guardian.c.email).where(
                T.guardian.c.school_id == actor.school_id, T.guardian.c.email != ""
            )
        )
    }
    links = _guardians_of(conn, [row.id for row in existing.values()])
    seen_klassen: set[int] = set()
    seen_students: set[str] = set()
    for item in plan.students:
        klas_id = _klas_id(conn, actor, year, item.klas, klas_cache, result)
        seen_klassen.add(klas_id)
        seen_students.add(item.leerlingnummer)
        mentor = _mentor_id(conn, actor, item.mentor, mentor_cache)
        if mentor is not None:
            conn.execute(
                update(T.klas)
                .where(T.klas.c.id == klas_id, T.klas.c.mentor_id.is_(None))
                .values(mentor_id=mentor)
            )
        values = dict(
            roepnaam=item.roepnaam,
            tussenvoegsel=item.tussenvoegsel,
            achternaam=item.achternaam,
            klas_id=klas_id,
            missing_since=None,
            left_on=None,
        )
        old = existing.get(item.leerlingnummer)
        if old is None:
            student_id = conn.execute(
                insert(T.student).values(
                    school_id=actor.school_id,
                    leerlingnummer=item.leerlingnummer,
                    author_id=actor.id,
                    **values,
                )
            ).inserted_primary_key[0]
            result.created += 1
            current = []
        else:
            student_id = old.id
            conn.execute(
                update(T.student)
                .where(T.student.c.id == old.id)
                .values(**values, author_id=actor.id, version=T.student.c.version + 1, updated_at=func.now())
            )
            result.updated += 1
            current = links.get(old.id, [])
        for guardian in item.guardians:
            _import_guardian(
                conn, actor, student_id, guardian, item.apart_informeren, current, by_name_email, result
            )
    for number, row in existing.items():
        if number not in seen_students and row.klas_id in seen_klassen and row.left_on is None:
            if row.missing_since is None:
                conn.execute(update(T.student).where(T.student.c.id == row.id).values(missing_since=today))
            result.missing.append(number)
    return result


def _import_guardian(conn, actor, student_id, guardian, apart, current, by_name_email, result) -> None:
    # An empty cell or a missing column never overwrites what is known (a mentor's "tolk nodig" or
    # "apart informeren" survives the next plain export); a new guardian's unknown language stays "".
    values = {"naam": guardian.naam}
    for key in ("email", "telefoon", "taal", "tolk_nodig"):
        if getattr(guardian, key) not in ("", None):
            values[key] = getattr(guardian, key)
    linked = next((g for g in current if g["naam"].casefold() == guardian.naam.casefold()), None)
    guardian_id = (
        linked["id"] if linked else by_name_email.get((guardian.naam.casefold(), guardian.email.casefold()))
    )
    if guardian_id is None or (not linked and not guardian.email):
        guardian_id = conn.execute(
            insert(T.guardian).values(
                **{"taal": "", "tolk_nodig": False, **values}, school_id=actor.school_id, author_id=actor.id
            )
        ).inserted_primary_key[0]
        result.guardians_created += 1
        if guardian.email:
            by_name_email[(guardian.naam.casefold(), guardian.email.casefold())] = guardian_id
    else:
        conn.execute(
            update(T.guardian)
            .where(T.guardian.c.id == guardian_id)
            .values(**values, version=T.guardian.c.version + 1, updated_at=func.now())
        )
    link = {}
    if guardian.relatie:
        link["relatie"] = guardian.relatie
    if apart is not None:
        link["apart_informeren"] = apart
    if linked and link:
        conn.execute(
            update(T.student_guardian)
            .where(
                and_(
                    T.student_guardian.c.student_id == student_id,
                    T.student_guardian.c.guardian_id == guardian_id,
                )
            )
            .values(**link)
        )
    elif all(g["id"] != guardian_id for g in current):  # `current` holds every link of this student
        new_link = {"relatie": "ouder", "apart_informeren": False, **link}
        conn.execute(
            insert(T.student_guardian).values(student_id=student_id, guardian_id=guardian_id, **new_link)
        )
        current.append({"id": guardian_id, "naam": guardian.naam})


# -- one student and their guardians -------------------------------------------------------------------

STUDENT_FIELDS = ("leerlingnummer", "roepnaam", "tussenvoegsel", "achternaam")
GUARDIAN_FIELDS = (
    "naam",
    "email",
    "telefoon",
    "taal",
    "tolk_nodig",
    "voorkeurskanaal",
    "gezag",
    "contact_afgeschermd",
)
LINK_FIELDS = ("relatie", "apart_informeren")


def _own_student(conn: Connection, actor: Actor, student_id: int):
    row = find_student(conn, actor, student_id)
    if row is None:
        raise KlassenError("klassen.student_not_found")
    return row


def get_student(conn: Connection, actor: Actor, student_id: int) -> dict[str, Any]:
    """One student with klas name and guardians (each with its link fields and version)."""
    row = dict(_own_student(conn, actor, student_id))
    row["klas"] = conn.execute(select(T.klas.c.name).where(T.klas.c.id == row["klas_id"])).scalar() or ""
    row["guardians"] = _guardians_of(conn, [student_id])[student_id]
    return row


def _clean(values: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items() if k in names}


def _check_name(values: dict[str, Any], key: str, required: bool) -> None:
    if required and not values.get(key, ""):
        raise KlassenError("klassen.field_required", field=key)


def save_student(
    conn: Connection,
    actor: Actor,
    student_id: int | None,
    values: dict[str, Any],
    version: int | None = None,
    klas: str | None = None,
) -> tuple[int, int]:
    """Create (`student_id` None) or update a student; returns (id, new version)."""
    values = check_texts(T.student, _clean(values, STUDENT_FIELDS), error=KlassenError)
    for key in ("leerlingnummer", "roepnaam", "achternaam"):
        if student_id is None or key in values:
            _check_name(values, key, required=True)
    if "tussenvoegsel" in values:
        _check_name(values, "tussenvoegsel", required=False)
    if klas is not None:
        klas = check_text("klas", klas.strip(), T.klas.c.name, error=KlassenError)
        if not klas:
            raise KlassenError("klassen.field_required", field="klas")
        values["klas_id"] = _klas_id(conn, actor, current_year(conn, actor), klas, {}, ImportResult())
    if "leerlingnummer" in values:
        clash = conn.execute(
            select(T.student.c.id).where(
                T.student.c.school_id == actor.school_id,
                T.student.c.leerlingnummer == values["leerlingnummer"],
                T.student.c.id != (student_id or 0),
            )
        ).scalar()
        if clash is not None:
            raise KlassenError(
                "klassen.leerlingnummer_taken",
                field="leerlingnummer",
                leerlingnummer=values["leerlingnummer"],
            )
    if student_id is None:
        new_id = conn.execute(
            insert(T.student).values(school_id=actor.school_id, author_id=actor.id, **values)
        ).inserted_primary_key[0]
        return new_id, 1
    _own_student(conn, actor, student_id)
    return student_id, update_versioned(
        conn, T.student, version, values, T.student.c.id == student_id, author_id=actor.id
    )


def save_guardian(
    conn: Connection,
    actor: Actor,
    student_id: int,
    guardian_id: int | None,
    values: dict[str, Any],
    version: int | None = None,
) -> tuple[int, int]:
    """Create and link (`guardian_id` None) or update a guardian of this student; returns (id, version)."""
    _own_student(conn, actor, student_id)
    link = check_texts(T.student_guardian, _clean(values, LINK_FIELDS), error=KlassenError)
    values = check_texts(T.guardian, _clean(values, GUARDIAN_FIELDS), error=KlassenError)
    if guardian_id is None or "naam" in values:
        _check_name(values, "naam", required=True)
    if values.get("email") and not EMAIL.fullmatch(values["email"]):
        raise KlassenError("klassen.email_invalid", field="email", email=values["email"])
    if values.get("voorkeurskanaal") and values["voorkeurskanaal"] not in KANALEN:
        raise KlassenError("klassen.kanaal_unknown", field="voorkeurskanaal")
    if guardian_id is None:
        guardian_id = conn.execute(
            insert(T.guardian).values(
                **{"taal": "", "tolk_nodig": False, **values}, school_id=actor.school_id, author_id=actor.id
            )
        ).inserted_primary_key[0]
        conn.execute(
            insert(T.student_guardian).values(
                student_id=student_id, guardian_id=guardian_id, **{"relatie": "ouder", **link}
            )
        )
        return guardian_id, 1
    linked = conn.execute(
        select(T.student_guardian.c.guardian_id).where(
            T.student_guardian.c.student_id == student_id, T.student_guardian.c.guardian_id == guardian_id
        )
    ).first()
    if linked is None:
        raise KlassenError("klassen.guardian_not_found")
    if values:
        version = update_versioned(
            conn, T.guardian, version, values, T.guardian.c.id == guardian_id, author_id=actor.id
        )
    if link:
        conn.execute(
            update(T.student_guardian)
            .where(
                T.student_guardian.c.student_id == student_id, T.student_guardian.c.guardian_id == guardian_id
            )
            .values(**link)
        )
    return guardian_id, version


def sibling_suggestions(conn: Connection, actor: Actor, student_id: int) -> list[dict[str, Any]]:
    """Students who may be siblings: a guardian with the same e-mail or phone, not yet linked or shared."""
    mine = _guardians_of(conn, [student_id])[student_id]
    emails = {g["email"].casefold() for g in mine if g["email"]}
    phones = {re.sub(r"\D", "", g["telefoon"]) for g in mine if g["telefoon"]}
    phones.discard("")
    if not emails and not phones:
        return []
    shared = {g["id"] for g in mine}
    candidates = conn.execute(
        select(T.student_guardian.c.student_id, T.guardian.c.id, T.guardian.c.email, T.guardian.c.telefoon)
        .join(T.guardian, T.guardian.c.id == T.student_guardian.c.guardian_id)
        .where(T.guardian.c.school_id == actor.school_id, T.student_guardian.c.student_id != student_id)
    ).all()
    confirmed = {
        row.sibling_id
        for row in conn.execute(
            select(T.sibling_link.c.sibling_id).where(T.sibling_link.c.student_id == student_id)
        )
    }
    found = set()
    for other, gid, email, phone in candidates:
        if gid in shared or other in confirmed:
            continue
        if (email and email.casefold() in emails) or (re.sub(r"\D", "", phone or "") in phones):
            found.add(other)
    if not found:
        return []
    options = {o["id"]: o for o in student_options(conn, actor)}
    return sorted((options[i] for i in found if i in options), key=lambda o: (o["achternaam"], o["roepnaam"]))


def siblings(conn: Connection, actor: Actor, student_id: int) -> list[dict[str, Any]]:
    """Known siblings of one student: students sharing a guardian, plus links a user confirmed."""
    return siblings_of(conn, actor, [student_id])[student_id]


def siblings_of(conn: Connection, actor: Actor, student_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The known siblings of many students in two queries, whatever their number: per student the
    current students of the actor's school that share a guardian with them or were confirmed as
    siblings, as student options (id, leerlingnummer, names, klas), by name."""
    result: dict[int, list[dict[str, Any]]] = {sid: [] for sid in student_ids}
    if not student_ids:
        return result
    mine, theirs = T.student_guardian.alias("mine"), T.student_guardian.alias("theirs")
    sharing = (
        select(mine.c.student_id.label("student_id"), theirs.c.student_id.label("sibling_id"))
        .join(theirs, theirs.c.guardian_id == mine.c.guardian_id)
        .where(mine.c.student_id.in_(student_ids), theirs.c.student_id != mine.c.student_id)
    )
    confirmed = select(T.sibling_link.c.student_id, T.sibling_link.c.sibling_id).where(
        T.sibling_link.c.student_id.in_(student_ids),
        T.sibling_link.c.sibling_id != T.sibling_link.c.student_id,
    )
    pairs = sharing.union(confirmed).subquery()
    rows = conn.execute(
        select(pairs.c.student_id, T.student.c.id, T.student.c.leerlingnummer, *T.STUDENT_NAME)
        .add_columns(T.klas.c.name.label("klas"))
        .join(T.student, T.student.c.id == pairs.c.sibling_id)
        .outerjoin(T.klas, T.klas.c.id == T.student.c.klas_id)
        .where(T.student.c.school_id == actor.school_id, T.student.c.left_on.is_(None))
        .order_by(T.student.c.achternaam, T.student.c.roepnaam)
    ).mappings()
    for row in rows:
        sibling = dict(row)
        result[sibling.pop("student_id")].append(sibling)
    return result


def confirm_sibling(conn: Connection, actor: Actor, student_id: int, sibling_id: int) -> None:
    """Record that two students are siblings (both directions)."""
    _own_student(conn, actor, student_id)
    _own_student(conn, actor, sibling_id)
    for a, b in ((student_id, sibling_id), (sibling_id, student_id)):
        exists = conn.execute(
            select(T.sibling_link.c.student_id).where(
                T.sibling_link.c.student_id == a, T.sibling_link.c.sibling_id == b
            )
        ).first()
        if not exists:
            conn.execute(insert(T.sibling_link).values(student_id=a, sibling_id=b, confirmed_by=actor.id))


def mark_left(conn: Connection, actor: Actor, student_id: int, day: date | None = None) -> None:
    """The student left the school (retention counts from this day)."""
    _own_student(conn, actor, student_id)
    conn.execute(
        update(T.student)
        .where(T.student.c.id == student_id)
        .values(left_on=day or timefmt.today(), version=T.student.c.version + 1, updated_at=func.now())
    )
