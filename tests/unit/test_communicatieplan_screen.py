"""The Communicatieplan screen and its tab "Plan per gezin", driven without a browser (issue 15 §1). No
asyncio loop runs here, so autosaving forms are saved with `form.flush()`."""

from __future__ import annotations

from sqlalchemy import select

from stip import communicatieplan as cp
from stip import instellingen, startgesprek, store
from stip.store import tables as T
from widgets.communicatieplan import CommunicatieplanScreen
from widgets.components.lazy_tabs import FailedPanel


def klas_id(name: str) -> int:
    with store.read() as conn:
        return conn.execute(select(T.klas.c.id).where(T.klas.c.name == name)).scalar_one()


def first_student(actor, klas: str = "1A") -> dict:
    with store.read() as conn:
        return cp.class_students(conn, actor, klas_id(klas))[0]


def plan_of(actor, student_id):
    with store.read() as conn:
        return cp.get_plan(conn, actor, student_id)


def test_the_screen_works_with_an_empty_database_and_opens_a_student_from_the_link(actor):
    screen = CommunicatieplanScreen(query={})
    assert screen.ready and screen.klas_id is None and screen.student_id is None
    assert screen.tabs.titles == ("Agenda", "Contact vastleggen", "Plan per gezin", "Afspraken", "Klas")


def test_a_student_link_opens_the_plan_of_that_student_in_its_class(demo_school, actor):
    student = first_student(actor, "2B")
    screen = CommunicatieplanScreen(query={"student": str(student["id"]), "klas": "1A"})
    assert screen.klas_name == "2B" and screen.tabs.selected_index == 2
    panel = screen.plan
    assert not isinstance(panel, FailedPanel)
    assert panel.student.value == student["id"]
    assert student["naam"] in panel.header.value
    # ?tab= opens that tab; a class change forgets the student of the other class
    screen = CommunicatieplanScreen(query={"klas": "1A", "tab": "plan"})
    assert screen.klas_name == "1A" and screen.tabs.selected_index == 2
    screen.klas.value = klas_id("2B")
    assert screen.plan.student.value == student["id"]  # the first of 2B


def test_a_plan_from_a_pattern_after_asking_and_it_is_all_there_after_a_reload(demo_school, actor):
    student = first_student(actor)
    panel = CommunicatieplanScreen(query={"student": str(student["id"])}).plan
    assert "nog geen plan" in panel.header.value.lower()
    panel.form.fields["behoefte"].value = "Korte lijnen"
    panel.form.flush()
    assert panel.savebar.status == "saved"
    # a pattern over a plan with content asks first; "Nee" keeps it
    panel.pattern.value = "na_elk_rapport"
    assert "na rapport 1, na rapport 2, na rapport 3, juni-evaluatie" in panel.pattern_info.value
    panel.apply.click()
    assert panel.confirm.layout.display is None and "0 momenten" in panel.confirm_text.value
    panel.confirm_no.click()
    assert plan_of(actor, student["id"])["behoefte"] == "Korte lijnen"
    panel.apply.click()
    panel.confirm_yes.click()
    assert "Bellen na elk rapport" in panel.savebar.text
    assert [row.form.fields["moment"].value for row in panel.moment_rows.children] == [
        "na rapport 1",
        "na rapport 2",
        "na rapport 3",
        "juni-evaluatie",
    ]
    # a moment added by typing, one changed, one removed
    panel.new_moment.value = "elke 6 weken"
    panel.new_vorm.value = "mail"
    panel.add.click()
    rows = panel.moment_rows.children
    rows[3].form.fields["moment"].value = "nov"
    rows[3].form.flush()
    assert rows[3].form.fields["moment"].value == "november"
    rows[2].remove.click()
    reloaded = CommunicatieplanScreen(query={"student": str(student["id"])}).plan
    assert [row.form.fields["moment"].value for row in reloaded.moment_rows.children] == [
        "na rapport 1",
        "na rapport 2",
        "november",
        "elke 6 weken",
    ]
    assert reloaded.form.fields["initiatief"].value == "school"
    assert reloaded.form.fields["vorm_1"].value is True  # telefoon
    assert reloaded.form.fields["review_on"].value is not None
    assert "Bellen na elk rapport" in reloaded.header.value
    assert "De eerstvolgende momenten" in reloaded.next_dates.value or reloaded.next_dates.value


def test_a_bad_moment_shows_its_message_at_the_field_and_other_fields_still_save(demo_school, actor):
    student = first_student(actor)
    panel = CommunicatieplanScreen(query={"student": str(student["id"])}).plan
    panel.new_moment.value = "ooit"
    panel.add.click()
    assert panel.new_error.layout.display is None and "'ooit' ken ik niet" in panel.new_error.value
    panel.new_moment.value = "na rapport 1"
    panel.add.click()
    row = panel.moment_rows.children[0]
    row.form.fields["moment"].value = "31-02-2027"
    row.form.fields["vorm"].value = "telefoon"
    row.form.flush()
    assert "bestaat niet" in row.form.errors["moment"].value
    moment = plan_of(actor, student["id"])["moments"][0]
    assert (moment["kind"], moment["value"], moment["vorm"]) == ("na_rapport", "1", "telefoon")


def test_two_pages_on_one_plan_lose_nothing_and_the_second_gets_herladen(demo_school, actor):
    student = first_student(actor)
    query = {"student": str(student["id"])}
    one, two = CommunicatieplanScreen(query=query).plan, CommunicatieplanScreen(query=query).plan
    one.new_moment.value = "na rapport 1"
    one.add.click()
    two.new_moment.value = "maart"
    two.add.click()  # both moments stay
    assert [r.form.fields["moment"].value for r in two.moment_rows.children] == ["na rapport 1", "maart"]
    one.form.fields["behoefte"].value = "van pagina een"
    one.form.flush()
    two.form.fields["behoefte"].value = "van pagina twee"
    two.form.flush()
    assert two.savebar.status == "conflict"  # "Herladen"
    assert plan_of(actor, student["id"])["behoefte"] == "van pagina een"
    # a pattern on the stale page conflicts too and replaces nothing
    two.pattern.value = "leerling_regelt"
    two.apply.click()
    two.confirm_yes.click()
    assert two.savebar.status == "conflict"
    assert len(plan_of(actor, student["id"])["moments"]) == 2
    two.savebar._reload.click()
    assert two.form.fields["behoefte"].value == "van pagina een"
    two.form.fields["behoefte"].value = "samen bewerkt"
    two.form.flush()
    assert two.savebar.status == "saved"


def test_the_startgesprek_plan_shows_as_earlier_notes_and_becomes_moments(demo_school, actor):
    student = first_student(actor)
    with store.write() as conn:
        startgesprek.save_plan(
            conn, actor, student["id"], {"momenten": "bellen na rapport 1, <b>als het nodig is</b>"}, None
        )
    panel = CommunicatieplanScreen(query={"student": str(student["id"])}).plan
    assert "Eerder genoteerd" in panel.earlier_text.value
    assert "&lt;b&gt;als het nodig is" in panel.earlier_text.value  # escaped
    assert "ook het plan van het startgesprek" in panel.header.value
    panel.convert.click()
    assert panel.savebar.text.startswith("1 moment toegevoegd.")
    assert [r.form.fields["moment"].value for r in panel.moment_rows.children] == ["na rapport 1"]
    assert panel.moment_rows.children[0].form.fields["vorm"].value == "telefoon"
    assert plan_of(actor, student["id"])["momenten"] == "<b>als het nodig is</b>"


def test_a_note_while_the_report_days_are_defaults(demo_school, actor):
    student = first_student(actor)
    with store.write() as conn:
        for row in instellingen.dates(conn, actor):
            if row["kind"] == "rapport":
                instellingen.delete_date(conn, actor, row["id"])
    panel = CommunicatieplanScreen(query={"student": str(student["id"])}).plan
    assert "Rapportdata nog niet ingevuld" in panel.note.value and "Instellingen" in panel.note.value
    with store.read() as conn:
        year = conn.execute(select(T.school_year).where(T.school_year.c.id == actor.school_year_id)).one()
    with store.write() as conn:
        instellingen.add_date(conn, actor, "rapport", "Rapport 1", year.starts_on.replace(month=11, day=20))
    panel.refresh()
    assert panel.note.value == ""


def test_a_pattern_with_a_date_asks_for_it_and_stores_it(demo_school, actor):
    student = first_student(actor)
    panel = CommunicatieplanScreen(query={"student": str(student["id"])}).plan
    panel.pattern.value = "huisbezoek_na_rapport_1"
    assert (
        panel.fixed_date.layout.display is None and panel.fixed_date.description == "Datum van het huisbezoek"
    )
    suggested = panel.fixed_date.value
    assert suggested is not None
    panel.apply.click()  # nothing there yet: no question
    moment = plan_of(actor, student["id"])["moments"][0]
    assert (moment["kind"], moment["value"], moment["vorm"]) == ("datum", suggested.isoformat(), "huisbezoek")
    assert "huisbezoek (alleen als jullie dat samen afspreken)" in [
        f.description for f in panel.form.fields.values() if hasattr(f, "indent")
    ]


def test_refresh_runs_a_fixed_number_of_statements(demo_school, actor):
    student = first_student(actor)
    with store.write() as conn:
        for text in ("na rapport 1", "november", "elke 6 weken"):
            cp.add_moment(conn, actor, student["id"], text)
    panel = CommunicatieplanScreen(query={"student": str(student["id"])}).plan
    with store.counting_statements() as counted:
        panel.refresh()
    selects = [s for s in counted if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 5  # students, school year, its dates, the plan, its moments


def test_the_startgesprek_talk_links_to_this_plan(demo_school, actor):
    from tests.unit.widget_tree import walk
    from widgets.startgesprek import StartgesprekScreen

    student = first_student(actor)
    talk = StartgesprekScreen(query={"student": str(student["id"])}).talk
    links = [x.value for x in walk(talk) if "Communicatieplan.ipynb" in str(getattr(x, "value", ""))]
    assert links == [
        f"<p><a href='Communicatieplan.ipynb?student={student['id']}'>"
        "Werk dit plan uit bij Communicatieplan: momenten met data, een voorbeeld als begin →</a></p>"
    ]


def test_the_plan_tab_runs_the_same_statements_for_a_small_and_a_large_school(
    stip_data, tmp_path, monkeypatch
):
    from stip import schools
    from tests.unit.test_screen_queries import build_school
    from tests.unit.test_screen_queries import first_student as first_of

    counts = {}
    for name, size in (("small", (8, 40)), ("large", (40, 400))):
        monkeypatch.setenv("STIP_DATA", str(tmp_path / name))
        store.migrate()
        with store.write() as conn:
            actor = schools.acting_staff_member(conn)
        student = first_of(build_school(actor, *size))
        with store.write() as conn:
            for text in ("na rapport 1", "november", "elke 6 weken")[: 1 + (name == "large") * 2]:
                cp.add_moment(conn, actor, student, text)
        with store.counting_statements() as opening:
            screen = CommunicatieplanScreen(query={"student": str(student)})
        with store.counting_statements() as refresh:
            screen.plan.refresh()
        counts[name] = (len(opening), len(refresh))
    assert counts["small"] == counts["large"], counts
