"""Stepper: one story with two tiny steps, like aiidalab's test_wizard."""

import ipywidgets as w
import pytest
from traitlets import observe

from widgets.components.stepper import Step, Stepper


class NameStep(w.VBox, Step):
    """Soft: a missing name is a warning, the user may go on."""

    def __init__(self):
        self.name = w.Text(description="Naam")
        super().__init__(children=[self.name], title="Gegevens")
        self.name.observe(lambda _change: self.update_state(), names="value")

    def update_state(self):
        self.missing = [] if self.name.value.strip() else ["De naam van de ouder"]
        super().update_state()


class AgreeStep(w.VBox, Step):
    """Hard: the box must be ticked before going on."""

    def __init__(self):
        self.agree = w.Checkbox(description="Akkoord")
        super().__init__(children=[self.agree], title="Akkoord", hard=True)
        self.update_state()

    @observe("hard")
    def _hard_changed(self, change):
        self.update_state()

    def update_state(self):
        self.missing = [] if self.agree.value else ["Vink <b>akkoord</b> aan"]
        super().update_state()


class DoneStep(w.VBox, Step):
    def __init__(self):
        super().__init__(title="Klaar")


def titles(stepper):
    return [b.description for b in stepper._titles]


def test_story_soft_gaps_warn_hard_gaps_block():
    name, agree, done = NameStep(), AgreeStep(), DoneStep()
    stepper = Stepper([name, agree, done])

    # Opened: the first step shows as current, the hard step is already blocked.
    assert stepper.index == 0
    assert titles(stepper) == ["● 1. Gegevens", "✕ 2. Akkoord", "○ 3. Klaar"]
    assert stepper._body.children == (name,)
    assert stepper._previous.disabled and not stepper._next.disabled
    assert stepper._position.value == "Stap 1 van 3: Gegevens"

    # "Volgende" with an empty name: soft, so it moves on and step 1 shows a warning.
    stepper._next.click()
    assert stepper.index == 1
    assert name.state == "warning" and titles(stepper)[0] == "! 1. Gegevens"
    assert stepper._body.children == (agree,)

    # Hard step with something missing: warning shown (escaped), "Volgende" disabled, title 3 too.
    assert stepper._next.disabled
    assert stepper._titles[2].disabled
    assert "Vul dit eerst in" in stepper._warning.value
    assert "&lt;b&gt;akkoord&lt;/b&gt;" in stepper._warning.value
    assert stepper._warning.layout.display != "none"
    stepper._titles[2].click()
    assert stepper.index == 1

    # Ticking the box unblocks.
    agree.agree.value = True
    agree.update_state()
    assert agree.state == "done" and not stepper._next.disabled and not stepper._titles[2].disabled
    assert stepper._warning.layout.display == "none"

    # Back to step 1 by its title: soft warning shown, "Volgende" enabled.
    stepper._titles[0].click()
    assert stepper.index == 0
    assert "Je kunt wel verder gaan" in stepper._warning.value
    assert "De naam van de ouder" in stepper._warning.value
    assert not stepper._next.disabled

    # Filling in the name clears the warning.
    name.name.value = "Fatima"
    assert name.state == "done" and titles(stepper)[0] == "✓ 1. Gegevens"
    assert stepper._warning.layout.display == "none"

    # Jump to the last step by title: "Volgende" disabled there, "Vorige" goes back.
    stepper._titles[2].click()
    assert stepper.index == 2 and stepper._next.disabled and not stepper._previous.disabled
    assert titles(stepper)[2] == "● 3. Klaar"
    stepper._previous.click()
    assert stepper.index == 1


def test_a_blocked_step_blocks_jumps_past_it():
    name, agree, done = NameStep(), AgreeStep(), DoneStep()
    stepper = Stepper([name, agree, done])
    assert stepper.go(1) is True
    assert stepper.go(2) is False and stepper.index == 1
    stepper.index = 0
    assert stepper._titles[2].disabled and not stepper._titles[1].disabled
    assert stepper.go(2) is False


def test_index_is_clamped():
    stepper = Stepper([NameStep(), DoneStep()])
    stepper.index = 7
    assert stepper.index == 1
    stepper.index = -3
    assert stepper.index == 0


def test_steps_must_be_widgets_with_step():
    with pytest.raises(TypeError, match="mixes in"):
        Stepper([NameStep(), w.VBox()])

    class NotAWidget(Step):
        pass

    with pytest.raises(TypeError):
        Stepper([NotAWidget()])
    with pytest.raises(ValueError):
        Stepper([])


def test_button_texts_are_dutch():
    stepper = Stepper([DoneStep()])
    assert (stepper._previous.description, stepper._next.description) == ("Vorige", "Volgende")
    assert stepper._next.disabled and stepper._previous.disabled
