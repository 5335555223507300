"""The programme of one kenniskring, editable before and while it runs: per activity its title,
instruction and items (statements, tips, cases, questions); move, remove, add activities and items.

Each activity is a section of an accordion, built when it is opened. "Opslaan" stores the section's
title, instruction and changed item texts in one write; the other buttons act at once. Every change
bumps the session's live_version, so the projector and the phones follow.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from stip import kenniskring as K
from stip import live, store
from stip.i18n import t
from widgets.components.handled import handled
from widgets.components.safe import safe_html

WIDE = "min(760px, 100%)"


class ActivityEditor(w.VBox):
    """Title, instruction and items of one activity, with its buttons."""

    def __init__(
        self, panel: ProgrammePanel, index: int, activity: dict[str, Any], items: list[dict[str, Any]]
    ):
        super().__init__()
        self.add_class("stip-kk-activity-editor")
        self.panel = panel
        self.savebar = panel.savebar
        self.key = activity["key"]
        self.index = index
        self.titel = w.Text(
            value=activity["titel"],
            description=t("kenniskring_ui.activity_title"),
            style={"description_width": "8em"},
            layout=w.Layout(width=WIDE),
        )
        self.instruction = w.Textarea(
            value=activity.get("instruction", ""),
            description=t("kenniskring_ui.instruction"),
            style={"description_width": "8em"},
            layout=w.Layout(width=WIDE, height="4.5em"),
        )
        self.item_fields: list[tuple[dict[str, Any], w.Textarea]] = []
        rows = []
        for number, item in enumerate(items, start=1):
            field = w.Textarea(
                value=item["tekst"],
                description=t("kenniskring_ui.item_label", n=number),
                style={"description_width": "8em"},
                layout=w.Layout(width=WIDE, height="3.2em"),
            )
            remove = w.Button(
                description=t("kenniskring_ui.remove_item"),
                icon="trash",
                tooltip=t("kenniskring_ui.remove_item_tip", n=number),
                layout=w.Layout(width="auto"),
            )
            remove.item_id = item["id"]
            remove.on_click(self._on_remove_item)
            self.item_fields.append((item, field))
            rows.append(w.HBox([field, remove], layout=w.Layout(flex_flow="row wrap", align_items="center")))
        self.new_item = w.Textarea(
            description=t("kenniskring_ui.new_item"),
            placeholder=t("kenniskring_ui.new_item_hint"),
            style={"description_width": "8em"},
            layout=w.Layout(width=WIDE, height="3.2em"),
        )
        add = w.Button(description=t("kenniskring_ui.add_item"), icon="plus", layout=w.Layout(width="auto"))
        add.on_click(self._on_add_item)
        save = w.Button(
            description=t("kenniskring_ui.save_activity"),
            icon="check",
            button_style="primary",
            layout=w.Layout(width="auto"),
        )
        save.on_click(self._on_save)
        up = w.Button(description=t("kenniskring_ui.move_up"), icon="arrow-up", layout=w.Layout(width="auto"))
        down = w.Button(
            description=t("kenniskring_ui.move_down"), icon="arrow-down", layout=w.Layout(width="auto")
        )
        remove_activity = w.Button(
            description=t("kenniskring_ui.remove_activity"), icon="trash", layout=w.Layout(width="auto")
        )
        up.delta, down.delta = -1, 1
        up.disabled = index == 0
        down.disabled = index == panel.count - 1
        up.on_click(self._on_move)
        down.on_click(self._on_move)
        remove_activity.on_click(self._on_remove_activity)
        source = w.HTML(
            safe_html(
                '<p class="stip-muted">{kind} · {source}</p>',
                kind=K.kind_label(activity["kind"]),
                source=t("kenniskring_ui.source", source=activity.get("source", "")),
            )
        )
        buttons = w.HBox([save, up, down, remove_activity], layout=w.Layout(flex_flow="row wrap"))
        self.children = (source, self.titel, self.instruction, *rows, self.new_item, add, buttons)

    @handled
    def _on_save(self, button=None) -> None:
        with store.write() as conn:
            K.edit_activity(
                conn,
                self.panel.actor,
                self.panel.session_id,
                self.key,
                titel=self.titel.value,
                instruction=self.instruction.value,
            )
            for item, field in self.item_fields:
                if " ".join(field.value.split()) != item["tekst"]:
                    K.edit_item(conn, self.panel.actor, self.panel.session_id, item["id"], field.value)
        self.panel.refresh(t("kenniskring_ui.saved"))

    @handled
    def _on_add_item(self, button=None) -> None:
        with store.write() as conn:
            K.add_item(conn, self.panel.actor, self.panel.session_id, self.key, self.new_item.value)
        self.panel.refresh(t("kenniskring_ui.item_added"))

    @handled
    def _on_remove_item(self, button) -> None:
        with store.write() as conn:
            K.remove_item(conn, self.panel.actor, self.panel.session_id, button.item_id)
        self.panel.refresh(t("kenniskring_ui.item_removed"))

    @handled
    def _on_move(self, button) -> None:
        with store.write() as conn:
            K.move_activity(conn, self.panel.actor, self.panel.session_id, self.key, button.delta)
        target = max(0, min(self.index + button.delta, self.panel.count - 1))
        self.panel.sections.selected_index = None  # the moved activity stays open, not its old place
        self.panel.refresh(t("kenniskring_ui.activity_moved"))
        self.panel.sections.selected_index = target

    @handled
    def _on_remove_activity(self, button=None) -> None:
        with store.write() as conn:
            K.remove_activity(conn, self.panel.actor, self.panel.session_id, self.key)
        self.panel.refresh(t("kenniskring_ui.activity_removed"))


class ProgrammePanel(w.VBox):
    """All activities of the session as an accordion, and a form to add one."""

    def __init__(self, actor, session_id: int, savebar, **kwargs):
        super().__init__(**kwargs)
        self.add_class("stip-kk-programme-panel")
        self.actor = actor
        self.session_id = session_id
        self.savebar = savebar
        self.count = 0
        self.sections = w.Accordion()
        self.sections.observe(self._on_open_section, names="selected_index")
        self.kind = w.Dropdown(
            options=[(K.kind_label(kind), kind) for kind in K.ACTIVITY_KINDS],
            value="stelling",
            description=t("kenniskring_ui.new_kind"),
            style={"description_width": "8em"},
        )
        self.new_title = w.Text(
            description=t("kenniskring_ui.new_title"),
            style={"description_width": "8em"},
            layout=w.Layout(width=WIDE),
        )
        add = w.Button(
            description=t("kenniskring_ui.add_activity"), icon="plus", layout=w.Layout(width="auto")
        )
        add.on_click(self._on_add_activity)
        self.children = (
            w.HTML(safe_html('<p class="stip-muted">{text}</p>', text=t("kenniskring_ui.programme_intro"))),
            self.sections,
            w.HTML(safe_html("<h4>{h}</h4>", h=t("kenniskring_ui.add_heading"))),
            self.kind,
            self.new_title,
            add,
        )
        self.refresh()

    def refresh(self, message: str | None = None) -> None:
        with store.read() as conn:
            state = K.current(conn, self.session_id)
            items = live.items(conn, self.session_id)
        self.programme = K.activities(state["session"])
        self.items = {}
        for item in items:
            self.items.setdefault(item["theme"], []).append(item)
        self.count = len(self.programme)
        opened = self.sections.selected_index
        if len(self.sections.children) != self.count:  # new Accordion children only when the count changes
            self.sections.children = tuple(w.VBox() for _ in self.programme)
        for index, activity in enumerate(self.programme):
            self.sections.children[index].children = ()  # built again when shown
            self.sections.set_title(index, f"{index + 1}. {activity['titel']}")
        if opened is not None and opened < self.count:
            if self.sections.selected_index != opened:
                self.sections.selected_index = opened
            self._build(opened)
        if message:
            self.savebar.info(message)

    def _build(self, index: int) -> None:
        """Fill section `index` with its editor (the Accordion's children stay the same boxes)."""
        box = self.sections.children[index]
        if not box.children:
            activity = self.programme[index]
            box.children = (ActivityEditor(self, index, activity, self.items.get(activity["key"], [])),)

    def editor(self, index: int) -> ActivityEditor:
        self._build(index)
        return self.sections.children[index].children[0]

    @handled
    def _on_open_section(self, change) -> None:
        if change["new"] is not None and change["new"] < self.count:
            self._build(change["new"])

    @handled
    def _on_add_activity(self, button=None) -> None:
        with store.write() as conn:
            K.add_activity(conn, self.actor, self.session_id, self.kind.value, self.new_title.value)
        self.new_title.value = ""
        self.refresh(t("kenniskring_ui.activity_added"))
        self.sections.selected_index = self.count - 1
