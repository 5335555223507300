"""The participant pages as small HTML strings: no JavaScript, no request to another host, every user or
content string escaped (`_e`), inline CSS, big touch targets at 390×844, well under 50 KB.

Pure functions of plain data (the session, its items, the participant's own answers), so the handlers
stay short and the tests can look at a page without a server.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from stip import live
from stip.i18n import t

CHECK = '<span aria-hidden="true">\u2713 </span>'  # seen, not read out: aria-pressed says it
TEXT_MAX = 2000  # the browser stops typing here; the service checks the real limit

CSS = (
    "*{box-sizing:border-box}html{-webkit-text-size-adjust:100%}"
    "body{margin:0;font:18px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d2430;"
    "background:#f3f5f8;overflow-wrap:anywhere}"
    "main{max-width:40rem;margin:0 auto;padding:.75rem 1rem 2rem}"
    "h1{font-size:1.45rem;line-height:1.25;margin:.6rem 0 .8rem}"
    "h2{font-size:1.1rem;line-height:1.35;margin:0 0 .7rem;font-weight:600}"
    "p{margin:.5rem 0}.muted{color:#4a5565;font-size:.9rem}"
    ".top{font-size:.95rem;color:#4a5565;margin:.2rem 0}"
    ".bar{height:8px;background:#d9dfe7;border-radius:4px;margin:.3rem 0 .8rem}"
    ".bar span{display:block;height:100%;background:#0b5cad;border-radius:4px}"
    ".card{background:#fff;border-radius:12px;padding:1rem;margin:0 0 1rem;box-shadow:0 1px 3px #0002;"
    "scroll-margin-top:.5rem}"
    ".anchor{display:block;scroll-margin-top:.75rem}.card:has(>.anchor:target){box-shadow:0 0 0 3px #0b5cad}"
    "form{margin:0}.opts{display:grid;gap:.5rem}"
    "button,.btn{display:block;width:100%;min-height:48px;padding:.65rem 1rem;font:inherit;"
    "border:2px solid #0b5cad;border-radius:10px;background:#fff;color:#0b5cad;text-align:left;"
    "cursor:pointer;text-decoration:none;touch-action:manipulation}"
    "button.sel{background:#0b5cad;color:#fff;font-weight:600}"
    ".primary{background:#0b5cad;color:#fff;text-align:center;font-weight:600}"
    "button[disabled]{border-color:#b8c0cc;color:#6b7585;cursor:default}"
    "button.sel[disabled]{background:#5b7590;border-color:#5b7590;color:#fff}"  # kk-closed: readable
    "button:focus-visible,.btn:focus-visible,input:focus-visible,textarea:focus-visible"
    "{outline:3px solid #f0a500;outline-offset:2px}"
    "label{display:block;font-weight:600;margin:0 0 .4rem}"
    "textarea,input[type=text]{display:block;width:100%;font:inherit;padding:.6rem;border:2px solid #7b8594;"
    "border-radius:10px;background:#fff;color:inherit;min-height:48px;margin:0 0 .5rem}"
    "textarea{min-height:6rem;resize:vertical}"
    "input.code{font-size:1.6rem;letter-spacing:.15em;text-transform:uppercase;text-align:center}"
    ".saved{color:#1d6b34;font-weight:600}"
    "nav.steps{display:grid;grid-template-columns:1fr 1fr;gap:.5rem;margin:1.2rem 0}"
    "nav.steps .btn{display:flex;align-items:center;justify-content:center;text-align:center}"
    "nav.steps .only{grid-column:1/-1}"
    ".msg{background:#fff4d6;border-left:5px solid #c98a00;padding:.7rem 1rem;border-radius:8px}"
)


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def layout(title: str, body: str, *, refresh_seconds: int | None = None) -> str:
    """A whole page: viewport for phones, inline CSS, nothing loaded from anywhere else."""
    refresh = f'<meta http-equiv="refresh" content="{int(refresh_seconds)}">' if refresh_seconds else ""
    return (
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="referrer" content="no-referrer">{refresh}'
        f'<link rel="icon" href="data:,"><title>{_e(title)}</title><style>{CSS}</style></head>'
        f"<body><main>{body}</main></body></html>\n"
    )


def message_page(title: str, text: str, *, link: tuple[str, str] | None = None) -> str:
    """A page that only says something (errors, closed session, wrong code)."""
    href, label = link or ("/", t("deelnemen.back_home"))
    body = (
        f"<h1>{_e(title)}</h1><p>{_e(text)}</p>"
        f'<p><a class="btn primary" href="{_e(href)}">{_e(label)}</a></p>'
    )
    return layout(title, body)


def code_page(*, code: str = "", problem: str | None = None) -> str:
    """`/`: the form for the short code (a GET form: nothing is stored by typing a code)."""
    note = f'<p class="msg" role="alert">{_e(problem)}</p>' if problem else ""
    body = (
        f"<h1>{_e(t('deelnemen.code_heading'))}</h1><p>{_e(t('deelnemen.code_intro'))}</p>{note}"
        '<form class="card" method="get" action="/">'
        f'<label for="code">{_e(t("deelnemen.code_label"))}</label>'
        f'<input class="code" type="text" id="code" name="code" value="{_e(code)}" required maxlength="20" '
        'autocomplete="off" autocapitalize="characters" spellcheck="false" inputmode="text">'
        f'<button class="primary" type="submit">{_e(t("deelnemen.code_button"))}</button></form>'
    )
    return layout(t("deelnemen.page_title"), body)


@dataclass
class Section:
    """One page of the scan: a theme with its items (statements and the theme's comment)."""

    theme: str
    source: str = ""
    items: list[dict] = field(default_factory=list)


def sections(items: list[dict]) -> tuple[list[Section], list[dict]]:
    """The scan's pages in the order of the items (one per theme), and the open questions (last page)."""
    pages: dict[str, Section] = {}
    final: list[dict] = []
    for item in items:
        if item["kind"] == "open":
            final.append(item)
            continue
        section = pages.setdefault(item["theme"], Section(item["theme"]))
        section.items.append(item)
        if item.get("source") and not section.source:
            section.source = item["source"]
    return list(pages.values()), final


def is_choice(item: dict) -> bool:
    return bool(item.get("options"))


def answered_count(items: list[dict], mine: dict[int, dict]) -> tuple[int, int]:
    """(answered, total) over the items with options (statements); comments and open questions not counted."""
    choices = [item for item in items if is_choice(item)]
    return sum(1 for item in choices if mine.get(item["id"], {}).get("waarde")), len(choices)


def first_open_section(pages: list[Section], mine: dict[int, dict]) -> int:
    """1-based number of the first page with an unanswered statement (the last page when all are done)."""
    for number, section in enumerate(pages, start=1):
        if any(is_choice(item) and not mine.get(item["id"], {}).get("waarde") for item in section.items):
            return number
    return len(pages)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def option_label(option: str) -> str:
    """A button's text: the scale's Dutch label ("Helemaal mee eens", "Weet ik niet"), else the option."""
    return _capital(live.scale_label(option))


def _progress(session: dict, number: int | None, total_pages: int, answered: int, total: int) -> str:
    share = int(100 * answered / total) if total else 100
    step = t("deelnemen.progress", n=number, total=total_pages) if number else t("deelnemen.finish_heading")
    return (
        f'<p class="top">{_e(session["naam"])} · {_e(step)}</p>'
        f'<p class="top">{_e(t("deelnemen.answered", count=answered, total=total))}</p>'
        f'<div class="bar" role="presentation"><span style="width:{share}%"></span></div>'
    )


def _choice_card(item: dict, chosen: str, label: int) -> str:
    """A statement: its buttons are submit buttons of the page's ONE form (`antwoord` = "<item>:<option>"),
    so a tap sends the typed comment along and never loses it (one-form)."""
    buttons = []
    for option in item["options"]:
        selected = option == chosen
        mark = ' class="sel" aria-pressed="true"' if selected else ' aria-pressed="false"'
        buttons.append(
            f'<button type="submit" name="antwoord" value="{item["id"]}:{_e(option)}"{mark}>'
            f"{CHECK if selected else ''}{_e(option_label(option))}</button>"
        )
    return (
        f'<section class="card" id="s-{item["id"]}"><h2 id="q-{item["id"]}">{label}. {_e(item["tekst"])}</h2>'
        f'<div class="opts" role="group" aria-labelledby="q-{item["id"]}">{"".join(buttons)}</div></section>'
    )


def _text_card(item: dict, mine: dict, anchor: str) -> str:
    """A text item (the theme's comment, an open question): a field of the page's one text form."""
    saved = mine.get("tekst", "")
    note = f'<p class="saved">{_e(t("deelnemen.saved"))}</p>' if saved else ""
    return (
        f'<section class="card" id="s-{item["id"]}">{anchor}'
        f'<label for="t-{item["id"]}">{_e(item["tekst"])}</label>'
        f'<textarea id="t-{item["id"]}" name="tekst-{item["id"]}" maxlength="{TEXT_MAX}">'
        f"{_e(saved)}</textarea>"
        f'{note}<button type="submit" name="ga" value="opslaan">{_e(t("deelnemen.save_text"))}</button>'
        "</section>"
    )


def item_cards(items: list[dict], mine: dict[int, dict], start: int = 1) -> tuple[str, str]:
    """(statement cards, text cards), all parts of the page's ONE form (`page_form`) with its navigation
    buttons: a typed comment goes along with a tapped answer, "Volgende thema" and "Inleveren", never lost.

    After an answer the redirect goes to `#na-<item id>`: an anchor at the top of the next card (or
    after the last one), so the phone shows the next statement."""
    cards, texts, label, previous = [], [], start, None
    for item in items:
        own = mine.get(item["id"], {})
        anchor = f'<span class="anchor" id="na-{previous}"></span>' if previous is not None else ""
        if is_choice(item):
            card = _choice_card(item, own.get("waarde", ""), label)
            cards.append(card.replace(">", f">{anchor}", 1))
            label += 1
        else:
            texts.append(_text_card(item, own, anchor))
        previous = item["id"]
    if previous is not None:
        (texts or cards).append(f'<span class="anchor" id="na-{previous}"></span>')
    return "".join(cards), "".join(texts)


def page_form(base: str, xsrf: str, page: str, content: str) -> str:
    """A page's one form (POST `/s/<CODE>/pagina`): the answer buttons (`antwoord`), the text fields
    (`tekst-<item id>`) and the way on (`ga`); the server saves the tapped answer and every typed text."""
    return (
        f'<form method="post" action="{_e(base)}/pagina">{xsrf}'
        f'<input type="hidden" name="pagina" value="{_e(page)}">{content}</form>'
    )


def start_page(
    base: str,
    xsrf: str,
    session: dict,
    role: str,
    roles: tuple[str, ...],
    next_page: int,
    started: bool,
    voting: bool,
) -> str:
    """`/s/<CODE>`: welcome, anonymity, the optional role (one tap, first), then the way in (or back to
    where one was)."""
    role_buttons = "".join(
        f'<button type="submit" name="rol" value="{_e(name)}"'
        + (' class="sel" aria-pressed="true"' if name == role else ' aria-pressed="false"')
        + f">{_e(_capital(live.role_label(name)))}</button>"
        for name in roles
    )
    go = t("deelnemen.continue_button", n=next_page) if started else t("deelnemen.start_button")
    vote = (
        f'<p><a class="btn primary" href="{_e(base)}/stemmen">{_e(t("deelnemen.vote_link"))}</a></p>'
        if voting
        else ""
    )
    body = (  # role-first: the optional role before the way in, else most would skip it
        f"<h1>{_e(t('deelnemen.welcome', naam=session['naam']))}</h1>"
        f'<p class="muted">{_e(t("deelnemen.anonymous"))}</p>{vote}'
        f'<form class="card" method="post" action="{_e(base)}/rol">{xsrf}'
        f'<h2 id="rol">{_e(t("deelnemen.role_heading"))}</h2>'
        f'<div class="opts" role="group" aria-labelledby="rol">{role_buttons}</div></form>'
        f'<p><a class="btn primary" href="{_e(base)}/t/{next_page}">{_e(go)}</a></p>'
    )
    return layout(session["naam"], body)


def section_page(
    base: str,
    xsrf: str,
    session: dict,
    pages: list[Section],
    number: int,
    mine: dict[int, dict],
    answered: int,
    total: int,
) -> str:
    """`/s/<CODE>/t/<n>`: one theme as one form: its statements, the comment, then previous / next."""
    section = pages[number - 1]
    start = 1 + sum(1 for s in pages[: number - 1] for item in s.items if is_choice(item))
    source = (
        f'<p class="muted">{_e(t("deelnemen.source", source=section.source))}</p>' if section.source else ""
    )
    next_label = t("deelnemen.next") if number < len(pages) else t("deelnemen.to_finish")
    cards, texts = item_cards(section.items, mine, start)
    back = f"t/{number - 1}" if number > 1 else "start"
    on = f"t/{number + 1}" if number < len(pages) else "klaar"
    nav = (  # buttons of the page's form: a typed comment goes along
        '<nav class="steps" id="verder">'
        f'<button class="btn" type="submit" name="ga" value="{back}">{_e(t("deelnemen.previous"))}</button>'
        f'<button class="btn primary" type="submit" name="ga" value="{on}">{_e(next_label)}</button>'
        "</nav>"
    )
    body = (
        _progress(session, number, len(pages), answered, total)
        + f"<h1>{_e(section.theme or session['naam'])}</h1>{source}"
        + page_form(base, xsrf, str(number), cards + texts + nav)
    )
    return layout(f"{section.theme} — {session['naam']}", body)


def finish_page(
    base: str,
    xsrf: str,
    session: dict,
    pages: list[Section],
    final: list[dict],
    mine: dict[int, dict],
    answered: int,
    total: int,
) -> str:
    """`/s/<CODE>/klaar`: the open questions, what is still open, and "Inleveren" (which saves the
    typed answers too)."""
    left = total - answered
    status = t("deelnemen.unanswered", count=left) if left else t("deelnemen.all_answered")
    first_open = first_open_section(pages, mine)
    link = (
        f'<p><a class="btn" href="{_e(base)}/t/{first_open}">'
        f"{_e(t('deelnemen.continue_button', n=first_open))}</a></p>"
        if left
        else ""
    )
    _cards, texts = item_cards(final, mine)
    back = f"t/{len(pages)}" if pages else "start"
    buttons = (
        f'<section class="card" id="inleveren"><p>{_e(status)}</p>{link}'
        f"<p>{_e(t('deelnemen.submit_warning'))}</p>"
        f'<button class="primary" type="submit" name="ga" value="inleveren">'
        f"{_e(t('deelnemen.submit_button'))}</button></section>"
        '<nav class="steps">'
        f'<button class="btn only" type="submit" name="ga" value="{back}">{_e(t("deelnemen.previous"))}'
        "</button></nav>"
    )
    body = (
        _progress(session, None, len(pages), answered, total)
        + f"<h1>{_e(t('deelnemen.finish_heading'))}</h1>"
        + page_form(base, xsrf, "klaar", texts + buttons)
    )
    return layout(f"{t('deelnemen.finish_heading')} — {session['naam']}", body)


def thanks_page(base: str, session: dict, voting: bool) -> str:
    """After "Inleveren": nothing more to change; reloads itself now and then so the voting link appears."""
    vote = (
        f'<p><a class="btn primary" href="{_e(base)}/stemmen">{_e(t("deelnemen.vote_link"))}</a></p>'
        if voting
        else f'<p><a class="btn" href="{_e(base)}">{_e(t("deelnemen.refresh"))}</a></p>'
    )
    body = f"<h1>{_e(t('deelnemen.thanks_title'))}</h1><p>{_e(t('deelnemen.thanks_text'))}</p>{vote}"
    return layout(t("deelnemen.thanks_title"), body, refresh_seconds=None if voting else 20)


def vote_page(base: str, xsrf: str, session: dict, marked: list[dict], mine: set[int], allowed: int) -> str:
    """`/s/<CODE>/stemmen`: the marked items, a toggle each; at most `allowed` dots."""
    used = len(mine)
    cards = []
    for item in marked:
        on = item["id"] in mine
        if on:
            button = (
                f'<button class="sel" aria-pressed="true" type="submit" name="aan" value="0">'
                f"{_e(t('deelnemen.vote_off'))}</button>"
            )
        elif used >= allowed:
            button = (
                f'<button type="button" disabled aria-pressed="false">{_e(t("deelnemen.vote_full"))}</button>'
            )
        else:
            button = (
                '<button type="submit" name="aan" value="1" aria-pressed="false">'
                f"{_e(t('deelnemen.vote_on'))}</button>"
            )
        cards.append(
            f'<section class="card" id="s-{item["id"]}"><h2>{_e(item["tekst"])}</h2>'
            f'<form method="post" action="{_e(base)}/stem">{xsrf}'
            f'<input type="hidden" name="item" value="{item["id"]}">{button}</form></section>'
        )
    body = (
        f'<p class="top">{_e(session["naam"])}</p><h1>{_e(t("deelnemen.vote_heading"))}</h1>'
        f"<p>{_e(t('deelnemen.vote_intro', max=allowed))}</p>"
        f'<p class="saved" role="status">{_e(t("deelnemen.vote_used", count=used, max=allowed))}</p>'
        + "".join(cards)
    )
    return layout(t("deelnemen.vote_heading"), body)


def vote_closed_page(base: str, session: dict) -> str:
    body = (
        f'<p class="top">{_e(session["naam"])}</p><h1>{_e(t("deelnemen.vote_heading"))}</h1>'
        f"<p>{_e(t('deelnemen.vote_not_open'))}</p>"
        f'<p><a class="btn primary" href="{_e(base)}/stemmen">{_e(t("deelnemen.refresh"))}</a></p>'
        f'<p><a class="btn" href="{_e(base)}">{_e(t("deelnemen.back_home"))}</a></p>'
    )
    return layout(t("deelnemen.vote_heading"), body, refresh_seconds=20)


# -- kenniskring (issue 18): the phone shows the trainer's current activity and follows it ----------------

FOLLOW_SCRIPT = """(function () {
  var me = document.currentScript, url = me.dataset.status, now = me.dataset.stand;
  function typing() {
    return Array.prototype.some.call(document.querySelectorAll("textarea"), function (field) {
      return field.value !== field.defaultValue;
    });
  }
  function check() {
    fetch(url, {cache: "no-store", credentials: "same-origin"}).then(function (reply) {
      if (reply.status === 404 || reply.status === 410) { location.reload(); return null; }
      return reply.ok ? reply.json() : null;
    }).then(function (state) {
      if (!state) { return; }
      if ([state.current_position, state.answering_open, state.phase].join("|") !== now) {
        if (typing()) { document.getElementById("verder").hidden = false; } else { location.reload(); }
      }
    }).catch(function () {});
  }
  setInterval(check, 2000);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { check(); } });
})();
"""


def follow_state(session: dict) -> str:
    """What the phone follows: the trainer's step, answering open or not, the phase (as status.json)."""
    is_open = "true" if session.get("answering_open") else "false"
    return f"{session.get('current_position', 0)}|{is_open}|{session.get('phase', '')}"


def _kk_card(item: dict, mine: dict, answering: bool, keep: str) -> str:
    """One item of the current activity, a part of the activity's ONE form (one-form): a tapped choice
    (`antwoord` = "<item>:<option>") or "Opslaan" (`bewaar`) sends every typed reason and text along."""
    chosen, saved = mine.get("waarde", ""), mine.get("tekst", "")
    off = "" if answering else " disabled"
    question = f'<h2 id="q-{item["id"]}">{_e(item["tekst"])}</h2>' if item["tekst"] else ""
    parts = [f'<section class="card" id="s-{item["id"]}">{question}']
    if item["options"]:
        buttons = []
        for option in item["options"]:
            selected = option["value"] == chosen
            mark = ' class="sel" aria-pressed="true"' if selected else ' aria-pressed="false"'
            buttons.append(
                f'<button type="submit" name="antwoord" value="{item["id"]}:{_e(option["value"])}"'
                f"{mark}{off}>"
                f"{CHECK if selected else ''}{_e(_capital(option['label']))}</button>"
            )
        parts.append(
            f'<div class="opts" role="group" aria-labelledby="q-{item["id"]}">{"".join(buttons)}</div>'
        )
        if item["kind"] == "stelling":  # an optional reason goes with the choice
            parts.append(
                f'<label for="t-{item["id"]}" style="margin-top:.8rem">{_e(t("deelnemen.kk_reason"))}</label>'
                f'<textarea id="t-{item["id"]}" name="tekst-{item["id"]}" maxlength="{TEXT_MAX}"{off}>'
                f"{_e(saved)}</textarea>"
            )
            if chosen:
                parts.append(
                    f'<button type="submit" name="bewaar" value="{item["id"]}"{off}>'
                    f"{_e(t('deelnemen.kk_reason_save'))}</button>"
                )
    else:
        label = "" if item["tekst"] else f'<label for="t-{item["id"]}">{_e(t("deelnemen.kk_answer"))}</label>'
        described = f' aria-labelledby="q-{item["id"]}"' if item["tekst"] else ""
        parts.append(
            f'{label}<textarea id="t-{item["id"]}" name="tekst-{item["id"]}" maxlength="{TEXT_MAX}"'
            f"{described}{off}>{_e(saved)}</textarea>"
            + (f'<p class="saved">{_e(t("deelnemen.saved"))}</p>' if saved else "")
            + f'<button type="submit" name="bewaar" value="{item["id"]}"{off}>{_e(t("deelnemen.save_text"))}'
            "</button>"
        )
    if item["kind"] == "voornemen" and saved:
        parts.append(keep)
    parts.append("</section>")
    return "".join(parts)


def kenniskring_page(base: str, xsrf: str, session: dict, view: dict, mailto: str) -> str:
    """`/s/<CODE>` of a kenniskring: the trainer's current activity; the page follows the trainer (a tiny
    script polls status.json and reloads, unless a text is being typed); without JavaScript a button."""
    activity = view["activity"]
    answering = view["answering_open"]
    keep = (
        f'<p><a class="btn" href="{_e(mailto)}">{_e(t("deelnemen.kk_keep_mail"))}</a></p>'
        f'<p><a class="btn" href="{_e(base)}/voornemen.txt" download>'
        f"{_e(t('deelnemen.kk_keep_download'))}</a></p>"
    )
    if activity is None:
        body = f"<h1>{_e(session['naam'])}</h1><p>{_e(t('deelnemen.kk_waiting'))}</p>"
    else:
        step = t("deelnemen.kk_progress", n=view["position"] + 1, total=view["count"])
        source = (
            f'<p class="muted">{_e(t("deelnemen.source", source=activity["source"]))}</p>'
            if activity["source"]
            else ""
        )
        note = "" if answering else f'<p class="msg" role="status">{_e(t("deelnemen.kk_closed"))}</p>'
        cards = "".join(
            _kk_card(item, view["mine"].get(item["id"], {}), answering, keep) for item in view["items"]
        )
        if cards:  # one-form: the whole activity, so no typed reason or text is lost by a tap
            cards = f'<form method="post" action="{_e(base)}/kk">{xsrf}{cards}</form>'
        body = (
            f'<p class="top">{_e(session["naam"])} · '  # kk-closed: the step is never split
            f'<span style="white-space:nowrap">{_e(step)}</span></p><h1>{_e(activity["titel"])}</h1>'
            f"<p>{_e(activity['instruction'])}</p>{source}{note}{cards}"
        )
    moved = (
        '<p class="msg" id="verder" role="status" style="position:sticky;top:0;z-index:1" hidden>'
        f'{_e(t("deelnemen.kk_moved"))} <a href="{_e(base)}">{_e(t("deelnemen.refresh"))}</a></p>'
    )
    body = (
        moved
        + body
        + (
            f'<p class="muted">{_e(t("deelnemen.kk_follow"))}</p>'
            f'<p><a class="btn" href="{_e(base)}">{_e(t("deelnemen.refresh"))}</a></p>'
            f'<script src="/volg.js" data-status="{_e(base)}/status.json" '
            f'data-stand="{_e(follow_state(session))}">'
            "</script>"
        )
    )
    return layout(activity["titel"] if activity else session["naam"], body)
