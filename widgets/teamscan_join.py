"""How participants join: the code, the address and the QR code, large enough for the back of the room.

The address is the participant app's (`config.participant_base_url()`, set by `python -m stip serve
--deelnemers`) plus the session's join path. When that app is not running the panel says how to start
it, and still shows the code. The QR is drawn by `segno` (imported when the panel is built).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from stip import config, live
from stip.i18n import t
from stip.qr import qr_svg
from widgets.components.safe import safe_html


def spaced_code(code: str) -> str:
    """ "VK3MA7" → "VK3 MA7": two groups of three read better from far away."""
    return f"{code[:3]} {code[3:]}" if len(code) == 6 else code


def join_url(session: dict[str, Any]) -> str | None:
    base = config.participant_base_url()
    return base + live.join_path(session) if base else None


def join_html(session: dict[str, Any]) -> str:
    url = join_url(session)
    closed = session["status"] != "open"
    parts = ['<div class="stip-join">', '<div class="stip-join-text">']
    if closed:  # no address, no big code: nobody in the room should try them (review: closed-invite)
        parts.append(safe_html('<p class="stip-notice">{text}</p>', text=t("teamscan_ui.closed_notice")))
        return "".join(parts) + "</div></div>"
    if url:
        parts.append(safe_html('<p class="stip-join-step">{text}</p>', text=t("teamscan_ui.join_step")))
        parts.append(safe_html('<p class="stip-join-url">{base}</p>', base=config.participant_base_url()))
    parts.append(
        safe_html(
            '<p class="stip-join-code-label">{label}</p>'
            '<p class="stip-join-code" aria-label="{aria}">{code}</p>',
            label=t("teamscan_ui.code_label" if url else "teamscan_ui.code_label_alone"),
            aria=t("teamscan_ui.code_aria", code=" ".join(session["code"])),
            code=spaced_code(session["code"]),
        )
    )
    if url:
        parts.append(
            safe_html(
                '<p class="stip-join-link">{text} '
                '<a href="{url}" target="_blank" rel="noopener">{url}</a></p>',
                text=t("teamscan_ui.link_label"),
                url=url,
            )
        )
    else:
        parts.append(
            safe_html(
                '<div class="stip-notice stip-join-howto"><p><strong>{h}</strong></p><p>{p}</p>'
                "<p><code>make studiedag</code> {or_} "
                "<code>python -m stip serve --deelnemers</code></p></div>",
                h=t("teamscan_ui.app_not_running"),
                p=t("teamscan_ui.app_howto"),
                or_=t("teamscan_ui.or"),
            )
        )
    parts.append("</div>")
    if url:
        parts.append(f'<div class="stip-join-qr">{qr_svg(url, t("teamscan_ui.qr_label"))}</div>')
    parts.append("</div>")
    return "".join(parts)


class JoinPanel(w.VBox):
    """Code, address and QR; `show(session, results)` keeps the count of who joined up to date."""

    def __init__(self, session: dict[str, Any], **kwargs):
        super().__init__(**kwargs)
        self.add_class("stip-join-panel")
        self.join = w.HTML(join_html(session))
        self.count = w.HTML()
        self.status = session["status"]
        self.children = (self.join, self.count)

    def show(self, session: dict[str, Any], results: dict[str, Any]) -> None:
        if session["status"] != self.status:
            self.status = session["status"]
            self.join.value = join_html(session)
        value = safe_html(
            '<p class="stip-join-count" role="status"><span class="stip-live-number">{n}</span> {label}</p>',
            n=results.get("aangemeld", results["deelnemers"]),
            label=t("teamscan_ui.joined", count=results.get("aangemeld", results["deelnemers"])),
        )
        if self.count.value != value:
            self.count.value = value
