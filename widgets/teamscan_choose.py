"""Discuss and choose: the facilitator marks 3–5 statements, opens dot voting (participants vote on their
phones, the count shows live) and sends the chosen ones to the ouderplan."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from stip import live, ouderplan, store
from stip.i18n import t
from widgets.components.handled import handled
from widgets.components.safe import safe_html

MIN_MARKED = 3


def votes_html(results: dict[str, Any], phase: str) -> str:
    """The marked statements with their dots, most first (a bar per statement, the number beside it)."""
    marked = [item for item in results["items"] if item.get("marked")]
    if not marked:
        return safe_html('<p class="stip-muted">{text}</p>', text=t("teamscan_ui.none_marked"))
    votes = results["stemmen"]
    total_max = max([votes.get(item["id"], 0) for item in marked] + [1])
    marked.sort(key=lambda item: -votes.get(item["id"], 0))
    heading = "teamscan_ui.votes_open" if phase == "stemmen" else "teamscan_ui.votes_closed"
    rows = []
    for item in marked:
        n = votes.get(item["id"], 0)
        rows.append(
            safe_html(
                '<div class="stip-bar stip-vote"><span class="stip-bar__label">{tekst}</span>'
                '<span class="stip-bar__track"><span class="stip-bar__fill" style="width:{pct}%">'
                "</span></span>"
                '<span class="stip-bar__value" data-testid="stemmen">{label}</span></div>',
                tekst=item["tekst"],
                pct=round(100 * n / total_max),
                label=t("teamscan_ui.dots", count=n),
            )
        )
    hidden = ""
    if results["verborgen"]:
        hidden = safe_html(
            '<p class="stip-muted">{text}</p>', text=t("teamscan_ui.votes_hidden", min=live.MIN_GROUP)
        )
    return (
        safe_html('<p class="stip-live-sub">{text}</p>', text=t(heading, votes=live.VOTES_PER_PARTICIPANT))
        + hidden
        + '<div class="stip-bars stip-votes">'
        + "".join(rows)
        + "</div>"
    )


class ChoosePanel(w.VBox):
    """Checkboxes to mark statements, the voting switch, the live dots and the way to the ouderplan."""

    def __init__(self, actor, session: dict[str, Any], results: dict[str, Any], savebar, **kwargs):
        super().__init__(**kwargs)
        self.add_class("stip-choose")
        self.actor = actor
        self.session_id = session["id"]
        self.phase = session["phase"]
        self.savebar = savebar
        self.boxes: dict[int, w.Checkbox] = {}
        for item in results["items"]:
            if item["kind"] != "schaal":
                continue
            check = w.Checkbox(
                value=bool(item.get("marked")),
                description=item["tekst"],
                indent=False,
                layout=w.Layout(width="auto"),
            )
            check.add_class("stip-item-check")
            check.observe(self._on_tick, names="value")
            self.boxes[item["id"]] = check
        intro = w.HTML(
            safe_html(
                "<p>{text}</p>", text=t("teamscan_ui.choose_intro", low=MIN_MARKED, high=live.MAX_MARKED)
            )
        )
        self.suggested_head = w.HTML()
        self.suggested = w.VBox()
        self.rest = w.VBox()
        self.more = w.Accordion(children=[self.rest], selected_index=None)
        self.suggestion_ids: list[int] | None = None
        lists = [self.suggested_head, self.suggested, self.more]
        self.save = w.Button(description=t("teamscan_ui.save_marked"), button_style="primary")
        self.save.on_click(self._on_save)
        self.vote_button = w.Button()
        self.vote_button.on_click(self._on_vote)
        self.votes = w.HTML()
        self.to_plan = w.Button(description=t("teamscan_ui.to_plan"), icon="arrow-right")
        self.to_plan.on_click(self._on_to_plan)
        self.plan_link = w.HTML()
        self.marking = w.VBox([intro, *lists, self.save])
        self.voting = w.VBox(
            [w.HTML(safe_html("<h3>{h}</h3>", h=t("teamscan_ui.vote_heading"))), self.vote_button, self.votes]
        )
        self.planning = w.VBox(
            [
                w.HTML(safe_html("<h3>{h}</h3>", h=t("teamscan_ui.plan_heading"))),
                w.HBox([self.to_plan, self.plan_link], layout=w.Layout(align_items="center")),
            ]
        )
        self._label_vote_button()
        self.show(session, results)

    def _arrange(self, results: dict[str, Any]) -> None:
        """The suggestion (greatest spread, lowest scores) on top, the other statements folded below;
        re-arranged as answers come in, until the facilitator ticks something."""
        ids = [i for i in dict.fromkeys(results["verdeeld"] + results["laagst"]) if i in self.boxes]
        if ids == self.suggestion_ids:
            return
        self.suggestion_ids = ids
        self.suggested_head.value = safe_html("<h4>{h}</h4>", h=t("teamscan_ui.suggested")) if ids else ""
        self.suggested.children = tuple(self.boxes[i] for i in ids)
        rest = [box for item_id, box in self.boxes.items() if item_id not in ids]
        self.rest.children = tuple(rest)
        title = "teamscan_ui.other_items" if ids else "teamscan_ui.all_items"
        self.more.set_title(0, t(title, count=len(rest)))

    def _label_vote_button(self) -> None:
        """The button says what it does; while voting, the dots come first (the projector shows them)."""
        voting = self.phase == "stemmen"
        self.vote_button.description = t("teamscan_ui.stop_voting" if voting else "teamscan_ui.start_voting")
        self.vote_button.button_style = "warning" if voting else "primary"
        order = (self.marking, self.voting, self.planning)
        if voting:
            order = (self.voting, self.planning, self.marking)
        if self.children != order:
            self.children = order

    def marked_ids(self) -> list[int]:
        return [item_id for item_id, box in self.boxes.items() if box.value]

    def show(self, session: dict[str, Any], results: dict[str, Any]) -> None:
        if session["phase"] != self.phase:
            self.phase = session["phase"]
            self._label_vote_button()
        closed = session["status"] != "open"
        for widget in (self.save, self.vote_button, *self.boxes.values()):
            widget.disabled = closed
        if not self._dirty:  # marks saved elsewhere (another window) show here too; unsaved ticks stay
            self._arrange(results)
            marked = {item["id"] for item in results["items"] if item.get("marked")}
            self._syncing = True
            try:
                for item_id, box in self.boxes.items():
                    box.value = item_id in marked
            finally:
                self._syncing = False
        value = votes_html(results, self.phase)
        if self.votes.value != value:
            self.votes.value = value

    _dirty = False
    _syncing = False

    @handled
    def _on_tick(self, change) -> None:
        if not self._syncing:
            self._dirty = True

    @handled
    def _on_save(self, button=None) -> None:
        ids = self.marked_ids()
        if len(ids) > live.MAX_MARKED:
            self.savebar.error(t("teamscan_ui.too_many", high=live.MAX_MARKED))
            return
        with store.write() as conn:
            live.set_marked(conn, self.actor, self.session_id, ids)
        self._dirty = False
        if len(ids) < MIN_MARKED:
            self.savebar.info(t("teamscan_ui.few_marked", count=len(ids), low=MIN_MARKED))
        else:
            self.savebar.saved()

    @handled
    def _on_vote(self, button=None) -> None:
        phase = "invullen" if self.phase == "stemmen" else "stemmen"
        if phase == "stemmen" and not self.marked_ids():
            self.savebar.error(t("teamscan_ui.mark_first"))
            return
        with store.write() as conn:
            if phase == "stemmen":
                live.set_marked(conn, self.actor, self.session_id, self.marked_ids())
            live.set_phase(conn, self.actor, self.session_id, phase)
        self._dirty = False
        self.phase = phase
        self._label_vote_button()
        self.savebar.saved()

    @handled
    def _on_to_plan(self, button=None) -> None:
        with store.write() as conn:
            priorities = ouderplan.priorities_from_session(conn, self.actor, self.session_id)
        if not priorities:
            self.savebar.error(t("teamscan_ui.mark_first"))
            return
        self.plan_link.value = safe_html(
            '<a class="stip-plan-link" href="Ouderplan.ipynb">{text}</a>',
            text=t("teamscan_ui.open_plan", count=len(priorities)),
        )
        self.savebar.saved()
