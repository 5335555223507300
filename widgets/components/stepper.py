"""A small stepper (wizard), after aiidalab-widgets-base's `WizardAppWidget`.

A step is any widget that mixes in `Step`: it keeps `missing` (readable Dutch reasons) and `state`
up to date from its own inputs in `update_state()`. The stepper observes only each step's `state`
and `missing`, and never blocks on soft gaps (DESIGN §2): "Volgende" stays enabled and the gaps are
shown as a warning; only a step with `hard=True` and something `missing` blocks the way forward.
"""

from __future__ import annotations

import ipywidgets as w
from traitlets import Bool, Enum, HasTraits, Int, List, Unicode, observe, validate

from stip.i18n import t
from widgets.components.safe import safe, safe_html

__all__ = ["Step", "Stepper", "STATES"]

STATES = ("todo", "current", "done", "warning", "blocked")
ICONS = {"todo": "○", "current": "●", "done": "✓", "warning": "!", "blocked": "✕"}
STATE_TEXT = {
    "todo": "component.stepper.state_todo",
    "current": "component.stepper.state_current",
    "done": "component.stepper.state_done",
    "warning": "component.stepper.state_warning",
    "blocked": "component.stepper.state_blocked",
}


class Step(HasTraits):
    """Mixin for one step of a `Stepper`; use as `class MyStep(ipywidgets.VBox, Step)`.

    `state` says how far the step is:
    - "todo": not started yet (shown as "current" while it is open);
    - "current": started, nothing to report yet;
    - "done": complete;
    - "warning": `missing` lists soft gaps: the user can go on and fill them in later;
    - "blocked": `missing` lists hard requirements (`hard=True`): "Volgende" is disabled.
    """

    state = Enum(STATES, default_value="todo", help="How far this step is; see the class docstring.")
    missing = List(Unicode(), help="Readable Dutch reasons why the step is not complete yet.")
    hard = Bool(False, help="When True, a non-empty `missing` blocks going to the next step.")
    title = Unicode("", help="Short Dutch title shown in the stepper's header.")

    def update_state(self) -> None:
        """Recompute `state` from `missing`. Override: set `missing` from the inputs, then call super()."""
        if self.missing:
            self.state = "blocked" if self.hard else "warning"
        else:
            self.state = "done"

    @property
    def blocks(self) -> bool:
        """True when this step keeps the user from going further."""
        return self.hard and bool(self.missing)


class Stepper(w.VBox):
    """Header of step titles, the open step, its warnings, and "Vorige"/"Volgende"."""

    index = Int(0, help="Position of the open step (0-based); clamped to the steps.")

    def __init__(self, steps, **kwargs):
        steps = tuple(steps)
        if not steps:
            raise ValueError("Stepper needs at least one step")
        for step in steps:
            if not (isinstance(step, Step) and isinstance(step, w.DOMWidget)):
                raise TypeError(
                    f"Stepper step {step!r:.60} must be an ipywidgets widget that mixes in "
                    "widgets.components.stepper.Step (traits state, missing, hard, title)"
                )
        self.steps = steps
        self._titles = tuple(self._title_button(number) for number in range(len(steps)))
        self._position = w.Label()
        self._position.add_class("stip-muted")
        self._body = w.VBox()
        self._warning = w.HTML()
        self._warning.add_class("stip-warning")
        self._previous = w.Button(description=t("component.stepper.previous"), icon="arrow-left")
        self._next = w.Button(description=t("component.stepper.next"), icon="arrow-right")
        self._next.add_class("stip-stepper__next")
        self._previous.on_click(lambda _button: self.go(self.index - 1))
        self._next.on_click(lambda _button: self.go(self.index + 1))
        header = w.HBox(self._titles, layout=w.Layout(flex_flow="row wrap"))
        header.add_class("stip-stepper__header")
        nav = w.HBox((self._previous, self._next))
        super().__init__(children=(header, self._position, self._body, self._warning, nav), **kwargs)
        self.add_class("stip-stepper")
        for step in steps:
            step.observe(self._refresh, names=["state", "missing"])
        self._refresh()

    def _title_button(self, number: int) -> w.Button:
        button = w.Button(layout=w.Layout(width="auto"))
        button.add_class("stip-stepper__title")
        button.on_click(lambda _button: self.go(number))
        return button

    @validate("index")
    def _clamp_index(self, proposal):
        return max(0, min(proposal["value"], len(self.steps) - 1))

    @property
    def current(self) -> Step:
        """The open step."""
        return self.steps[self.index]

    def go(self, target: int) -> bool:
        """Open step `target` unless a hard requirement on the way blocks it; returns whether it did."""
        target = max(0, min(target, len(self.steps) - 1))
        if target > self.index:
            self.current.update_state()  # "validates before next"
            if any(step.blocks for step in self.steps[self.index : target]):
                return False
        self.index = target
        return True

    def display_state(self, number: int) -> str:
        """The state shown for step `number`: a step not started yet shows "current" while open."""
        state = self.steps[number].state
        return "current" if number == self.index and state == "todo" else state

    @observe("index")
    def _refresh(self, change=None) -> None:
        step, last = self.current, len(self.steps) - 1
        for number, (button, each) in enumerate(zip(self._titles, self.steps, strict=True)):
            state = self.display_state(number)
            button.description = f"{ICONS[state]} {number + 1}. {each.title}"
            button.tooltip = t(STATE_TEXT[state])
            button.button_style = "primary" if number == self.index else ""
            button.disabled = any(s.blocks for s in self.steps[self.index : number])
        self._position.value = t(
            "component.stepper.position", number=self.index + 1, total=len(self.steps), title=step.title
        )
        self._body.children = (step,)
        self._warning.value = self._warning_html(step)
        self._warning.layout.display = None if step.missing else "none"
        self._previous.disabled = self.index == 0
        self._next.disabled = self.index == last or step.blocks

    @staticmethod
    def _warning_html(step: Step) -> str:
        if not step.missing:
            return ""
        intro = t("component.stepper.missing_hard" if step.blocks else "component.stepper.missing_soft")
        items = "".join(f"<li>{safe(reason)}</li>" for reason in step.missing)
        return safe_html("<div><strong>{intro}</strong><ul>", intro=intro) + items + "</ul></div>"
