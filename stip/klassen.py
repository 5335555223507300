"""Classes and families: import a class list, see a class, edit a student and their guardians.

Services take the acting staff member and a connection (the caller opens one transaction per user
action), scope every query to the actor's school, and raise typed errors with a catalog key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update

from stip import timefmt
from stip.collector import paused
from stip.errors import UserError
from stip.schools import Actor, find_student
from stip.store import tables as T
from stip.store import update_versioned
from stip.store.bulk import executemany, new_ids
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


class KlassenError(UserError):
    """A user error with a Dutch catalog text; `field` names the form field it is about (and fills in
    its Dutch `label`)."""

    def __init__(self, message_key: str, field: str | None = None, **values: object):
        from stip.i18n import t

        label = t(FIELD_LABELS[field]) if field in FIELD_LABELS else ""
        super().__init__(message_key, field, **{"label": label, **values})


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
        select(T.klas.c.id, T.klas.c.name, T.staff_member.c.naam, T.staff_member.c.login, count)
        .outerjoin(T.staff_member, T.staff_member.c.id == T.klas.c.mentor_id)
        .where(T.klas.c.school_id == actor.school_id, T.klas.c.school_year_id == year)
        .order_by(T.klas.c.name)
    ).all()
    return [KlasInfo(r.id, r.name, _mentor_name(r.naam, r.login), r[4]) for r in rows]


def _mentor_name(naam: str | None, login: str | None) -> str:
    """The mentor's name as a colleague sees it; a name that is still the login says so."""
    from stip.i18n import t

    if not naam:
        return ""
    return t("klassen.mentor_without_name", login=login) if naam == login else naam


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


def _casefold_first(rows, *columns: int) -> dict[str, int]:
    """text (casefolded) -> id of the first row (by id) whose column holds it, over several columns."""
    found: dict[str, int] = {}
    for row in rows:
        for column in columns:
            found.setdefault(row[column].casefold(), row[0])
    return found


@dataclass
class ImportState:
    """Everything an import decides on, read with one query per table: the classes of the school year,
    the staff, the students, the guardians with an e-mail address and every student–guardian link of the
    school. `apply_import` compares it with what the write transaction reads (equal: nothing changed)."""

    school_id: int
    year: int
    klassen: list[tuple]  # (id, name, mentor_id)
    staff: list[tuple]  # (id, naam, login)
    students: list[tuple]  # (id, leerlingnummer, klas_id, left_on, missing_since)
    guardians: list[tuple]  # (id, naam, email), only those with an e-mail address
    links: list[tuple]  # (student_id, guardian_id, guardian naam), by student and guardian id


def read_import_state(conn: Connection, actor: Actor) -> ImportState:
    """The state an import is matched against: five queries, whatever the size of the school."""
    school = actor.school_id
    year = current_year(conn, actor)

    def rows(query) -> list[tuple]:
        return [tuple(row) for row in conn.execute(query)]

    return ImportState(
        school_id=school,
        year=year,
        klassen=rows(
            select(T.klas.c.id, T.klas.c.name, T.klas.c.mentor_id)
            .where(T.klas.c.school_year_id == year)
            .order_by(T.klas.c.id)
        ),
        staff=rows(
            select(T.staff_member.c.id, T.staff_member.c.naam, T.staff_member.c.login)
            .where(T.staff_member.c.school_id == school)
            .order_by(T.staff_member.c.id)
        ),
        students=rows(
            select(
                T.student.c.id,
                T.student.c.leerlingnummer,
                T.student.c.klas_id,
                T.student.c.left_on,
                T.student.c.missing_since,
            )
            .where(T.student.c.school_id == school)
            .order_by(T.student.c.id)
        ),
        guardians=rows(
            select(T.guardian.c.id, T.guardian.c.naam, T.guardian.c.email)
            .where(T.guardian.c.school_id == school, T.guardian.c.email != "")
            .order_by(T.guardian.c.id)
        ),
        links=rows(
            select(T.student_guardian.c.student_id, T.guardian.c.id, T.guardian.c.naam)
            .join(T.guardian, T.guardian.c.id == T.student_guardian.c.guardian_id)
            .join(T.student, T.student.c.id == T.student_guardian.c.student_id)
            .where(T.student.c.school_id == school)
            .order_by(T.student_guardian.c.student_id, T.guardian.c.id)
        ),
    )


@dataclass
class PreparedImport:
    """A validated class list matched against `state`: the rows `apply_import` writes, one executemany
    per table. A new row is referred to by a negative number, -1 for the first new row of its table; it
    gets its id in the write transaction."""

    plan: Any
    state: ImportState
    result: ImportResult
    new_staff: list[dict[str, Any]] = field(default_factory=list)  # login, naam
    new_klassen: list[tuple[str, int | None]] = field(default_factory=list)  # name, mentor
    klas_mentors: list[tuple[int, int]] = field(default_factory=list)  # klas without mentor, mentor
    new_students: list[tuple[Any, int]] = field(default_factory=list)  # StudentRow, klas
    student_updates: list[tuple[int, Any, int]] = field(default_factory=list)  # id, StudentRow, klas
    new_guardians: list[dict[str, Any]] = field(default_factory=list)
    guardian_updates: dict[int, dict[str, Any]] = field(default_factory=dict)  # id -> what the list says
    new_links: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)  # (student, guardian)
    link_updates: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    flag_missing: list[int] = field(default_factory=list)  # students no longer in the list


@paused
def prepare_import(conn: Connection, actor: Actor, plan) -> PreparedImport:
    """Match a validated class list (`stip.imports.ImportPlan`) against the store: reads only, so it runs
    on a read transaction before the short write (`apply_import`). Raises ImportRejected for a plan with
    errors."""
    if plan.errors:
        raise ImportRejected(len(plan.errors))
    return _match(read_import_state(conn, actor), plan)


def _match(state: ImportState, plan) -> PreparedImport:
    """The decisions of an import, in the order of the list (a later row wins, as one row after the other
    would): students by leerlingnummer; classes by name whatever their case; mentors by name or login;
    guardians by name among the student's own, else by name and e-mail within the school (so siblings
    share them); a guardian without e-mail who is not the student's own is new."""
    prepared = PreparedImport(plan=plan, state=state, result=ImportResult())
    result = prepared.result
    klas_of = {}
    for klas_id, name, mentor_id in state.klassen:
        klas_of.setdefault(name.lower(), (klas_id, mentor_id))
    staff_of = _casefold_first(state.staff, 1, 2)
    logins = {login for _id, _naam, login in state.staff}
    students = {number: sid for sid, number, *_rest in state.students}
    links: dict[int, list[tuple[int, str]]] = {}
    for student_id, guardian_id, naam in state.links:
        links.setdefault(student_id, []).append((guardian_id, naam.casefold()))
    by_name_email = {(naam.casefold(), email.casefold()): gid for gid, naam, email in state.guardians}
    new_klas_mentor: dict[int, int] = {}  # new klas (ref) -> its mentor
    mentor_wanted: dict[int, int] = {}  # existing klas without mentor -> the first mentor in the list
    seen_klassen: set[int] = set()
    seen_students: set[str] = set()

    for item in plan.students:
        klas_key = item.klas.lower()
        if klas_key not in klas_of:
            prepared.new_klassen.append((item.klas, None))
            klas_of[klas_key] = (-len(prepared.new_klassen), None)
            result.klassen_created.append(item.klas)
        klas, klas_mentor = klas_of[klas_key]
        seen_klassen.add(klas)
        seen_students.add(item.leerlingnummer)
        mentor_text = item.mentor.strip()
        if mentor_text:
            mentor = staff_of.get(mentor_text.casefold())
            if mentor is None:
                login = re.sub(r"[^a-z0-9]+", ".", mentor_text.casefold()).strip(".") or "mentor"
                base, number = login, 1
                while login in logins:  # another person already has this login
                    number += 1
                    login = f"{base}.{number}"
                logins.add(login)
                prepared.new_staff.append({"login": login, "naam": mentor_text})
                mentor = staff_of[mentor_text.casefold()] = -len(prepared.new_staff)
                staff_of.setdefault(login, mentor)  # a later row may name this mentor by login
            if klas < 0:
                new_klas_mentor.setdefault(klas, mentor)
            elif klas_mentor is None:
                mentor_wanted.setdefault(klas, mentor)
        old = students.get(item.leerlingnummer)
        if old is None:
            prepared.new_students.append((item, klas))
            student = -len(prepared.new_students)
            result.created += 1
            current: list[tuple[int, str]] = []
        else:
            student = old
            prepared.student_updates.append((student, item, klas))
            result.updated += 1
            current = list(links.get(student, ()))
        for guardian in item.guardians:
            _match_guardian(prepared, student, guardian, item.apart_informeren, current, by_name_email)

    prepared.new_klassen = [
        (name, new_klas_mentor.get(-index)) for index, (name, _none) in enumerate(prepared.new_klassen, 1)
    ]
    prepared.klas_mentors = list(mentor_wanted.items())
    for sid, number, klas_id, left_on, missing_since in state.students:
        if number not in seen_students and klas_id in seen_klassen and left_on is None:
            if missing_since is None:
                prepared.flag_missing.append(sid)
            result.missing.append(number)
    return prepared


def _match_guardian(prepared, student, guardian, apart, current, by_name_email) -> None:
    """One guardian cell of the list; `current` holds every link of the student as (id, casefolded name)."""
    # An empty cell or a missing column never overwrites what is known (a mentor's "tolk nodig" or
    # "apart informeren" survives the next plain export); a new guardian's unknown language stays "".
    values = {"naam": guardian.naam}
    if guardian.email:
        values["email"] = guardian.email
    if guardian.telefoon:
        values["telefoon"] = guardian.telefoon
    if guardian.taal:
        values["taal"] = guardian.taal
    if guardian.tolk_nodig is not None:
        values["tolk_nodig"] = guardian.tolk_nodig
    naam = guardian.naam.casefold()
    linked = None
    for gid, other in current:
        if other == naam:
            linked = gid
            break
    guardian_id = linked if linked is not None else by_name_email.get((naam, guardian.email.casefold()))
    if guardian_id is None or (linked is None and not guardian.email):
        prepared.new_guardians.append({**NEW_GUARDIAN, **values})
        guardian_id = -len(prepared.new_guardians)
        prepared.result.guardians_created += 1
        if guardian.email:
            by_name_email[(naam, guardian.email.casefold())] = guardian_id
    elif guardian_id < 0:
        prepared.new_guardians[-guardian_id - 1].update(values)
    else:
        prepared.guardian_updates.setdefault(guardian_id, {}).update(values)
    link = {}
    if guardian.relatie:
        link["relatie"] = guardian.relatie
    if apart is not None:
        link["apart_informeren"] = apart
    key = (student, guardian_id)
    if linked is not None:
        if not link:
            return
        if key in prepared.new_links:
            prepared.new_links[key].update(link)
        else:
            prepared.link_updates.setdefault(key, {}).update(link)
    elif all(gid != guardian_id for gid, _naam in current):
        prepared.new_links[key] = {"relatie": "ouder", "apart_informeren": False, **link}
        current.append((guardian_id, naam))


@paused
def apply_import(conn: Connection, actor: Actor, plan, today: date | None = None) -> ImportResult:
    """Store a class list: all or nothing, one executemany per table, on a write transaction.

    `plan` is a `PreparedImport` (matched on a read transaction by `prepare_import`, so the write stays
    short) or a validated `stip.imports.ImportPlan` (matched here). A prepared import whose state changed
    meanwhile is matched again inside this transaction, so what another user stored in between counts.
    Students are matched by leerlingnummer and updated; guardians by name per student, else by name and
    e-mail within the school (so siblings share them). Students of the imported classes that the list no
    longer holds are flagged (`missing_since`), never deleted.
    """
    if not isinstance(plan, PreparedImport):
        prepared = prepare_import(conn, actor, plan)
    else:
        state = read_import_state(conn, actor)
        prepared = plan if state == plan.state else _match(state, plan.plan)
    _write_import(conn, actor, prepared, today or date.today())
    return prepared.result


def _write_import(conn: Connection, actor: Actor, prepared: PreparedImport, today: date) -> None:
    school, author = actor.school_id, actor.id
    staff_ids = new_ids(conn, T.staff_member, len(prepared.new_staff))
    if staff_ids:
        executemany(
            conn,
            insert(T.staff_member),
            [
                {"id": sid, "school_id": school, "role": "mentor", **values}
                for sid, values in zip(staff_ids, prepared.new_staff, strict=True)
            ],
        )

    def staff(ref: int | None) -> int | None:
        return staff_ids[-ref - 1] if ref is not None and ref < 0 else ref

    klas_ids = new_ids(conn, T.klas, len(prepared.new_klassen))
    if klas_ids:
        executemany(
            conn,
            insert(T.klas),
            [
                {
                    "id": kid,
                    "school_id": school,
                    "school_year_id": prepared.state.year,
                    "name": name,
                    "mentor_id": staff(mentor),
                    "author_id": author,
                }
                for kid, (name, mentor) in zip(klas_ids, prepared.new_klassen, strict=True)
            ],
        )
    if prepared.klas_mentors:
        executemany(
            conn,
            update(T.klas)
            .where(T.klas.c.id == bindparam("klas"), T.klas.c.mentor_id.is_(None))
            .values(mentor_id=bindparam("mentor")),
            [{"klas": klas, "mentor": staff(mentor)} for klas, mentor in prepared.klas_mentors],
        )

    def klas(ref: int) -> int:
        return klas_ids[-ref - 1] if ref < 0 else ref

    student_ids = new_ids(conn, T.student, len(prepared.new_students))
    if student_ids:
        executemany(
            conn,
            insert(T.student),
            [  # in the order of the table's columns, so the rows go to the driver as they are
                (
                    sid,
                    school,
                    item.leerlingnummer,
                    item.roepnaam,
                    item.tussenvoegsel,
                    item.achternaam,
                    klas(ref),
                    author,
                )
                for sid, (item, ref) in zip(student_ids, prepared.new_students, strict=True)
            ],
            (
                "id",
                "school_id",
                "leerlingnummer",
                "roepnaam",
                "tussenvoegsel",
                "achternaam",
                "klas_id",
                "author_id",
            ),
        )
    if prepared.student_updates:
        executemany(
            conn,
            update(T.student)
            .where(T.student.c.id == bindparam("student"))
            .values(
                roepnaam=bindparam("new_roepnaam"),
                tussenvoegsel=bindparam("new_tussenvoegsel"),
                achternaam=bindparam("new_achternaam"),
                klas_id=bindparam("new_klas"),
                missing_since=None,
                left_on=None,
                author_id=author,
                version=T.student.c.version + 1,
                updated_at=func.now(),
            ),
            [
                (sid, item.roepnaam, item.tussenvoegsel, item.achternaam, klas(ref))
                for sid, item, ref in prepared.student_updates
            ],
            ("student", "new_roepnaam", "new_tussenvoegsel", "new_achternaam", "new_klas"),
        )

    def student(ref: int) -> int:
        return student_ids[-ref - 1] if ref < 0 else ref

    guardian_ids = new_ids(conn, T.guardian, len(prepared.new_guardians))
    if guardian_ids:
        executemany(
            conn,
            insert(T.guardian),
            [  # in the order of the table's columns
                (gid, school, v["naam"], v["email"], v["telefoon"], v["taal"], v["tolk_nodig"], author)
                for gid, v in zip(guardian_ids, prepared.new_guardians, strict=True)
            ],
            ("id", "school_id", "naam", "email", "telefoon", "taal", "tolk_nodig", "author_id"),
        )
    if prepared.guardian_updates:
        keep = {key: func.coalesce(bindparam(f"new_{key}"), T.guardian.c[key]) for key in GUARDIAN_IMPORTED}
        executemany(
            conn,
            update(T.guardian)
            .where(T.guardian.c.id == bindparam("guardian"))
            .values(
                naam=bindparam("new_naam"), **keep, version=T.guardian.c.version + 1, updated_at=func.now()
            ),
            [
                {"guardian": gid, **{f"new_{key}": values.get(key) for key in ("naam", *GUARDIAN_IMPORTED)}}
                for gid, values in prepared.guardian_updates.items()
            ],
        )

    def guardian(ref: int) -> int:
        return guardian_ids[-ref - 1] if ref < 0 else ref

    if prepared.new_links:
        executemany(
            conn,
            insert(T.student_guardian),
            [
                (student(sid), guardian(gid), values["relatie"], values["apart_informeren"])
                for (sid, gid), values in prepared.new_links.items()
            ],
            ("student_id", "guardian_id", "relatie", "apart_informeren"),
        )
    if prepared.link_updates:
        link = T.student_guardian
        executemany(
            conn,
            update(link)
            .where(link.c.student_id == bindparam("student"), link.c.guardian_id == bindparam("guardian"))
            .values(
                relatie=func.coalesce(bindparam("new_relatie"), link.c.relatie),
                apart_informeren=func.coalesce(bindparam("new_apart"), link.c.apart_informeren),
            ),
            [
                {
                    "student": sid,
                    "guardian": gid,
                    "new_relatie": values.get("relatie"),
                    "new_apart": values.get("apart_informeren"),
                }
                for (sid, gid), values in prepared.link_updates.items()
            ],
        )
    if prepared.flag_missing:
        conn.execute(
            update(T.student).where(T.student.c.id == bindparam("student")).values(missing_since=today),
            [{"student": sid} for sid in prepared.flag_missing],
        )


GUARDIAN_IMPORTED = ("email", "telefoon", "taal", "tolk_nodig")  # kept when the list leaves them empty
NEW_GUARDIAN = {"email": "", "telefoon": "", "taal": "", "tolk_nodig": False}  # what the list does not say


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
