"""The Voorbeeldschool is fictional: a real class list never mixes with it.

The import panel asks first (remove the demo school and import, or cancel), the `import` command refuses
with exit 2 unless `--demo-verwijderen` is given, and `demo.remove_demo` removes the demo's students,
guardians, klassen and staff in one statement per table. Real services, widgets and command on a real
migrated SQLite (fixtures `stip_data`, `actor`, `demo_school`); nothing is mocked.
"""

from __future__ import annotations

import json
from pathlib import Path

import ipywidgets as w
from sqlalchemy import event, func, select

from stip import cli, demo, records, schools, startgesprek, store
from stip.i18n import t
from stip.store import tables as T
from tests.unit.widget_tree import button, walk
from widgets.components.safe import safe
from widgets.klassen_import import ImportPanel

CLASS_LIST = Path(__file__).resolve().parents[1] / "data" / "goed_komma.csv"
IMPORTED = ["1001", "1002", "1003"]


def counts() -> dict:
    with store.read() as conn:
        return records.counts(conn)


def leerlingnummers() -> list[str]:
    with store.read() as conn:
        query = select(T.student.c.leerlingnummer).order_by(T.student.c.leerlingnummer)
        return list(conn.execute(query).scalars())


def school_row():
    with store.read() as conn:
        return conn.execute(select(T.school)).one()


def staff_logins() -> set[str]:
    with store.read() as conn:
        return set(conn.execute(select(T.staff_member.c.login)).scalars())


def upload(panel: ImportPanel, data: bytes, name: str = "klas.csv") -> None:
    """What the browser sends after choosing a file (ipywidgets 8 FileUpload, through its deserializer)."""
    entry = {
        "name": name,
        "type": "text/csv",
        "size": len(data),
        "content": memoryview(data),
        "last_modified": 0,
    }
    panel.upload.set_state({"value": [entry]})


def labels(root) -> str:
    return " ".join(x.value for x in walk(root) if isinstance(x, w.HTML | w.Label))


# -- the service ----------------------------------------------------------------------------------------


def test_remove_demo_removes_students_guardians_klassen_and_demo_staff_in_one_statement_each(
    demo_school, actor
):
    assert demo_school.students == 51
    with store.write() as conn:
        student_id = conn.execute(select(T.student.c.id).limit(1)).scalar()
        talk = startgesprek.get_conversation(conn, actor, student_id)
        startgesprek.save_conversation(conn, actor, student_id, {"notes": "verzonnen"}, talk["version"])
    demo_staff = set(demo.demo_logins())
    assert demo_staff <= staff_logins()

    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(store.engine(), "before_cursor_execute", count)
    try:
        with store.write() as conn:
            removed = demo.remove_demo(conn, actor)
    finally:
        event.remove(store.engine(), "before_cursor_execute", count)

    assert removed == demo.DemoRemoved(
        students=51, guardians=demo_school.guardians, klassen=2, staff=len(demo_staff)
    )
    deletes = [s.split()[2] for s in statements if s.lstrip().upper().startswith("DELETE")]
    assert sorted(deletes) == [
        "guardian",
        "klas",
        "live_session",  # issue 17: the demo's study days (with their answers) …
        "ouderplan_priority",  # … and the plan's priorities that came from them
        "school_year_date",
        "staff_member",
        "student",
    ]
    after = counts()
    assert after["school_year_dates"] == 0  # the demo's report days and holidays go too (issue 14)
    assert after["students"] == after["guardians"] == after["klassen"] == 0
    assert after["live_sessions"] == after["ouderplan_priorities"] == after["answers"] == 0  # issue 17
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(T.conversation)).scalar() == 0
    assert staff_logins() == {actor.login}  # the acting staff member stays
    school = school_row()
    assert not school.is_demo and school.name == schools.DEFAULT_SCHOOL_NAME


def test_remove_demo_leaves_a_real_school_alone(actor):
    with store.write() as conn:
        assert demo.remove_demo(conn, actor) is None
    cli.main(["import", str(CLASS_LIST)])
    with store.write() as conn:
        assert demo.remove_demo(conn, actor) is None
    assert leerlingnummers() == IMPORTED


# -- the import panel -----------------------------------------------------------------------------------


def test_import_panel_asks_before_importing_over_the_demo_school(demo_school, actor):
    before = counts()
    imported = []
    panel = ImportPanel(actor, on_imported=lambda: imported.append(1))
    upload(panel, CLASS_LIST.read_bytes())
    assert not panel.import_button.disabled

    panel.import_button.click()  # first a question, in sight, with two choices
    assert counts() == before and not imported
    assert any(box is panel.demo_question for box in walk(panel))
    assert safe(t("demo.import_question")) in labels(panel.demo_question)  # escaped in its HTML
    assert "verzonnen" in labels(panel.demo_question)

    button(panel.demo_question, t("demo.cancel")).click()
    assert panel.demo_question.children == ()
    assert panel.savebar.text == t("demo.import_cancelled")
    assert counts() == before and school_row().is_demo and not imported

    panel.import_button.click()
    button(panel.demo_question, t("demo.remove_and_import")).click()
    assert leerlingnummers() == IMPORTED  # no made-up student left, none flagged as missing
    assert not school_row().is_demo and imported == [1]
    assert panel.savebar.text == (
        f"{t('demo.removed')} {t('klassen.imported', created=3, updated=0, missing=0)}"
    )
    assert panel.demo_question.children == () and panel.import_button.layout.display == "none"


def test_import_panel_imports_at_once_into_a_real_school(actor):
    panel = ImportPanel(actor)
    upload(panel, CLASS_LIST.read_bytes())
    panel.import_button.click()
    assert panel.demo_question.children == ()
    assert leerlingnummers() == IMPORTED
    assert panel.savebar.text == t("klassen.imported", created=3, updated=0, missing=0)


def test_a_new_upload_takes_away_an_open_question(demo_school, actor):
    panel = ImportPanel(actor)
    upload(panel, CLASS_LIST.read_bytes())
    panel.import_button.click()
    assert panel.demo_question.children
    upload(panel, CLASS_LIST.read_bytes(), name="opnieuw.csv")
    assert panel.demo_question.children == ()


# -- the command ----------------------------------------------------------------------------------------


def test_import_command_refuses_while_the_demo_school_is_loaded(demo_school, capsys):
    before = counts()
    assert cli.main(["import", str(CLASS_LIST)]) == 2
    err = capsys.readouterr().err
    assert "Voorbeeldschool" in err and "--demo-verwijderen" in err
    assert counts() == before and school_row().is_demo

    assert cli.main(["import", str(CLASS_LIST), "--json"]) == 2
    refused = json.loads(capsys.readouterr().out)
    assert refused["errors"][0]["message"] == t("cli.import_demo_loaded")
    assert counts() == before

    assert cli.main(["import", str(CLASS_LIST), "--dry-run"]) == 0  # stores nothing: no question
    capsys.readouterr()


def test_import_command_with_demo_verwijderen_removes_the_demo_first(demo_school, capsys):
    assert cli.main(["import", str(CLASS_LIST), "--demo-verwijderen", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["demo_removed"] == {"students": 51, "guardians": demo_school.guardians, "klassen": 2}
    assert leerlingnummers() == IMPORTED and not school_row().is_demo
