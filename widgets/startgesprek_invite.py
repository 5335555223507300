"""Invite the families: the mentor's template per channel (letter, e-mail, app) with a readability
indicator, the filled invitation per family (copy, .txt, .eml) and the whole class at once."""

from __future__ import annotations

import ipywidgets as w

from stip import instellingen, invitations, startgesprek, store, texts
from stip.i18n import t
from widgets.components.autosave import AutoSaveForm
from widgets.components.clipboard import CopyButton
from widgets.components.download import DownloadButton, DownloadFile
from widgets.components.handled import handled
from widgets.components.safe import safe_html
from widgets.components.savebar import SaveBar
from widgets.instellingen import refusal

CHANNEL_KEYS = {
    "brief": "startgesprek.channel_brief",
    "email": "startgesprek.channel_email",
    "app": "startgesprek.channel_app",
}


class InvitePanel(w.VBox):
    """Template editor above, one family's invitation and the class's downloads below."""

    def __init__(self, screen, **kwargs):
        super().__init__(**kwargs)
        self.screen = screen
        self.actor = screen.actor
        self.planned: list[int] = []  # students of the class with a time: only they can be invited
        self.savebar = SaveBar()
        self.savebar.on_reload(lambda _b: self._load_template())
        self.channel = w.ToggleButtons(options=[(t(k), c) for c, k in CHANNEL_KEYS.items()], value="brief")
        self.channel.observe(self._on_channel, names="value")
        self.shown_channel = self.channel.value  # the channel whose template the fields hold
        self.subject = w.Text(
            description=t("startgesprek.template_subject"),
            layout=w.Layout(width="640px"),
            style={"description_width": "120px"},
        )
        self.body = w.Textarea(
            description=t("startgesprek.template_body"),
            layout=w.Layout(width="640px", height="320px"),
            style={"description_width": "120px"},
        )
        self.form = AutoSaveForm({"subject": self.subject, "body": self.body}, self._save, self.savebar)
        self.body.observe(lambda _c: self._show_readability(), names="value")
        self.readability = w.HTML()
        reset = w.Button(description=t("startgesprek.template_reset"), icon="undo")
        reset.on_click(self._on_reset)
        allowed = " ".join("{" + name + "}" for name in sorted(invitations.allowed()))
        help_text = w.HTML(
            safe_html(
                "<p class='stip-muted'>{text}</p>", text=t("startgesprek.template_help", placeholders=allowed)
            )
        )
        self.family = w.Dropdown(
            description=t("startgesprek.family"), options=[], layout=w.Layout(width="480px")
        )
        self.family.observe(lambda _c: self._show_family(), names="value")
        self.unplanned = w.HTML()
        self.family_status = w.HTML()  # what the buttons below the preview did, right next to them
        self.class_status = w.HTML()  # which families the class buttons leave out
        self.preview = w.Textarea(disabled=True, layout=w.Layout(width="640px", height="260px"))
        self.copy = CopyButton(t("startgesprek.copy"), t("startgesprek.copied"))
        self.class_copy = CopyButton(t("startgesprek.class_copy"), t("startgesprek.copied"))
        txt = DownloadButton(t("startgesprek.download_txt"), self._txt, savebar=self.savebar)
        eml = DownloadButton(t("startgesprek.download_eml"), self._eml, savebar=self.savebar, icon="envelope")
        invited = w.Button(description=t("startgesprek.mark_invited"), icon="check")
        class_txt = DownloadButton(t("startgesprek.class_txt"), self._class_txt_file, savebar=self.savebar)
        class_zip = DownloadButton(
            t("startgesprek.class_eml"), self._class_zip, savebar=self.savebar, icon="file-archive-o"
        )
        class_invited = w.Button(description=t("startgesprek.class_invited"), icon="check-square-o")
        invited.on_click(self._on_invited)
        class_invited.on_click(self._on_class_invited)
        self.children = (
            w.HTML(
                safe_html(
                    "<h3>{t}</h3><p class='stip-muted'>{h}</p>",
                    t=t("startgesprek.invite_title"),
                    h=t("startgesprek.invite_hint"),
                )
            ),
            self.channel,
            self.form,
            self.readability,
            w.HBox([reset]),
            help_text,
            self.savebar,
            w.HTML(safe_html("<h4>{t}</h4>", t=t("startgesprek.family_title"))),
            self.family,
            self.unplanned,
            self.preview,
            w.HBox(
                [self.copy, txt, eml, invited], layout=w.Layout(align_items="center", flex_flow="row wrap")
            ),
            self.family_status,
            w.HTML(safe_html("<h4>{t}</h4>", t=t("startgesprek.class_title"))),
            w.HBox(
                [self.class_copy, class_txt, class_zip, class_invited], layout=w.Layout(flex_flow="row wrap")
            ),
            self.class_status,
        )

    def refresh(self) -> None:
        from stip import klassen

        self.form.flush()  # the last second of typing belongs to the template shown so far
        self._load_template()
        if self.screen.klas_id is None:
            self.family.options = []
            return
        with store.read() as conn:
            students = klassen.class_students(conn, self.actor, self.screen.klas_id)
            talks = startgesprek.states(conn, self.actor, [s["id"] for s in students])
        self.planned = [s["id"] for s in students if (talks.get(s["id"]) or {}).get("slot_id")]
        keep = self.family.value
        no_slot = t("startgesprek.no_slot_short")
        self.family.options = [
            (
                klassen.full_name(s["roepnaam"], s["tussenvoegsel"], s["achternaam"])
                + ("" if s["id"] in self.planned else f" — {no_slot}"),
                s["id"],
            )
            for s in students
        ]
        ids = [s["id"] for s in students]
        self.family.value = keep if keep in ids else (ids[0] if ids else None)
        self._show_family()
        self._update_class_copy()

    @handled
    def _on_channel(self, change) -> None:
        self.form.flush()  # pending edits belong to the channel shown so far
        self._load_template()
        self._update_class_copy()

    def _load_template(self) -> None:
        self.shown_channel = self.channel.value
        with store.read() as conn:
            self.template = invitations.get_template(conn, self.actor, self.channel.value)
        self.form.load({"subject": self.template["subject"], "body": self.template["body"]})
        self.subject.layout.display = "none" if self.channel.value == "app" else None
        self._show_readability()
        self._show_family()

    def _save(self, changes: dict) -> bool:
        # What was stored (or the default) with this save's changes: a refused subject never stops the body.
        values = {"subject": self.template["subject"], "body": self.template["body"], **changes}
        with store.write() as conn:
            version = invitations.save_template(
                conn,
                self.actor,
                self.shown_channel,
                values["subject"],
                values["body"],
                self.template["version"],
            )
        self.template = {**values, "version": version, "custom": True}
        self._show_family()
        self._update_class_copy()
        return True

    def _show_readability(self) -> None:
        report = texts.readability(self.body.value)
        css = "stip-muted" if report.level == "B1" else "stip-warning"
        extra = ""
        if report.jargon:
            extra = safe_html(
                "<br>{text}",
                text=t(
                    "startgesprek.jargon",
                    words=", ".join(f"{word} ({meaning})" for word, meaning in report.jargon),
                ),
            )
        self.readability.value = (
            safe_html('<p class="{css}">{text}', css=css, text=texts.readability_summary(report))
            + extra
            + "</p>"
        )

    def _families(self, ids: list[int]) -> list[dict]:
        with store.read() as conn:
            return invitations.families(conn, self.actor, ids)  # with brothers and sisters

    def _render(self, family: dict) -> list[dict]:
        template = {"subject": self.subject.value, "body": self.body.value}
        if self.channel.value == "app":
            template["subject"] = ""
        return invitations.render(template, family, t("startgesprek.to_plan"), t("startgesprek.the_mentor"))

    @handled
    def _show_family(self) -> None:
        if not getattr(self, "family", None) or self.family.value is None:
            return
        family = self._families([self.family.value])[0]
        self.unplanned.value = (
            ""
            if family["slot"]
            else safe_html(
                '<p class="stip-warning">{text}</p>',
                text=t("startgesprek.invite_unplanned", roepnaam=family["roepnaam"]),
            )
        )
        rendered = self._render(family)
        text = "\n\n---\n\n".join(invitations.as_text(i) for i in rendered)
        self.preview.value = text
        found = instellingen.missing(family, self.actor)  # no placeholder leaves for the parents
        self.copy.refuse(refusal(found)) if found else self.copy.set_text(text)

    def _refused(self, family: dict | None, status: w.HTML) -> bool:
        """True (and the reason beside the button) while a parent would still see a placeholder."""
        found = instellingen.missing(family, self.actor) if family else []
        if found:
            status.value = safe_html('<p class="stip-error" role="alert">{text}</p>', text=refusal(found))
        return bool(found)

    @handled
    def _on_reset(self, button) -> None:
        with store.write() as conn:
            invitations.reset_template(conn, self.actor, self.channel.value)
        self._load_template()
        self._update_class_copy()
        self.savebar.info(t("startgesprek.template_restored"))

    def _txt(self) -> DownloadFile | None:
        family = self._families([self.family.value])[0]
        if self._refused(family, self.family_status):
            return None
        return DownloadFile(
            self.preview.value.encode("utf-8"), f"uitnodiging-{family['roepnaam']}.txt", "text/plain"
        )

    def _eml(self) -> DownloadFile | None:
        if self.family.value not in self.planned:  # an invitation needs a time
            self._on_invited(None)
            return None
        family = self._families([self.family.value])[0]
        if self._refused(family, self.family_status):
            return None
        rendered = self._render(family)
        if len(rendered) == 1:
            return DownloadFile(
                invitations.as_eml(rendered[0], invitations.sender(family)),
                f"uitnodiging-{family['roepnaam']}.eml",
                "message/rfc822",
            )
        items = [(f"{family['roepnaam']}-{r['names']}", r) for r in rendered]
        return DownloadFile(
            invitations.class_zip(items, invitations.sender(family)),
            f"uitnodigingen-{family['roepnaam']}.zip",
            "application/zip",
        )

    def _class(self) -> list[dict]:
        """The families of the class that have a time: only they can be invited."""
        return self._families(self.planned)

    def _skipped(self) -> str:
        skipped = len(self.family.options) - len(self.planned)
        return " " + t("startgesprek.skipped_unplanned", count=skipped) if skipped else ""

    @handled
    def _update_class_copy(self) -> None:
        families = self._class() if getattr(self, "planned", None) else []
        found = instellingen.missing(families[0], self.actor) if families else []
        if found:
            self.class_copy.refuse(refusal(found))
        else:
            self.class_copy.set_text(self._class_text() if families else "")
        skipped = self._skipped().strip()
        self.class_status.value = (
            safe_html('<p class="stip-warning">{text}</p>', text=skipped) if skipped else ""
        )

    def _class_text(self) -> str:
        letters = invitations.unique([(f["naam"], i) for f in self._class() for i in self._render(f)])
        return "\n\n=====\n\n".join(invitations.as_text(i) for _name, i in letters)

    def _class_txt_file(self) -> DownloadFile | None:
        if self._refused(next(iter(self._class()), None), self.class_status):
            return None
        parts = [self._class_text()]
        return DownloadFile(
            "\n\n=====\n\n".join(parts).encode("utf-8"),
            f"uitnodigingen-{self.screen.klas_name}.txt",
            "text/plain",
        )

    def _class_zip(self) -> DownloadFile | None:
        families = self._class()
        if self._refused(next(iter(families), None), self.class_status):
            return None
        items = invitations.unique([(f["naam"], i) for f in families for i in self._render(f)])
        sender = invitations.sender(families[0]) if families else ""
        return DownloadFile(
            invitations.class_zip(items, sender),
            f"uitnodigingen-{self.screen.klas_name}.zip",
            "application/zip",
        )

    def _mark(self, ids: list[int], note: str = "") -> None:
        with store.write() as conn:
            startgesprek.mark_invited(conn, self.actor, ids, self.channel.value)
        self.family_status.value = safe_html(
            '<p class="stip-ok" role="status">{text}</p>',
            text=t("startgesprek.invited_marked", count=len(ids)) + note,
        )

    @handled
    def _on_invited(self, button) -> None:
        if self.family.value not in self.planned:  # invite with a time, or the family gets "[nog te plannen]"
            self.family_status.value = safe_html(
                '<p class="stip-warning">{text}</p>',
                text=t("startgesprek.invite_unplanned", roepnaam=self.family.label.split(" — ")[0]),
            )
            return
        self._mark([self.family.value])

    @handled
    def _on_class_invited(self, button) -> None:
        self._mark(self.planned, self._skipped())
