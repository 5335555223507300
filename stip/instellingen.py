"""Settings of the school and of the acting staff member (issue 14): the school's name and address for
talks, one's own name, e-mail and phone, the mentors of each class (at most two) and the dates of the
school year (report days and holidays, stored as rows so "na rapport 1" can be resolved later).

Every letter, e-mail and sheet takes its school and mentor values from `startgesprek.family_data`, which
reads the mentors through `mentors_of`; `missing` is the one rule for "a parent would still see a
placeholder" (the default school name, a mentor named by the login, no e-mail), used by the notice on
the Startgesprek and Gouden mail pages and by every button that hands parents a text.
Services take the acting staff member and a connection; every update is versioned.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import Connection, delete, exists, insert, literal, select, union_all

from stip import schools
from stip.errors import UserError
from stip.i18n import t
from stip.schools import Actor
from stip.store import VersionConflict, update_versioned
from stip.store import tables as T
from stip.validation import EMAIL, check_text

MAX_MENTORS = 2
DATE_KINDS = ("rapport", "vakantie")
MENTOR_COLUMNS = ("id", "naam", "login", "email", "telefoon")
ACTOR_KEY = 0  # the key in `mentors_of` under which the acting staff member comes back

__all__ = [
    "InstellingenError",
    "MAX_MENTORS",
    "DATE_KINDS",
    "settings",
    "save_school",
    "save_me",
    "set_mentors",
    "add_colleague",
    "dates",
    "add_date",
    "save_date",
    "delete_date",
    "mentors_of",
    "missing",
]


class InstellingenError(UserError):
    """A user error with a Dutch catalog text; `field` names the form field when there is one."""


# -- reading ---------------------------------------------------------------------------------------------


def settings(conn: Connection, actor: Actor) -> dict[str, Any]:
    """Everything the Instellingen screen shows: school, own record, staff, classes with their mentors."""
    school = conn.execute(
        select(T.school.c.name, T.school.c.adres, T.school.c.version).where(T.school.c.id == actor.school_id)
    ).one()
    staff = (
        conn.execute(
            select(*[T.staff_member.c[name] for name in MENTOR_COLUMNS], T.staff_member.c.version)
            .where(T.staff_member.c.school_id == actor.school_id)
            .order_by(T.staff_member.c.naam, T.staff_member.c.id)
        )
        .mappings()
        .all()
    )
    klassen = (
        conn.execute(
            select(T.klas.c.id, T.klas.c.name, T.klas.c.version)
            .where(T.klas.c.school_id == actor.school_id, T.klas.c.school_year_id == actor.school_year_id)
            .order_by(T.klas.c.name)
        )
        .mappings()
        .all()
    )
    mentors = mentors_of(conn, actor, [k["id"] for k in klassen], with_actor=False)
    me = next(dict(s) for s in staff if s["id"] == actor.id)
    year = conn.execute(select(T.school_year.c.name).where(T.school_year.c.id == actor.school_year_id))
    return {
        "year": year.scalar_one(),
        "school": dict(school._mapping),
        "me": me,
        "staff": [dict(s) for s in staff],
        "klassen": [{**k, "mentors": [m["id"] for m in mentors.get(k["id"], [])]} for k in klassen],
    }


def mentors_of(
    conn: Connection, actor: Actor, klas_ids: Iterable[int], with_actor: bool = True
) -> dict[int, list[dict[str, Any]]]:
    """The mentors of each class in order ({klas_id: [{id, naam, login, email, telefoon}]}), in one
    statement: the `klas_mentor` rows, or `klas.mentor_id` for a class without rows (set by the import).
    With `with_actor`, the acting staff member comes back under `ACTOR_KEY` (for a class without mentor).
    """
    ids = sorted(set(klas_ids))
    km, sm = T.klas_mentor, T.staff_member
    person = [sm.c[name] for name in MENTOR_COLUMNS]
    parts = []
    if ids:
        parts.append(
            select(km.c.klas_id.label("klas_id"), km.c.position.label("position"), *person)
            .join(sm, sm.c.id == km.c.staff_member_id)
            .where(km.c.klas_id.in_(ids))
        )
        parts.append(
            select(T.klas.c.id.label("klas_id"), literal(1).label("position"), *person)
            .join(sm, sm.c.id == T.klas.c.mentor_id)
            .where(T.klas.c.id.in_(ids), ~exists().where(km.c.klas_id == T.klas.c.id))
        )
    if with_actor:
        parts.append(
            select(literal(ACTOR_KEY).label("klas_id"), literal(1).label("position"), *person).where(
                sm.c.id == actor.id
            )
        )
    result: dict[int, list[dict[str, Any]]] = {}
    if not parts:
        return result
    query = union_all(*parts) if len(parts) > 1 else parts[0]
    rows = conn.execute(query.order_by("klas_id", "position")).mappings().all()
    for row in rows:
        result.setdefault(row["klas_id"], []).append({name: row[name] for name in MENTOR_COLUMNS})
    return result


def names(items: list[str]) -> str:
    """ "A", "A en B", "A, B en C"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def mentor_values(mentors: list[dict[str, Any]], sender_id: int | None = None) -> dict[str, Any]:
    """What a text says about its sender: one mentor writes ("Ik ben …, de mentor van …"), so name,
    e-mail and phone are those of the acting staff member when they are one of the class's mentors, else
    of the first mentor; `mentors` keeps them all (for the "what is missing" notice)."""
    sender = next((m for m in mentors if m["id"] == sender_id), mentors[0] if mentors else {})
    return {
        "mentor": sender.get("naam") or "",
        "mentor_email": sender.get("email") or "",
        "mentor_telefoon": sender.get("telefoon") or "",
        "mentors": mentors,
    }


def sender_of(conn: Connection, actor: Actor, klas_id: int | None) -> dict[str, Any]:
    """The school and mentor values of one class (or of the acting staff member without a class), as
    `family_data` gives them: for the "what is missing" notice of a page."""
    school = conn.execute(
        select(T.school.c.name, T.school.c.adres).where(T.school.c.id == actor.school_id)
    ).one()
    mentors = mentors_of(conn, actor, [klas_id] if klas_id is not None else [])
    chosen = (mentors.get(klas_id) if klas_id is not None else None) or mentors.get(ACTOR_KEY, [])
    return {"school": school.name, "school_adres": school.adres, **mentor_values(chosen, actor.id)}


# -- what is missing ----------------------------------------------------------------------------------------


def missing(values: Mapping[str, Any], actor: Actor) -> list[str]:
    """What a parent would still see as a placeholder in a text with these school and mentor values
    (`family_data` or `sender_of`), as Dutch phrases for the notice and the refusals: the default school
    name, a mentor whose name is still the login, no e-mail address. Empty when everything is set."""
    found = []
    if not (values.get("school") or "").strip() or values.get("school") == schools.DEFAULT_SCHOOL_NAME:
        found.append(t("instellingen.missing_school"))
    mentors = values.get("mentors") or []
    for mentor in mentors:
        if not mentor["naam"].strip() or mentor["naam"] == mentor["login"]:
            if mentor["id"] == actor.id:
                found.append(t("instellingen.missing_own_name"))
            else:
                found.append(t("instellingen.missing_mentor_name", login=mentor["login"]))
    if mentors and not mentors[0].get("email"):
        if mentors[0]["id"] == actor.id:
            found.append(t("instellingen.missing_own_email"))
        else:
            found.append(t("instellingen.missing_mentor_email", naam=mentors[0]["naam"]))
    return found


def missing_text(found: list[str]) -> str:
    """ "de naam van de school, je eigen naam en je e-mailadres"."""
    return names(found)


# -- saving ---------------------------------------------------------------------------------------------


def _one_line(field: str, value: Any, column, required: bool = False) -> str:
    value = check_text(field, str(value or "").strip(), column, error=InstellingenError)
    if required and not value:
        raise InstellingenError("instellingen.required", field=field)
    return value


def save_school(conn: Connection, actor: Actor, changes: Mapping[str, Any], version: int) -> int:
    """Store the school's `name` and/or `adres` (address for talks); returns the new version."""
    values = {}
    if "name" in changes:
        values["name"] = _one_line("name", changes["name"], T.school.c.name, required=True)
    if "adres" in changes:
        values["adres"] = _one_line("adres", changes["adres"], T.school.c.adres)
    if not values:
        return version
    return update_versioned(conn, T.school, version, values, T.school.c.id == actor.school_id)


def save_me(conn: Connection, actor: Actor, changes: Mapping[str, Any], version: int) -> int:
    """Store the acting staff member's own `naam`, `email` and/or `telefoon`; returns the new version."""
    sm = T.staff_member
    values: dict[str, Any] = {}
    if "naam" in changes:
        values["naam"] = _one_line("naam", changes["naam"], sm.c.naam, required=True)
    if "email" in changes:
        email = _one_line("email", changes["email"], sm.c.email)
        if email and not EMAIL.fullmatch(email):
            raise InstellingenError("instellingen.email_invalid", field="email")
        values["email"] = email or None
    if "telefoon" in changes:
        telefoon = _one_line("telefoon", changes["telefoon"], sm.c.telefoon)
        if telefoon and not re.fullmatch(r"[+0-9 ()-]{6,40}", telefoon):
            raise InstellingenError("instellingen.telefoon_invalid", field="telefoon")
        values["telefoon"] = telefoon
    if not values:
        return version
    return update_versioned(conn, sm, version, values, sm.c.id == actor.id, sm.c.school_id == actor.school_id)


def set_mentors(
    conn: Connection, actor: Actor, klas_id: int, mentor_ids: list[int | None], version: int
) -> int:
    """Give a class its mentors in order (empty choices and repeats dropped, at most `MAX_MENTORS`);
    `klas.mentor_id` becomes the first, for the planning. Returns the class's new version."""
    chosen: list[int] = []
    for mentor in mentor_ids:
        if mentor is not None and mentor not in chosen:
            chosen.append(mentor)
    if len(chosen) > MAX_MENTORS:
        raise InstellingenError("instellingen.too_many_mentors", max=MAX_MENTORS)
    if chosen:
        known = set(
            conn.execute(
                select(T.staff_member.c.id).where(
                    T.staff_member.c.id.in_(chosen), T.staff_member.c.school_id == actor.school_id
                )
            ).scalars()
        )
        if known != set(chosen):
            raise InstellingenError("instellingen.mentor_unknown")
    where = (T.klas.c.id == klas_id, T.klas.c.school_id == actor.school_id)
    new_version = update_versioned(
        conn, T.klas, version, {"mentor_id": chosen[0] if chosen else None}, *where, author_id=actor.id
    )
    conn.execute(delete(T.klas_mentor).where(T.klas_mentor.c.klas_id == klas_id))
    if chosen:
        conn.execute(
            insert(T.klas_mentor),
            [
                {"klas_id": klas_id, "staff_member_id": mentor, "position": position}
                for position, mentor in enumerate(chosen, 1)
            ],
        )
    return new_version


def add_colleague(conn: Connection, actor: Actor, naam: str, email: str = "") -> int:
    """A colleague who has not used Stip yet (e.g. the second mentor of a class), by name; the login is
    made from the name as the class-list import does (the colleague signs in with it later)."""
    naam = _one_line("colleague", naam, T.staff_member.c.naam, required=True)
    email = _one_line("colleague_email", email, T.staff_member.c.email)
    if email and not EMAIL.fullmatch(email):
        raise InstellingenError("instellingen.email_invalid", field="colleague_email")
    taken = conn.execute(
        select(T.staff_member.c.id).where(
            T.staff_member.c.school_id == actor.school_id,
            T.staff_member.c.naam == naam,
        )
    ).first()
    if taken:
        raise InstellingenError("instellingen.colleague_exists", field="colleague", naam=naam)
    login = base = re.sub(r"[^a-z0-9]+", ".", naam.casefold()).strip(".") or "collega"
    logins = set(
        conn.execute(
            select(T.staff_member.c.login).where(
                T.staff_member.c.school_id == actor.school_id, T.staff_member.c.login.like(f"{base}%")
            )
        ).scalars()
    )
    number = 1
    while login in logins:
        number += 1
        login = f"{base}{number}"
    return schools.ensure_staff_member(conn, actor.school_id, login, naam, "mentor", email or None)


# -- dates of the school year ---------------------------------------------------------------------------


def dates(conn: Connection, actor: Actor) -> list[dict[str, Any]]:
    """The report days and holidays of the current school year, in date order."""
    d = T.school_year_date
    return [
        dict(r)
        for r in conn.execute(
            select(d)
            .where(d.c.school_id == actor.school_id, d.c.school_year_id == actor.school_year_id)
            .order_by(d.c.starts_on, d.c.kind, d.c.id)
        ).mappings()
    ]


def _check_date(conn: Connection, actor: Actor, values: dict[str, Any]) -> dict[str, Any]:
    if values["kind"] not in DATE_KINDS:
        raise InstellingenError("instellingen.kind_unknown", field="kind")
    values["name"] = _one_line("name", values["name"], T.school_year_date.c.name, required=True)
    if not isinstance(values.get("starts_on"), date):
        raise InstellingenError("instellingen.date_required", field="starts_on")
    if values["kind"] == "rapport":
        values["ends_on"] = values["starts_on"]
    elif not isinstance(values.get("ends_on"), date):
        raise InstellingenError("instellingen.date_required", field="ends_on")
    elif values["ends_on"] < values["starts_on"]:
        raise InstellingenError("instellingen.ends_before_start", field="ends_on")
    year = conn.execute(
        select(T.school_year.c.name, T.school_year.c.starts_on, T.school_year.c.ends_on).where(
            T.school_year.c.id == actor.school_year_id
        )
    ).one()
    if not year.starts_on <= values["starts_on"] <= year.ends_on:
        raise InstellingenError("instellingen.outside_year", field="starts_on", year=year.name)
    return values


def add_date(
    conn: Connection,
    actor: Actor,
    kind: str,
    name: str,
    starts_on: date | None,
    ends_on: date | None = None,
) -> int:
    """A report day (`kind` "rapport", one day) or a holiday ("vakantie", first and last day)."""
    values = _check_date(
        conn, actor, {"kind": kind, "name": name, "starts_on": starts_on, "ends_on": ends_on}
    )
    return conn.execute(
        insert(T.school_year_date).values(
            school_id=actor.school_id, school_year_id=actor.school_year_id, author_id=actor.id, **values
        )
    ).inserted_primary_key[0]


def _date_row(conn: Connection, actor: Actor, date_id: int):
    d = T.school_year_date
    row = (
        conn.execute(select(d).where(d.c.id == date_id, d.c.school_id == actor.school_id)).mappings().first()
    )
    if row is None:
        raise VersionConflict()  # removed in another page: reload
    return row


def save_date(conn: Connection, actor: Actor, date_id: int, changes: Mapping[str, Any], version: int) -> int:
    """Change a date row's `name`, `starts_on` and/or `ends_on`; returns the new version."""
    row = _date_row(conn, actor, date_id)
    values = {key: changes.get(key, row[key]) for key in ("kind", "name", "starts_on", "ends_on")}
    values = _check_date(conn, actor, values)
    d = T.school_year_date
    return update_versioned(
        conn, d, version, values, d.c.id == date_id, d.c.school_id == actor.school_id, author_id=actor.id
    )


def delete_date(conn: Connection, actor: Actor, date_id: int) -> None:
    d = T.school_year_date
    conn.execute(delete(d).where(d.c.id == date_id, d.c.school_id == actor.school_id))


def load_demo_settings(conn: Connection, actor: Actor, school: Mapping[str, Any]) -> int:
    """The demo school's address, its staff's phone numbers and its dates (`voorbeeldschool.yaml`: days
    as "MM-DD", placed in the current school year); returns how many dates."""
    from sqlalchemy import bindparam, update

    conn.execute(
        update(T.school).where(T.school.c.id == actor.school_id).values(adres=school.get("adres", ""))
    )
    phones = [
        {"who": member["login"], "phone": member["telefoon"]}
        for member in school.get("staff", [])
        if member.get("telefoon")
    ]
    if phones:
        conn.execute(
            update(T.staff_member)
            .where(T.staff_member.c.school_id == actor.school_id, T.staff_member.c.login == bindparam("who"))
            .values(telefoon=bindparam("phone")),
            phones,
        )
    rows = demo_dates(conn, actor, school.get("schooljaar", []))
    if rows:
        conn.execute(insert(T.school_year_date), rows)
    return len(rows)


def remove_demo_settings(conn: Connection, actor: Actor, school: Mapping[str, Any]) -> None:
    """Undo `load_demo_settings`: the demo's address and exactly the demo's dates (same kind, name and
    day); dates a user added stay. The demo staff go with `demo.remove_demo`."""
    from sqlalchemy import and_, or_, update

    conn.execute(
        update(T.school)
        .where(T.school.c.id == actor.school_id, T.school.c.adres == school.get("adres", ""))
        .values(adres="")
    )
    rows = demo_dates(conn, actor, school.get("schooljaar", []))
    if rows:
        d = T.school_year_date
        conn.execute(
            delete(d).where(
                d.c.school_id == actor.school_id,
                or_(
                    *[
                        and_(d.c.kind == r["kind"], d.c.name == r["name"], d.c.starts_on == r["starts_on"])
                        for r in rows
                    ]
                ),
            )
        )


def demo_dates(conn: Connection, actor: Actor, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of the demo's dates in the actor's current school year."""
    year = conn.execute(
        select(T.school_year.c.starts_on).where(T.school_year.c.id == actor.school_year_id)
    ).scalar_one()

    def day(text: str) -> date:
        month, dom = (int(part) for part in str(text).split("-"))
        return date(year.year if month >= year.month else year.year + 1, month, dom)

    rows = []
    for entry in entries:
        starts_on, ends_on = day(entry["van"]), day(entry.get("tot") or entry["van"])
        if ends_on < starts_on:  # the summer holiday runs into the next school year
            ends_on = ends_on.replace(year=ends_on.year + 1)
        rows.append(
            {
                "school_id": actor.school_id,
                "school_year_id": actor.school_year_id,
                "author_id": actor.id,
                "kind": entry["kind"],
                "name": entry["name"],
                "starts_on": starts_on,
                "ends_on": ends_on,
            }
        )
    return rows
