"""See every family (issue 15 §6, §7): the overview service, the chart, the class panel and the Overzicht.

Real data: the demo school (or a school imported through the class-list import), with contact moments,
talks, gouden mails, agreements, plans and reflections written into the store."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import insert, select

from stip import charts, imports, klassen, overzicht, startgesprek, store
from stip.store import tables as T
from tests.unit.test_screen_queries import school_csv
from widgets.communicatieplan import CommunicatieplanScreen
from widgets.communicatieplan_klas import KlasPanel
from widgets.overzicht import OverzichtScreen

TODAY = date(2026, 11, 25)
SVG = "{http://www.w3.org/2000/svg}"


def students_of(klas_name: str) -> list[int]:
    with store.read() as conn:
        return list(
            conn.execute(
                select(T.student.c.id)
                .join(T.klas, T.klas.c.id == T.student.c.klas_id)
                .where(T.klas.c.name == klas_name)
                .order_by(T.student.c.achternaam, T.student.c.roepnaam)
            ).scalars()
        )


def klas_id_of(name: str) -> int:
    with store.read() as conn:
        return conn.execute(select(T.klas.c.id).where(T.klas.c.name == name)).scalar_one()


def add_contacts(actor, rows: list[tuple[int, date, str]]) -> None:
    with store.write() as conn:
        conn.execute(
            insert(T.contact_moment),
            [
                dict(
                    school_id=actor.school_id,
                    student_id=sid,
                    school_year_id=actor.school_year_id,
                    happened_on=day,
                    kanaal="telefoon",
                    toon=toon,
                    regel=f"regel {sid}",
                    author_id=actor.id,
                )
                for sid, day, toon in rows
            ],
        )


def add_afspraak(actor, student_id: int, wanneer: date | None, status: str = "open") -> None:
    with store.write() as conn:
        conn.execute(
            insert(T.afspraak).values(
                school_id=actor.school_id,
                student_id=student_id,
                wat="Samen het rooster bekijken",
                wanneer=wanneer,
                status=status,
                author_id=actor.id,
            )
        )


def add_plan(actor, student_id: int, **values) -> int:
    with store.write() as conn:
        return conn.execute(
            insert(T.communicatieplan).values(
                school_id=actor.school_id,
                student_id=student_id,
                school_year_id=actor.school_year_id,
                **values,
            )
        ).inserted_primary_key[0]


# -- charts -----------------------------------------------------------------------------------------------


def test_chart_is_valid_accessible_svg_and_escapes_labels():
    evil = '<img src=x onerror="alert(1)">'
    labels = {"positief": "positief", "neutraal": "neutraal", "zorg": evil}
    svg = charts.stacked_bars(
        f"Klas {evil}",
        "beschrijving & meer",
        [(evil, {"positief": 2, "neutraal": 1, "zorg": 3}), ("week 2", {"positief": 0})],
        charts.tone_series(labels),
    )
    root = ET.fromstring(svg)  # valid XML
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == f"Klas {evil}"
    assert root.find(f"{SVG}desc").text == "beschrijving & meer"
    assert "<img" not in svg and "&lt;img" in svg
    segments = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert [s.find(f"{SVG}title").text.rsplit(": ", 1)[1] for s in segments] == ["2", "1", "3"]
    legend = [e.text for e in root.iter(f"{SVG}text")]
    assert "positief" in legend and evil in legend  # text labels beside the colours
    assert 'pattern id="' in svg  # the zorg series is hatched for grey print


def test_chart_without_data_says_so():
    svg = charts.stacked_bars(
        "Leeg", "niets", [], charts.tone_series(dict.fromkeys(overzicht.TONES, "x")), empty_text="Nog niets"
    )
    assert ET.fromstring(svg).tag == f"{SVG}svg" and "Nog niets" in svg


# -- the service ------------------------------------------------------------------------------------------


def test_term_runs_between_report_days():
    start, end = date(2026, 8, 1), date(2027, 7, 31)
    reports = [date(2026, 11, 20), date(2027, 3, 12)]
    assert overzicht.term_bounds(start, end, reports, date(2026, 10, 1)) == (start, date(2026, 11, 20))
    assert overzicht.term_bounds(start, end, reports, TODAY) == (date(2026, 11, 21), date(2027, 3, 12))
    assert overzicht.term_bounds(start, end, [], TODAY) == (start, end)


def test_balance_lists_and_overdue_with_the_demo_school(demo_school, actor):
    ids = students_of("1A")
    a, b, c, d = ids[:4]
    week = TODAY - timedelta(days=3)
    add_contacts(
        actor,
        [
            (a, week, "positief"),
            (a, week, "positief"),
            (a, week, "zorg"),
            (b, week, "zorg"),
            (b, date(2026, 9, 10), "positief"),  # this year, an earlier term
            (c, date(2026, 10, 1), "neutraal"),
        ],
    )
    add_afspraak(actor, a, TODAY - timedelta(days=1))  # overdue
    add_afspraak(actor, a, TODAY - timedelta(days=9), status="gedaan")  # done: not overdue
    add_afspraak(actor, b, TODAY + timedelta(days=5))  # not yet due
    add_plan(actor, a, patroon="rapport")
    add_plan(actor, b)  # an empty plan row is no plan yet
    with store.read() as conn:
        conn.execute(select(1))
        ov = overzicht.family_overview(conn, actor, klas_id_of("1A"), today=TODAY)
    fam = {f.student_id: f for f in ov.families}
    assert len(ov.families) == len(ids)
    assert fam[a].term == {"positief": 2, "neutraal": 0, "zorg": 1} and fam[a].balance == 1
    assert fam[b].term == {"positief": 0, "neutraal": 0, "zorg": 1} and fam[b].balance == -1
    assert fam[b].year["positief"] == 1 and fam[b].positive_this_year
    assert fam[a].overdue == 1 and fam[b].overdue == 0 and ov.overdue == 1
    assert fam[a].last_on == week and fam[c].last_on == date(2026, 10, 1)
    assert fam[c].last_key == "overzicht.contact_neutraal"
    no_contact = {f.student_id for f in ov.no_contact}
    no_positive = {f.student_id for f in ov.no_positive}
    assert a not in no_contact and c not in no_contact and d in no_contact
    assert c in no_positive and d in no_positive and a not in no_positive and b not in no_positive
    assert {f.student_id for f in ov.no_plan} == set(ids) - {a}
    assert fam[a].guardians  # the family: the student with guardians
    weeks = dict(ov.weeks)
    assert weeks[overzicht.week_start(week)] == {"positief": 2, "neutraal": 0, "zorg": 2}


def test_talk_and_gouden_mail_count_and_one_last_contact_serves_both(demo_school, actor):
    a, b, c = students_of("1A")[:3]
    with store.write() as conn:
        talk = conn.execute(
            insert(T.conversation).values(
                school_id=actor.school_id,
                student_id=a,
                school_year_id=actor.school_year_id,
                held_on=date(2026, 9, 15),
            )
        ).inserted_primary_key[0]
        logged = conn.execute(
            insert(T.conversation).values(
                school_id=actor.school_id,
                student_id=c,
                school_year_id=actor.school_year_id,
                held_on=date(2026, 9, 16),
            )
        ).inserted_primary_key[0]
        conn.execute(
            insert(T.contact_moment).values(
                school_id=actor.school_id,
                student_id=c,
                school_year_id=actor.school_year_id,
                happened_on=date(2026, 9, 16),
                kanaal="gesprek op school",
                toon="positief",
                conversation_id=logged,
            )
        )
        conn.execute(
            insert(T.gouden_mail).values(
                school_id=actor.school_id,
                student_id=b,
                school_year_id=actor.school_year_id,
                sent_at=datetime(2026, 9, 20, 22, 30, tzinfo=UTC),  # 21 Sep in Amsterdam
            )
        )
    assert talk
    with store.read() as conn:
        found = startgesprek.last_contacts(conn, actor, [a, b, c])
        ov = overzicht.family_overview(conn, actor, klas_id_of("1A"), today=TODAY)
    assert found[a] == (date(2026, 9, 15), "startgesprek.contact_talk")
    assert found[b] == (date(2026, 9, 21), "startgesprek.contact_gouden_mail")
    assert found[c] == (date(2026, 9, 16), "overzicht.contact_positief")
    fam = {f.student_id: f for f in ov.families}
    assert fam[a].year == {"positief": 0, "neutraal": 1, "zorg": 0}  # the talk: neutraal
    assert fam[b].year["positief"] == 1  # the gouden mail: positief
    assert fam[c].year == {"positief": 1, "neutraal": 0, "zorg": 0}  # the logged talk counted once


def test_next_planned_contact_from_the_plan_moments_and_the_agenda(demo_school, actor):
    a, b, c, d = students_of("1A")[:4]
    moments_of = {
        a: [("datum", "2026-12-10"), ("datum", "2027-01-20")],
        b: [("datum", "2026-12-02"), ("datum", "2027-01-20")],  # the first done early in the agenda
        c: [("datum", "2026-11-20")],  # missed, then moved to 1 December
        d: [("datum", "2026-11-20")],  # missed and not moved: nothing planned any more
    }
    with store.write() as conn:
        ids = {}
        for sid, moments in moments_of.items():
            plan = conn.execute(
                insert(T.communicatieplan).values(
                    school_id=actor.school_id, student_id=sid, school_year_id=actor.school_year_id
                )
            ).inserted_primary_key[0]
            for position, (kind, value) in enumerate(moments):
                ids[sid, value] = conn.execute(
                    insert(T.plan_moment).values(
                        school_id=actor.school_id,
                        student_id=sid,
                        communicatieplan_id=plan,
                        kind=kind,
                        value=value,
                        position=position,
                    )
                ).inserted_primary_key[0]
        for sid, value, status, moved_to in (
            (b, "2026-12-02", "gedaan", None),
            (c, "2026-11-20", "verzet", date(2026, 12, 1)),
        ):
            conn.execute(
                insert(T.agenda_item).values(
                    school_id=actor.school_id,
                    student_id=sid,
                    source="moment",
                    source_id=ids[sid, value],
                    due_on=date.fromisoformat(value),
                    status=status,
                    moved_to=moved_to,
                )
            )
    with store.read() as conn:
        ov = overzicht.family_overview(conn, actor, klas_id_of("1A"), today=TODAY)
    fam = {f.student_id: f for f in ov.families}
    assert fam[a].next_on == date(2026, 12, 10)
    assert fam[b].next_on == date(2027, 1, 20)
    assert fam[c].next_on == date(2026, 12, 1)
    assert fam[d].next_on is None
    assert fam[a].has_plan and fam[d].has_plan  # a plan with moments is a plan


def school(actor, class_size: int, school_size: int, per_student: int = 3) -> int:
    with store.write() as conn:
        klassen.apply_import(conn, actor, imports.parse(school_csv(class_size, school_size).encode()))
    ids = students_of("1A") + students_of("2B")
    rows = [
        (sid, TODAY - timedelta(days=7 * n), overzicht.TONES[(sid + n) % 3])
        for sid in ids
        for n in range(per_student)
    ]
    add_contacts(actor, rows)
    for sid in ids[::3]:
        add_afspraak(actor, sid, TODAY - timedelta(days=2))
        plan = add_plan(actor, sid, momenten="na elk rapport")
        with store.write() as conn:
            conn.execute(
                insert(T.plan_moment).values(
                    school_id=actor.school_id,
                    student_id=sid,
                    communicatieplan_id=plan,
                    kind="interval_weken",
                    value="6",
                )
            )
    return klas_id_of("1A")


def count(action) -> int:
    with store.counting_statements() as statements:
        action()
    return len(statements)


def screen(actor, klas_id):
    return SimpleNamespace(actor=actor, klas_id=klas_id)


def shown_panel(actor, klas_id) -> KlasPanel:
    """The class panel as the screen shows it: built, then refreshed."""
    panel = KlasPanel(screen(actor, klas_id))
    panel.refresh()
    return panel


def test_statements_do_not_grow_with_class_or_school(actor):
    klas_id = school(actor, 6, 40)
    small = (
        count(lambda: shown_panel(actor, klas_id)),
        count(lambda: OverzichtScreen(query={})),
        count(lambda: CommunicatieplanScreen(query={"klas": "1A", "tab": "klas"})),
    )
    with store.write() as conn:
        for table in (T.contact_moment, T.afspraak, T.plan_moment, T.communicatieplan):
            conn.execute(table.delete())
    more = school(actor, 40, 400)
    assert more == klas_id
    large = (
        count(lambda: shown_panel(actor, klas_id)),
        count(lambda: OverzichtScreen(query={})),
        count(lambda: CommunicatieplanScreen(query={"klas": "1A", "tab": "klas"})),
    )
    assert small == large
    assert large[0] <= 16 and large[1] <= 22 and large[2] <= 30  # a screen adds its schema check and actor


def test_main_query_uses_indexes(actor):
    klas_id = school(actor, 8, 60)
    with store.read() as conn:
        for scope in (klas_id, None):
            plan = " | ".join(overzicht.main_query_plan(conn, actor, scope))
            assert "SEARCH contact_moment USING INDEX" in plan, plan
            assert "SCAN contact_moment" not in plan and "SCAN student" not in plan, plan
        assert "SEARCH student USING INDEX ix_student_klas_id" in " | ".join(
            overzicht.main_query_plan(conn, actor, klas_id)
        )


# -- the screens ------------------------------------------------------------------------------------------


def test_class_panel_shows_the_families_lists_and_chart(demo_school, actor):
    ids = students_of("1A")
    add_contacts(actor, [(ids[0], TODAY, "positief")])
    with store.write() as conn:
        conn.execute(
            T.student.update().where(T.student.c.id == ids[1]).values(roepnaam='<img src=x onerror="boom()">')
        )
    stand_in = screen(actor, None)
    panel = KlasPanel(stand_in)
    panel.refresh()
    assert "Kies een klas" in panel.explain.value and panel.chart.value == ""
    stand_in.klas_id = klas_id_of("1A")
    panel.refresh()
    assert f'href="Communicatieplan.ipynb?student={ids[0]}"' in panel.table.value
    assert "<img" not in panel.table.value + panel.lists.value and "&lt;img" in panel.table.value
    assert "Nog geen positief contact" in panel.lists.value and "Nog geen plan" in panel.lists.value
    assert "Balans = positieve min zorgcontacten" in panel.explain.value
    assert ET.fromstring(panel.chart.value).find(f"{SVG}svg").get("role") == "img"
    assert "Volgend gepland contact" in panel.table.value


def test_overzicht_counts_per_class_links_and_no_reflection_text(demo_school, actor):
    ids = students_of("1A")
    add_contacts(
        actor, [(ids[0], TODAY - timedelta(days=1), "positief"), (ids[1], TODAY - timedelta(days=1), "zorg")]
    )
    add_afspraak(actor, ids[1], date(2026, 10, 1))
    with store.write() as conn:
        conn.execute(
            insert(T.reflection).values(
                school_id=actor.school_id,
                student_id=ids[1],
                author_id=actor.id,
                handelen="GEHEIME-TERUGBLIK",
                voornemen="GEHEIM-VOORNEMEN",
                shared=True,
            )
        )
    ov_screen = OverzichtScreen(query={})
    assert ov_screen.ready
    html = ov_screen.summary.value + ov_screen.table.value + ov_screen.lists.value + ov_screen.explain.value
    assert 'href="Communicatieplan.ipynb?klas=1A&amp;tab=klas"' in html
    assert "GEHEIM" not in html and "regel" not in html  # no reflection text, no contact lines
    row_1a = next(r for r in ov_screen.table.value.split("<tr>") if "klas=1A" in r)
    assert f"<td>{len(ids)}</td>" in row_1a
    fam = ov_screen.overview
    assert ids[1] in {f.student_id for f in fam.no_positive} and ids[0] not in {
        f.student_id for f in fam.no_positive
    }
    assert ov_screen.overview.overdue == 1


def test_overzicht_on_an_empty_database(actor):
    ov_screen = OverzichtScreen(query={})
    assert ov_screen.ready and "Er zijn nog geen klassen" in ov_screen.summary.value


@pytest.mark.parametrize("name", ["1A", "3 B&C"])
def test_class_links_are_url_encoded(name):
    from widgets.communicatieplan_klas import klas_href

    assert klas_href(name).startswith("Communicatieplan.ipynb?klas=") and " " not in klas_href(name)


def test_class_panel_shows_a_failed_read_in_its_save_bar(demo_school, actor, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database weg")

    monkeypatch.setattr(overzicht, "family_overview", broken)
    panel = shown_panel(actor, klas_id_of("1A"))  # no exception escapes
    assert panel.savebar in panel.children  # the stand-in screen has no bar: the panel shows its own
    assert "database weg" not in panel.savebar.message
    assert panel.savebar.message  # a Dutch message instead


def test_klassen_screen_shows_a_logged_contact_as_the_last_contact(demo_school, actor):
    from widgets.klassen import KlassenScreen

    ids = students_of("1A")
    add_contacts(actor, [(ids[0], TODAY, "zorg")])
    table = KlassenScreen(query={"klas": "1A"}).class_panel.table.value
    assert "(contact over een zorg)" in table  # the same last contact as the class panel's


def test_chart_axis_labels_never_crowd():
    bars = [(f"wk {n}", {"positief": n % 3}) for n in range(40)]
    svg = charts.stacked_bars("t", "d", bars, charts.tone_series(dict.fromkeys(overzicht.TONES, "x")))
    axis = [e for e in ET.fromstring(svg).iter(f"{SVG}text") if (e.text or "").startswith("wk ")]
    xs = [float(e.get("x")) for e in axis]
    gaps = [b - a for a, b in zip(xs, xs[1:], strict=False)]
    assert 2 <= len(axis) < 40 and min(gaps) >= 6 * len("wk 10") + 10


def test_the_term_says_when_report_days_are_defaults(actor):
    school(actor, 4, 10, per_student=1)
    panel = shown_panel(actor, klas_id_of("1A"))
    assert panel.overview.calendar_note and panel.overview.calendar_note in panel.explain.value
    with store.write() as conn:
        conn.execute(
            insert(T.school_year_date).values(
                school_id=actor.school_id,
                school_year_id=actor.school_year_id,
                kind="rapport",
                name="Rapport 1",
                starts_on=date(2026, 11, 20),
                ends_on=date(2026, 11, 20),
            )
        )
    panel.refresh()
    assert panel.overview.calendar_note == ""
