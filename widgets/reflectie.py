"""Terugblikken: a short guided reflection after a conversation, in the five steps of Korthagen's ALACT
cycle (content in stip/content/nl/reflectie.yaml), and the mentor's reflections and intentions over time.

`Reflectie.ipynb?conversation=N` opens the reflection on that conversation; `?student=N` the student's
latest conversation; without a query the mentor chooses one of their conversations. Every step saves as
it is typed (AutoSaveForm) and can be revisited; a step never blocks, it lists what is still empty.
"""

from __future__ import annotations

import ipywidgets as w

from stip import reflectie, store, timefmt
from stip.i18n import t
from widgets.components.autosave import AutoSaveForm
from widgets.components.handled import handled
from widgets.components.lazy_tabs import LazyTabs
from widgets.components.safe import safe, safe_html
from widgets.components.savebar import SaveBar
from widgets.components.screen import Screen
from widgets.components.stepper import Step, Stepper

FIELD = w.Layout(width="100%", max_width="640px")
TEXTAREA = w.Layout(width="100%", max_width="640px")  # height: stip.css (.stip-reflectie__field)
KIND_KEYS = {
    "startgesprek": "reflectie.kind_startgesprek",
    "tussentijds": "reflectie.kind_tussentijds",
    "moeilijk": "reflectie.kind_moeilijk",
    "huisbezoek": "reflectie.kind_huisbezoek",
    "telefonisch": "reflectie.kind_telefonisch",
}
GEPROBEERD_KEYS = {
    "": "reflectie.geprobeerd_open",
    "ja": "reflectie.geprobeerd_ja",
    "deels": "reflectie.geprobeerd_deels",
    "nee": "reflectie.geprobeerd_nee",
}


def kind_label(kind: str) -> str:
    key = KIND_KEYS.get(kind)
    return t(key) if key else (kind or "").capitalize()


def conversation_label(talk: dict) -> str:
    """ "12-11-2026 · Startgesprek · Yousef Alkhatib (1A)" (plain text: for a Dropdown or escaped HTML)."""
    day = timefmt.format_date(talk["held_on"]) if talk.get("held_on") else t("reflectie.not_held")
    who = f"{talk['naam']} ({talk['klas']})" if talk.get("klas") else talk["naam"]
    return f"{day} · {kind_label(talk['kind'])} · {who}"


def terugblik_link(conversation_id: int | None, student_id: int | None = None) -> w.HTML:
    """The link "Terugblikken op dit gesprek" for a conversation screen (relative, so it works under a
    JupyterHub prefix); before the conversation is stored it opens the student's latest conversation."""
    if conversation_id is not None:
        href = f"Reflectie.ipynb?conversation={int(conversation_id)}"
    elif student_id is not None:
        href = f"Reflectie.ipynb?student={int(student_id)}"
    else:
        return w.HTML()
    html = safe_html('<p><a href="{href}">{text}</a></p>', href=href, text=t("reflectie.link"))
    return w.HTML(html)


class ReflectionStep(w.VBox, Step):
    """One ALACT step: what it asks in a sentence or two, a few prompts, and its text fields."""

    def __init__(self, step: dict, form: AutoSaveForm):
        super().__init__()
        self.key = step["key"]
        self.title = step["title"]
        self.form = form
        prompts = "".join(f"<li>{safe(prompt)}</li>" for prompt in step["prompts"])
        intro = w.HTML(
            safe_html('<p class="stip-reflectie__uitleg">{text}</p>', text=step["explanation"])
            + f'<ul class="stip-muted">{prompts}</ul>'
        )
        self.children = (intro, form)
        for widget in form.fields.values():
            widget.observe(self._on_value, names="value")

    @handled(savebar=lambda step: step.form.savebar)
    def _on_value(self, change) -> None:
        self.update_state()

    def update_state(self) -> None:
        self.missing = reflectie.missing(self.form.values())[self.key]
        super().update_state()

    def loaded(self) -> None:
        """After loading stored text: a filled step is done, an empty one not started (no warning yet)."""
        self.missing = reflectie.missing(self.form.values())[self.key]
        self.state = "todo" if self.missing else "done"


class ReflectionForm(w.VBox):
    """The stepper for one conversation: five steps, every field saved as it is typed."""

    def __init__(self, screen: ReflectieScreen, talk: dict, reflection: dict | None):
        super().__init__()
        self.screen = screen
        self.talk = talk
        self.reflection_id = reflection["id"] if reflection else None
        if reflection:
            screen.versions[reflection["id"]] = reflection["version"]
        self.forms: list[AutoSaveForm] = []
        steps = []
        for step in reflectie.steps():
            fields = {}
            for name, label in step["fields"].items():
                if name == "voornemen":
                    fields[name] = w.Text(description=label, layout=FIELD)
                else:
                    fields[name] = w.Textarea(description=label, layout=TEXTAREA)
                fields[name].style = {"description_width": "initial"}
                fields[name].add_class("stip-reflectie__field")
            if step["key"] == "uitproberen":
                fields["shared"] = w.Checkbox(description=t("reflectie.shared"), indent=False)
            form = AutoSaveForm(fields, self._save, screen.savebar)
            if reflection:
                form.load({name: reflection[name] for name in fields})
            self.forms.append(form)
            steps.append(ReflectionStep(step, form))
        for step in steps:
            step.loaded()
        self.stepper = Stepper(steps)
        heading = w.HTML(
            safe_html("<h3>{title}</h3>", title=t("reflectie.about", gesprek=conversation_label(talk)))
        )
        self.remove = w.Button(
            description=t("reflectie.delete"),
            icon="trash",
            layout=w.Layout(margin="20px 0 0 0", width="auto"),
        )
        self.remove.on_click(self._on_remove)
        self.children = (heading, self.stepper, self.remove)

    def flush(self) -> None:
        for form in self.forms:
            form.flush()

    @handled(savebar=lambda form: form.screen.savebar)
    def _on_remove(self, button) -> None:
        """First click asks "Echt verwijderen?", the second removes the reflection (only your own)."""
        if self.remove.button_style != "danger":
            self.remove.description = t("reflectie.delete_confirm")
            self.remove.button_style = "danger"
            return
        for form in self.forms:  # what is still waiting to be saved goes too
            form._debouncer.cancel()
            form._debouncer.pending = False
            form.changes.clear()
        if self.reflection_id is not None:
            with store.write() as conn:
                reflectie.delete_reflection(conn, self.screen.actor, self.reflection_id)
            self.screen.versions.pop(self.reflection_id, None)
        self.screen.list_stale = True
        self.screen.form = None
        self.screen.show(self.talk["id"])
        self.screen.savebar.info(t("reflectie.deleted"))

    def _save(self, changes: dict) -> bool:
        version = self.screen.versions.get(self.reflection_id)
        with store.write() as conn:
            self.reflection_id, version = reflectie.save(
                conn, self.screen.actor, self.reflection_id, self.talk["id"], changes, version
            )
        self.screen.versions[self.reflection_id] = version
        self.screen.list_stale = True
        return True


class ReflectionRow(w.VBox):
    """One reflection in the list: the conversation, the intention, and whether it was tried."""

    def __init__(self, screen: ReflectieScreen, item: dict):
        super().__init__()
        self.screen = screen
        self.item = item
        screen.versions.setdefault(item["id"], item["version"])
        head = safe_html(
            '<div class="stip-reflectie__row"><strong>{gesprek}</strong> '
            '<a href="Reflectie.ipynb?conversation={cid}">{open}</a>',
            gesprek=conversation_label(item),
            cid=item["conversation_id"] or "",
            open=t("reflectie.open"),
        )
        if item["shared"]:
            head += safe_html(' <span class="stip-muted">· {text}</span>', text=t("reflectie.shared_mark"))
        if item["voornemen"]:
            head += safe_html(
                "<div>{label} {text}</div>", label=t("reflectie.voornemen"), text=item["voornemen"]
            )
        else:
            head += safe_html('<div class="stip-muted">{text}</div>', text=t("reflectie.no_voornemen"))
        children = [w.HTML(head + "</div>")]
        if item["voornemen"]:
            options = [(t(key), value) for value, key in GEPROBEERD_KEYS.items()]
            tried = w.Dropdown(
                description=t("reflectie.geprobeerd"),
                options=options,
                style={"description_width": "initial"},
                layout=w.Layout(width="100%", max_width="340px"),
            )
            self.form = AutoSaveForm({"voornemen_geprobeerd": tried}, self._save, screen.savebar)
            self.form.load({"voornemen_geprobeerd": item["voornemen_geprobeerd"]})
            children.append(self.form)
        self.children = tuple(children)
        self.add_class("stip-reflectie__item")

    def _save(self, changes: dict) -> bool:
        rid = self.item["id"]
        with store.write() as conn:
            self.screen.versions[rid] = reflectie.set_geprobeerd(
                conn, self.screen.actor, rid, changes["voornemen_geprobeerd"], self.screen.versions[rid]
            )
        self.item["voornemen_geprobeerd"] = changes["voornemen_geprobeerd"]
        self.screen.show_summary()
        return True


class ReflectieScreen(Screen):
    """Tab 1: write (or reread) the reflection on a conversation; tab 2: reflections and intentions."""

    def build(self) -> None:
        content = reflectie.texts()
        self.versions: dict[int, int] = {}
        self.list_stale = False
        self.savebar = SaveBar()
        self.savebar.on_reload(lambda _b: self.reload())
        self.form: ReflectionForm | None = None
        intro = w.HTML(
            safe_html(
                '<p>{intro}</p><p class="stip-muted">{privacy}</p>',
                intro=content["intro"],
                privacy=content["privacy"],
            )
        )
        self.tabs = LazyTabs(
            [t("reflectie.tab_write"), t("reflectie.tab_list")], [self._write_panel, self._list_panel]
        )
        self.tabs.observe(self._on_tab, names="selected_index")
        self.children = (intro, self.savebar, self.tabs)

    # -- writing -------------------------------------------------------------------------------------------
    def _write_panel(self) -> w.Widget:
        wanted = self.query_int("conversation")
        student = self.query_int("student")
        with store.read() as conn:
            talks = reflectie.my_conversations(conn, self.actor)
            chosen = None
            if wanted is not None:
                chosen = reflectie.conversation(conn, self.actor, wanted)
            elif student is not None:
                chosen = reflectie.latest_conversation(conn, self.actor, student)
        self.talks = {talk["id"]: talk for talk in talks}
        if chosen is not None:
            self.talks.setdefault(chosen["id"], chosen)
        options = [(t("reflectie.choose"), None)]
        for talk in ([chosen] if chosen and chosen["id"] not in {x["id"] for x in talks} else []) + talks:
            done = f" — {t('reflectie.reflected')}" if talk.get("reflected") else ""
            options.append((conversation_label(talk) + done, talk["id"]))
        self.conversation = w.Dropdown(
            description=t("reflectie.conversation"),
            options=options,
            value=chosen["id"] if chosen else None,
            style={"description_width": "initial"},
            layout=w.Layout(width="100%", max_width="640px"),
        )
        self.conversation.observe(self._on_conversation, names="value")
        self.notice = w.HTML()
        self.body = w.VBox()
        if (wanted is not None or student is not None) and chosen is None:
            self.notice.value = safe_html('<p class="stip-error">{text}</p>', text=t("reflectie.not_found"))
        elif len(options) == 1:
            self.notice.value = safe_html(
                '<p>{text} <a href="Startgesprek.ipynb">{link}</a></p>',
                text=t("reflectie.no_conversations"),
                link=t("reflectie.to_startgesprek"),
            )
        self.show(self.conversation.value)
        return w.VBox([self.conversation, self.notice, self.body])

    @handled
    def _on_conversation(self, change) -> None:
        self.show(change["new"])

    def show(self, conversation_id: int | None) -> None:
        if self.form is not None:
            self.form.flush()  # what was typed for the previous conversation is stored first
        self.savebar.reset()
        self.form = None
        if conversation_id is None:
            self.body.children = ()
            return
        with store.read() as conn:
            reflection = reflectie.for_conversation(conn, self.actor, conversation_id)
        self.form = ReflectionForm(self, self.talks[conversation_id], reflection)
        self.body.children = (self.form,)

    def reload(self) -> None:
        """After a version conflict: read the stored reflection again."""
        self.versions.clear()
        if self.tabs.is_built(0):
            conversation_id = self.conversation.value
            self.form = None
            self.show(conversation_id)
        if self.tabs.is_built(1):
            self.refresh_list()

    # -- the list ------------------------------------------------------------------------------------------
    def _list_panel(self) -> w.Widget:
        self.summary = w.HTML()
        self.items = w.VBox()
        self.refresh_list()
        return w.VBox([self.summary, self.items])

    @handled
    def _on_tab(self, change) -> None:
        if change["new"] == 1 and self.tabs.is_built(1) and self.list_stale:
            if self.form is not None:
                self.form.flush()
            self.refresh_list()

    def refresh_list(self) -> None:
        with store.read() as conn:
            items = reflectie.mine(conn, self.actor)
        self.list_stale = False
        for item in items:
            self.versions[item["id"]] = item["version"]
        self.rows = [ReflectionRow(self, item) for item in items]
        self.items.children = tuple(self.rows)
        self.show_summary()

    def show_summary(self) -> None:
        items = [row.item for row in self.rows]
        if not items:
            self.summary.value = safe_html("<p>{text}</p>", text=t("reflectie.list_empty"))
            return
        counts = reflectie.tried_summary(items)
        self.summary.value = safe_html(
            "<p>{text}</p>",
            text=t(
                "reflectie.list_summary",
                count=len(items),
                ja=counts["ja"],
                deels=counts["deels"],
                nee=counts["nee"],
                open=counts["open"],
            ),
        )


def show_reflectie() -> ReflectieScreen:
    return ReflectieScreen()
