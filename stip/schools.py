"""The school, its current school year and the acting staff member (DESIGN §2 "who is acting")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, insert, select

from stip import config, timefmt
from stip.store import tables as T

DEFAULT_SCHOOL_NAME = "Mijn school"


@dataclass(frozen=True)
class Actor:
    """The staff member on whose behalf a service acts."""

    id: int
    school_id: int
    login: str
    naam: str
    role: str
    school_year_id: int


def school_year_bounds(day: date) -> tuple[str, date, date]:
    """The Dutch school year holding `day`: ('2026-2027', 1 Aug 2026, 31 Jul 2027)."""
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}-{first + 1}", date(first, 8, 1), date(first + 1, 7, 31)


def ensure_school(conn: Connection) -> int:
    """The installation's school (local mode has one), created on first start."""
    school_id = conn.execute(select(T.school.c.id).order_by(T.school.c.id).limit(1)).scalar()
    if school_id is None:
        school_id = conn.execute(insert(T.school).values(name=DEFAULT_SCHOOL_NAME)).inserted_primary_key[0]
    return school_id


def ensure_school_year(conn: Connection, school_id: int, day: date | None = None) -> int:
    name, starts_on, ends_on = school_year_bounds(day or timefmt.today())
    found = conn.execute(
        select(T.school_year.c.id).where(T.school_year.c.school_id == school_id, T.school_year.c.name == name)
    ).scalar()
    if found is not None:
        return found
    values = dict(school_id=school_id, name=name, starts_on=starts_on, ends_on=ends_on)
    return conn.execute(insert(T.school_year).values(**values)).inserted_primary_key[0]


def ensure_staff_member(
    conn: Connection,
    school_id: int,
    login: str,
    naam: str | None = None,
    role: str = "mentor",
    email: str | None = None,
) -> int:
    found = conn.execute(
        select(T.staff_member.c.id).where(
            T.staff_member.c.school_id == school_id, T.staff_member.c.login == login
        )
    ).scalar()
    if found is not None:
        return found
    values = dict(school_id=school_id, login=login, naam=naam or login, role=role, email=email)
    return conn.execute(insert(T.staff_member).values(**values)).inserted_primary_key[0]


def find_actor(conn: Connection, login: str | None = None, day: date | None = None) -> Actor | None:
    """The acting staff member with the current school year, by reads only; None while the school, the
    staff member or the school year does not exist yet (then `acting_staff_member` creates them)."""
    login = login or config.acting_login()
    name = school_year_bounds(day or timefmt.today())[0]
    school_id = select(T.school.c.id).order_by(T.school.c.id).limit(1).scalar_subquery()
    year = T.school_year
    query = (
        select(T.staff_member, year.c.id.label("school_year_id"))
        .join(year, (year.c.school_id == T.staff_member.c.school_id) & (year.c.name == name))
        .where(T.staff_member.c.school_id == school_id, T.staff_member.c.login == login)
    )
    row = conn.execute(query).first()
    if row is None:
        return None
    return Actor(row.id, row.school_id, row.login, row.naam, row.role, row.school_year_id)


def acting_staff_member(conn: Connection) -> Actor:
    """The acting staff member (JUPYTERHUB_USER, STIP_USER or the OS login) in a write transaction,
    with the school, the staff member and the current school year created when missing."""
    found = find_actor(conn)
    if found is not None:
        return found
    school_id = ensure_school(conn)
    ensure_school_year(conn, school_id)
    ensure_staff_member(conn, school_id, config.acting_login())
    return find_actor(conn)


def resolve_actor() -> Actor:
    """Who is acting, resolved once per page: reads only, except for one short write on first use."""
    from stip import store

    with store.read() as conn:
        found = find_actor(conn)
    if found is not None:
        return found
    with store.write() as conn:
        return acting_staff_member(conn)


def find_student(conn: Connection, actor: Actor, student_id: object):
    """The student row with this id in the actor's school, or None (also for a non-integer id)."""
    if isinstance(student_id, bool) or not isinstance(student_id, int):
        return None
    query = select(T.student).where(T.student.c.id == student_id, T.student.c.school_id == actor.school_id)
    return conn.execute(query).mappings().first()
