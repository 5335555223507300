"""One error boundary (issue 13 §4): every entry point — building a screen, building a lazy tab, a
callback, "Herladen" — shows a Dutch message where the user looks, never a traceback or nothing."""

from __future__ import annotations

import ipywidgets as w
import pytest
from sqlalchemy import select

from stip import privacy, store
from stip.i18n import t
from stip.store import tables as T
from widgets.components.lazy_tabs import FailedPanel, LazyTabs
from widgets.gouden_mail import GoudenMailScreen
from widgets.klassen import KlassenScreen
from widgets.start import StartScreen
from widgets.startgesprek import StartgesprekScreen

SCREENS = [StartScreen, KlassenScreen, StartgesprekScreen, GoudenMailScreen]


def texts(widget) -> list[str]:
    """Every save bar text in a widget tree."""
    from widgets.components.savebar import SaveBar

    found = []
    if isinstance(widget, SaveBar):
        found.append(widget.text)
    for child in getattr(widget, "children", ()):
        found += texts(child)
    return found


@pytest.mark.parametrize("screen_class", SCREENS, ids=lambda c: c.__name__)
def test_a_screen_whose_database_cannot_be_read_says_so_in_dutch(stip_data, screen_class):
    store.engine().dispose()
    (stip_data / "stip.sqlite").write_bytes(b"dit is geen database" * 100)
    screen = screen_class(query={})
    assert not screen.ready
    assert texts(screen) == [t("component.unexpected_error")]


@pytest.mark.parametrize("screen_class", SCREENS[1:], ids=lambda c: c.__name__)
@pytest.mark.parametrize("value", ["²", "-1", "1e3", "٣", "abc", ""])
def test_a_strange_student_in_the_query_opens_the_screen(demo_school, screen_class, value):
    screen = screen_class(query={"student": value})
    assert screen.ready
    assert t("component.unexpected_error") not in texts(screen)


def test_a_tab_whose_panel_fails_to_build_shows_the_message_in_that_tab():
    def broken():
        raise RuntimeError("boom")

    tabs = LazyTabs(["Goed", "Stuk"], [w.Label, broken])
    tabs.selected_index = 1
    panel = tabs.panel(1)
    assert isinstance(panel, FailedPanel) and tabs.children[1] is panel
    assert panel.savebar.text == t("component.unexpected_error")
    panel.refresh()  # screens refresh their panels: nothing happens, nothing fails
    assert isinstance(tabs.panel(0), w.Label)


def student_in(klas: str) -> int:
    with store.read() as conn:
        return conn.execute(
            select(T.student.c.id)
            .join(T.klas, T.klas.c.id == T.student.c.klas_id)
            .where(T.klas.c.name == klas)
            .order_by(T.student.c.id)
        ).scalar()


def delete_elsewhere(actor, student_id: int) -> None:
    """What another page (another kernel) does: remove the student."""
    with store.write() as conn:
        privacy.delete_student(conn, actor, student_id)


def test_reloading_a_student_removed_in_another_page_clears_the_form_and_says_why(demo_school, actor):
    student = student_in("1A")
    screen = KlassenScreen(query={"student": str(student)})
    panel = screen.student_panel
    assert panel.body.children
    delete_elsewhere(actor, student)
    panel.savebar.conflict()
    panel.savebar._reload.click()
    assert panel.body.children == ()
    assert panel.savebar.text == t("klassen.student_not_found")


def test_the_talk_and_the_gouden_mail_of_a_removed_student_say_why(demo_school, actor):
    student = student_in("1A")
    talk = StartgesprekScreen(query={"student": str(student)}).talk
    mail = GoudenMailScreen(query={"student": str(student)})
    assert talk.body.children and mail.body.children
    delete_elsewhere(actor, student)
    for panel in (talk, mail):
        panel.savebar.conflict()
        panel.savebar._reload.click()
        assert panel.body.children == ()
        assert panel.savebar.text == t("klassen.student_not_found")


def test_a_failing_reload_handler_shows_the_message_in_its_bar():
    from widgets.components.savebar import SaveBar

    bar = SaveBar()
    bar.on_reload(lambda _b: int("geen getal"))  # any error that is not one of Stip's own
    bar.conflict()
    bar._reload.click()
    assert bar.status == "error" and bar.text == t("component.unexpected_error")


def test_every_screen_callback_goes_through_handled():
    """Each `_on_…` method of a screen module is wrapped by `handled` (components handle their own)."""
    import ast
    from pathlib import Path

    bare = []
    for path in sorted(Path(__file__).resolve().parents[2].glob("widgets/*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef):
                for fn in node.body:
                    if isinstance(fn, ast.FunctionDef) and fn.name.startswith("_on_"):
                        if not any("handled" in ast.unparse(d) for d in fn.decorator_list):
                            bare.append(f"{path.name}: {node.name}.{fn.name}")
    assert bare == []
