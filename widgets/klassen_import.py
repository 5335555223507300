"""Import a class list in the browser: upload, preview with problems, map columns by hand, import.

The file is read in memory (never written to disk), checked by content, and refused above the limit
that is stated next to the button. Nothing is stored until "Importeren", and then all or nothing.
While the fictional Voorbeeldschool is loaded, "Importeren" first asks: remove it and import, or cancel
(real and made-up students never mix).
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from stip import demo, klassen, schools, store
from stip.i18n import t
from widgets.components.handled import handled
from widgets.components.safe import safe, safe_html
from widgets.components.savebar import SaveBar

PREVIEW_ROWS = 5
SHOWN_PROBLEMS = 30


def problems_html(problems, css: str) -> str:
    """The problems as a list; each message already names its row and column."""
    items = [safe_html("<li>{text}</li>", text=p.message) for p in problems[:SHOWN_PROBLEMS]]
    more = len(problems) - SHOWN_PROBLEMS
    if more > 0:
        items.append(safe_html("<li>{text}</li>", text=t("klassen.more_problems", count=more)))
    return f'<ul class="{css}">{"".join(items)}</ul>' if items else ""


def preview_table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th scope='col'>{safe(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{safe(c)}</td>" for c in row) + "</tr>" for row in rows[:PREVIEW_ROWS]
    )
    table = f'<table class="stip-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    return f'<div class="stip-scroll">{table}</div>'


class ImportPanel(w.VBox):
    """Upload → preview and mapping → import."""

    def __init__(self, actor: schools.Actor, on_imported: Callable[[], None] | None = None, **kwargs):
        from stip.imports import MAX_UPLOAD_BYTES

        super().__init__(**kwargs)
        self.actor = actor
        self.on_imported = on_imported or (lambda: None)
        self.savebar = SaveBar()
        self.limit = MAX_UPLOAD_BYTES
        self.upload = w.FileUpload(
            accept=".csv,.tsv,.txt,.xlsx",
            multiple=False,
            description=t("klassen.upload"),
            layout=w.Layout(width="auto"),
        )
        self.upload.observe(self._on_upload, names="value")
        intro = w.HTML(
            safe_html(
                "<p>{intro}</p><p class='stip-muted'>{limit}</p>",
                intro=t("klassen.import_intro"),
                limit=t("klassen.upload_limit", mb=MAX_UPLOAD_BYTES // (1024 * 1024)),
            )
        )
        self.summary = w.HTML()
        self.errors = w.HTML()
        self.warnings = w.HTML()
        self.mapping_box = w.VBox()
        self.preview = w.HTML()
        self.import_button = w.Button(
            description=t("klassen.import_button"), button_style="primary", icon="upload", disabled=True
        )
        self.import_button.layout.display = "none"
        self.import_button.on_click(self._on_import)
        self.demo_question = w.VBox()  # filled when the Voorbeeldschool is loaded (`_on_import`)
        self.parsed = None
        self.plan = None
        self.children = (
            intro,
            self.upload,
            self.savebar,
            self.summary,
            self.errors,
            self.warnings,
            self.mapping_box,
            self.preview,
            self.import_button,
            self.demo_question,
        )

    @handled
    def _on_upload(self, change) -> None:
        from stip import imports

        files = change["new"]
        if not files:
            return
        item = files[0]
        self.upload.value = ()
        self._clear()
        if item["size"] > self.limit:
            size_mb = f"{item['size'] / 1024 / 1024:.1f}".replace(".", ",")
            self.savebar.error(t("import.too_large", size_mb=size_mb, limit_mb=self.limit // (1024 * 1024)))
            return
        self.parsed = imports.read_table(bytes(item["content"]))
        self.filename = item["name"]
        self._build_mapping()
        self._validate(None)

    def _clear(self) -> None:
        self.parsed = self.plan = None
        self.summary.value = self.errors.value = self.warnings.value = self.preview.value = ""
        self.mapping_box.children = ()
        self.demo_question.children = ()
        self.import_button.layout.display = "none"  # hidden, not disabled: `handled` restores `disabled`
        self.savebar.reset()

    def _build_mapping(self) -> None:
        from stip import imports

        recognised = imports.recognise(self.parsed.headers)
        options = [(t("klassen.column_ignore"), ""), *[(imports.field_label(f), f) for f in imports.FIELDS]]
        self.dropdowns = []
        for index, header in enumerate(self.parsed.headers):
            dropdown = w.Dropdown(
                description=header or t("klassen.column_nameless", number=index + 1),
                options=options,
                value=recognised.get(index, ""),
                style={"description_width": "260px"},
                layout=w.Layout(width="520px"),
            )
            dropdown.observe(self._on_mapping, names="value")
            self.dropdowns.append(dropdown)
        title = w.HTML(
            safe_html(
                "<h4>{title}</h4><p class='stip-muted'>{hint}</p>",
                title=t("klassen.mapping_title"),
                hint=t("klassen.mapping_hint"),
            )
        )
        self.mapping_box.children = (title, *self.dropdowns)
        self.preview.value = safe_html("<h4>{title}</h4>", title=t("klassen.preview_title")) + preview_table(
            self.parsed.headers, self.parsed.rows
        )

    @handled
    def _on_mapping(self, change) -> None:
        mapping = {i: d.value for i, d in enumerate(self.dropdowns) if d.value}
        self._validate(mapping)

    def _validate(self, mapping) -> None:
        from stip import imports

        self.plan = imports.validate(self.parsed, mapping)
        report = self.plan.as_json()
        self.summary.value = safe_html(
            "<p><strong>{text}</strong></p>",
            text=t(
                "klassen.import_summary",
                filename=self.filename,
                students=t("klassen.n_students", count=report["students"]),
                guardians=t("klassen.n_guardians", count=report["guardians"]),
                errors=t("klassen.n_errors", count=len(self.plan.errors)),
                warnings=t("klassen.n_warnings", count=len(self.plan.warnings)),
            ),
        )
        self.errors.value = problems_html(self.plan.errors, "stip-error-list")
        self.warnings.value = problems_html(self.plan.warnings, "stip-warning-list")
        self.import_button.disabled = not self.plan.ok
        self.import_button.layout.display = None

    @handled
    def _on_import(self, button) -> None:
        if self.plan is None or not self.plan.ok:
            return
        with store.read() as conn:
            demo_loaded = demo.is_demo_school(conn, self.actor.school_id)
        if demo_loaded:
            self._ask_remove_demo()
            return
        self._apply(remove_demo=False)

    def _ask_remove_demo(self) -> None:
        remove = w.Button(description=t("demo.remove_and_import"), button_style="danger", icon="trash")
        cancel = w.Button(description=t("demo.cancel"))
        remove.on_click(self._on_remove_demo_and_import)
        cancel.on_click(self._on_cancel_demo)
        question = w.HTML(safe_html('<p class="stip-warning">{text}</p>', text=t("demo.import_question")))
        self.demo_question.children = (question, w.HBox([remove, cancel]))

    @handled
    def _on_remove_demo_and_import(self, button) -> None:
        self.demo_question.children = ()
        if self.plan is not None and self.plan.ok:
            self._apply(remove_demo=True)

    @handled
    def _on_cancel_demo(self, button) -> None:
        self.demo_question.children = ()
        self.savebar.info(t("demo.import_cancelled"))

    def _apply(self, remove_demo: bool) -> None:
        """Store the plan; with `remove_demo` the Voorbeeldschool goes first, in the same transaction.

        The list is matched against the store on a read transaction first, so the write stays short
        (`apply_import` matches again inside the write when the store changed meanwhile)."""
        with store.read() as conn:
            prepared = klassen.prepare_import(conn, self.actor, self.plan)
        with store.write() as conn:
            removed = demo.remove_demo(conn, self.actor) if remove_demo else None
            result = klassen.apply_import(conn, self.actor, prepared)
        text = t(
            "klassen.imported", created=result.created, updated=result.updated, missing=len(result.missing)
        )
        if removed is not None:
            text = f"{t('demo.removed')} {text}"
        self._clear()
        self.savebar.info(text)
        self.on_imported()
