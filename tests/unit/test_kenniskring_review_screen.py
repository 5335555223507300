"""Review of issue 18 on the trainer's screen: in projector mode the room sees the activity, not the
"Kenniskring sluiten" row; the join line keeps "8 deelnemers" together; the projector window opens so."""

from __future__ import annotations

from stip.i18n import t
from tests.unit.test_kenniskring_screen import html_of, screen, start  # noqa: F401
from widgets.kenniskring import KenniskringScreen
from widgets.kenniskring_run import join_line_html


def test_projector_mode_hides_the_close_row(screen):  # noqa: F811
    view = start(screen)
    assert view.actions.layout.display != "none"
    assert view.close_button in view.actions.children
    view.close_button.click()  # the question "Kenniskring sluiten?" is open when the projector goes on
    assert view.confirm.children
    view.run.projector.value = True
    assert view.actions.layout.display == "none" and not view.confirm.children
    view.run.projector.value = False
    assert view.actions.layout.display != "none"
    big = KenniskringScreen(query={"sessie": str(view.session_id), "groot": "1"})
    assert big.session.actions.layout.display == "none"
    big.session.stop()


def test_join_line_keeps_the_count_on_one_line(screen):  # noqa: F811
    view = start(screen)
    line = join_line_html(view.run.state["session"], 8)
    assert f'style="white-space:nowrap">{t("kenniskring_ui.joined", count=8)}</span>' in line


def test_a_moved_activity_stays_open_in_the_programme(screen):  # noqa: F811
    from tests.unit.widget_tree import button
    from widgets.kenniskring_programme import ProgrammePanel

    view = start(screen)
    panel = ProgrammePanel(view.actor, view.session_id, view.savebar)
    last = panel.count - 1
    panel.sections.selected_index = last
    titel = panel.editor(last).titel.value
    button(panel.editor(last), t("kenniskring_ui.move_up")).click()
    assert panel.sections.selected_index == last - 1
    assert panel.editor(last - 1).titel.value == titel
    assert t("kenniskring_ui.activity_moved") in view.savebar.text
