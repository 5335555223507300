"""Privacy for the whole school: the retention period, what it would remove, a pseudonymised export."""

from __future__ import annotations

import ipywidgets as w

from stip import schools, store, timefmt
from stip.i18n import t
from widgets.components.download import DownloadButton, DownloadFile
from widgets.components.handled import handled
from widgets.components.safe import safe, safe_html
from widgets.components.savebar import SaveBar


class PrivacyPanel(w.VBox):
    """Retention (months after leaving), its candidates with a confirmed clean-up, pseudonymised export."""

    def __init__(self, actor: schools.Actor, **kwargs):
        from stip import privacy

        super().__init__(**kwargs)
        self.actor = actor
        self.savebar = SaveBar()
        with store.read() as conn:
            months = privacy.retention_months(conn, actor)
        self.months = w.BoundedIntText(
            value=months,
            min=privacy.RETENTION_MIN,
            max=privacy.RETENTION_MAX,
            description=t("klassen.retention_label"),
            style={"description_width": "initial"},
        )
        self.months.observe(self._on_months, names="value")
        self.candidates = w.HTML()
        self.clean_button = w.Button(
            description=t("klassen.retention_apply"), button_style="danger", icon="trash"
        )
        self.clean_button.on_click(self._on_ask_clean)
        self.confirm = w.HBox()
        self.pseudo_button = DownloadButton(
            t("klassen.pseudonymised_export"), self._pseudonymised, savebar=self.savebar
        )
        intro = w.HTML(
            safe_html(
                "<h3>{title}</h3><p>{text}</p>",
                title=t("klassen.retention_title"),
                text=t("klassen.retention_intro"),
            )
        )
        pseudo = w.HTML(
            safe_html(
                "<h3>{title}</h3><p>{text}</p>",
                title=t("klassen.pseudonymised_title"),
                text=t("klassen.pseudonymised_intro"),
            )
        )
        self.children = (
            intro,
            self.months,
            self.candidates,
            self.clean_button,
            self.confirm,
            self.savebar,
            pseudo,
            w.HBox([self.pseudo_button]),
        )
        self._show_candidates()

    def _show_candidates(self) -> None:
        from stip import privacy

        with store.read() as conn:
            found = privacy.retention_candidates(conn, self.actor, timefmt.today())
        self.shown = {c["id"] for c in found}  # only what the user saw is removed on "Ja"
        self.clean_button.layout.display = None if found else "none"
        if not found:
            self.candidates.value = safe_html(
                '<p class="stip-muted">{text}</p>', text=t("klassen.retention_none")
            )
            return
        items = "".join(
            safe_html(
                "<li>{naam} ({nr}), {left}</li>", naam=c["naam"], nr=c["leerlingnummer"], left=c["left_on"]
            )
            for c in found
        )
        self.candidates.value = (
            f"<p>{safe(t('klassen.retention_found', count=len(found)))}</p><ul>{items}</ul>"
        )

    @handled
    def _on_months(self, change) -> None:
        from stip import privacy

        with store.write() as conn:
            privacy.set_retention_months(conn, self.actor, int(change["new"]))
        self.savebar.saved()
        self._show_candidates()

    @handled
    def _on_ask_clean(self, button) -> None:
        yes = w.Button(description=t("klassen.delete_yes"), button_style="danger", icon="trash")
        no = w.Button(description=t("klassen.delete_no"))
        yes.on_click(self._on_clean)
        no.on_click(lambda _b: setattr(self.confirm, "children", ()))
        self.confirm.children = (w.Label(t("klassen.retention_question")), yes, no)

    @handled
    def _on_clean(self, button) -> None:
        self.confirm.children = ()
        from stip import privacy

        with store.write() as conn:
            removed = privacy.apply_retention(
                conn, self.actor, timefmt.today(), dry_run=False, only=self.shown
            )
        store.checkpoint()  # the deleted rows leave the write-ahead log too (DESIGN §8)
        self.savebar.info(t("klassen.retention_removed", count=len(removed)))
        self._show_candidates()

    def _pseudonymised(self) -> DownloadFile:
        from stip import exports, privacy

        with store.write() as conn:
            rows = privacy.pseudonymised_export(conn, self.actor)
        headers = list(rows[0]) if rows else ["pseudonym"]
        data = exports.to_csv(headers, [[row[h] for h in headers] for row in rows])
        return DownloadFile(data, "leerlingen-pseudoniem.csv", "text/csv")
