"""No screen refresh grows with the class or the school: every screen runs the same number of SQL
statements for a class of 8 in a school of 40 as for a class of 40 in a school of 400 (issue 13 §3).

The school is imported through the real class-list import; siblings sit in other classes, half the
families have two parents, and the measured class has slots with families planned in them."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from stip import imports, klassen, moeilijk_gesprek, planning, schools, startgesprek, store
from stip.store import tables as T
from widgets.gouden_mail import GoudenMailScreen
from widgets.klassen import KlassenScreen
from widgets.moeilijk_gesprek import MoeilijkGesprekScreen
from widgets.start import StartScreen
from widgets.startgesprek import StartgesprekScreen

HEADER = (
    "leerlingnummer;roepnaam;tussenvoegsel;achternaam;klas;"
    "ouder1_naam;ouder1_email;ouder2_naam;ouder2_email\n"
)


def school_csv(class_size: int, school_size: int) -> str:
    """Class 1A of `class_size`, the rest of the school in classes of 30; every fifth student of 1A has
    a sibling elsewhere (same parent e-mail)."""
    lines = []
    for n in range(school_size):
        klas = "1A" if n < class_size else f"{2 + (n - class_size) // 30}B"
        family = n if n >= class_size or n % 5 else school_size - 1 - n  # share a family with the last rows
        second = f"Ouder Twee {family};twee{family}@example.org" if family % 2 else ";"
        lines.append(
            f"{n + 1};Kind{n};;Familie{family};{klas};Ouder Een {family};een{family}@example.org;{second}"
        )
    return HEADER + "\n".join(lines) + "\n"


def build_school(actor, class_size: int, school_size: int) -> int:
    with store.write() as conn:
        klassen.apply_import(conn, actor, imports.parse(school_csv(class_size, school_size).encode()))
        klas_id = conn.execute(select(T.klas.c.id).where(T.klas.c.name == "1A")).scalar_one()
        evenings = -(-class_size // 15)  # 15 slots of 20 minutes per evening, enough for the class
        for day in (date(2026, 9, 8 + n) for n in range(evenings)):
            startgesprek.add_slots(
                conn, actor, klas_id, planning.make_slots(day, time(16, 0), time(21, 0), 20)
            )
        startgesprek.auto_assign(conn, actor, klas_id)
    return klas_id


def first_student(klas_id: int) -> int:
    with store.read() as conn:
        return conn.execute(
            select(T.student.c.id).where(T.student.c.klas_id == klas_id).order_by(T.student.c.id)
        ).scalar()


def screen_refreshes(klas_id: int, seconds: dict[str, float] | None = None) -> dict[str, int]:
    """Statements per screen opening and refresh, by name (and, for the benchmark, the time each took
    into `seconds`)."""
    import time

    student = first_student(klas_id)
    counts = {}

    def measure(name, action):
        started = time.perf_counter()
        with store.counting_statements() as statements:
            action()
        counts[name] = len(statements)
        if seconds is not None:
            seconds[name] = time.perf_counter() - started

    measure("start", StartScreen)
    box = {}
    measure("klassen", lambda: box.setdefault("k", KlassenScreen(query={"klas": "1A"})))
    k = box["k"]
    measure("klassen.refresh", k.class_panel.refresh)
    measure("klassen.student", lambda: k.student_panel.show_student(student))
    measure("klassen.privacy", lambda: k.privacy_panel)
    measure("startgesprek", lambda: box.setdefault("s", StartgesprekScreen(query={"klas": "1A"})))
    s = box["s"]
    measure("planning.refresh", s.plan.refresh)
    line = s.plan.table.children[1]
    measure("planning.choose", lambda: setattr(line.children[0], "value", 0))  # free a slot: write + refresh
    measure("invite.refresh", s.invite.refresh)
    measure("talk.show", lambda: s.talk.show(student))
    measure("overview.refresh", s.overview.refresh)
    measure("gouden_mail", lambda: box.setdefault("g", GoudenMailScreen(query={"klas": "1A"})))
    g = box["g"]
    measure("gouden_mail.refresh", g.refresh)
    measure("gouden_mail.show", lambda: g.show(student))
    measure("moeilijk", lambda: box.setdefault("m", MoeilijkGesprekScreen(query={})))
    measure("moeilijk.new", lambda: box["m"]._open_new_panel(student))
    with store.write() as conn:  # a preparation for the student (issue 16)
        prep = moeilijk_gesprek.create(conn, schools.find_actor(conn), student, "verzuim")
    measure("moeilijk.open", lambda: MoeilijkGesprekScreen(query={"voorbereiding": str(prep["id"])}))
    for bar in (k.class_panel.savebar, s.plan.savebar, g.savebar):  # nothing failed on the way
        assert bar.status in ("", "saved", "info"), bar.text
    return counts


def test_screens_run_the_same_statements_for_a_small_and_a_large_school(stip_data, tmp_path, monkeypatch):
    counts = {}
    for name, size in (("small", (8, 40)), ("large", (40, 400))):
        monkeypatch.setenv("STIP_DATA", str(tmp_path / name))
        store.migrate()
        with store.write() as conn:
            actor = schools.acting_staff_member(conn)
        counts[name] = screen_refreshes(build_school(actor, *size))
    small, large = counts["small"], counts["large"]
    assert all(n > 0 for n in small.values()), small
    grown = {name: (small[name], large[name]) for name in small if large[name] != small[name]}
    assert not grown, f"statements that grow with the class or the school (small, large): {grown}"
