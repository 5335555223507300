"""The participant app of live sessions (issues 17 and 18, DESIGN §5): `python -m stip deelnemen`.

A small Tornado app — no Voilà kernel per phone — serving only the participant pages of open sessions:
join by code or the join URL (`/s/<CODE>?k=<secret>`), one page per theme as ONE form (a POST per tapped
answer that carries the typed comment along; Post/Redirect/Get, anchored at the next statement), the open
questions and "Inleveren", dot voting (`/s/<CODE>/stemmen`) and a small JSON status for polling
(`/s/<CODE>/status.json`).

Privacy and safety (DESIGN §8): everything goes through `stip.live` on the session tables only; the
participant is a random token in an HttpOnly, SameSite=Lax cookie scoped to the session's path; no name,
IP or time is stored with an answer and nothing identifying is logged (the access log shows handler and
status only, at DEBUG); forms carry Tornado's CSRF token; bodies above 16 KB get a Dutch 413 page.
"""

from __future__ import annotations

import asyncio
import atexit
import errno
import http.client
import json
import logging
import os
import re
import secrets
import subprocess
import sys
import time

import tornado.httpserver
import tornado.web

from stip import kenniskring, live, store
from stip.deelnemen import pages
from stip.i18n import t

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8867
LAN_HOST = "0.0.0.0"  # `serve --deelnemers`: every network of this computer
START_TIMEOUT_SECONDS = 20
MAX_BODY_BYTES = 16 * 1024  # a form POST above this gets the Dutch 413 page and stores nothing
MAX_SERVER_BODY_BYTES = 1024 * 1024  # above this Tornado closes the connection without reading on
COOKIE = "stip_deelnemer"
COOKIE_DAYS = 2
TOKEN_BYTES = 24  # secrets.token_urlsafe(24): 32 characters
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
CODE = r"([A-Za-z0-9-]{1,20})"
PAGE_PATTERN = re.compile(r"^(klaar|[0-9]{1,3})$")
GO_PATTERN = re.compile(r"^(opslaan|inleveren|start|klaar|t/[0-9]{1,3})$")  # the text form's buttons
TEXT_FIELD = re.compile(r"^tekst-([0-9]{1,12})$")
ANSWER_BUTTON = re.compile(r"^([0-9]{1,12}):([A-Za-z0-9_]{1,20})$")  # one-form: "<item id>:<option>"
MAX_TEXT_FIELDS = 20
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'self'; "
        "connect-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
ERROR_TEXTS = {
    400: ("deelnemen.error_400_title", "deelnemen.error_400_text"),
    403: ("deelnemen.error_403_title", "deelnemen.error_403_text"),
    404: ("deelnemen.error_404_title", "deelnemen.error_404_text"),
    405: ("deelnemen.error_400_title", "deelnemen.error_400_text"),
    409: ("deelnemen.thanks_title", "deelnemen.already_submitted"),
    410: ("deelnemen.closed_title", "deelnemen.closed_text"),
    413: ("deelnemen.error_413_title", "deelnemen.error_413_text"),
}

log = logging.getLogger(__name__)


class Refused(tornado.web.HTTPError):
    """A request answered with a Dutch page (status, title, text); nothing was stored."""

    def __init__(
        self,
        status: int,
        title: str | None = None,
        text: str | None = None,
        link: tuple[str, str] | None = None,
    ):
        super().__init__(status)
        self.title, self.text, self.link = title, text, link


def wrong_code() -> Refused:
    return Refused(404, t("deelnemen.wrong_code_title"), t("deelnemen.wrong_code_text"))


def log_request(handler: tornado.web.RequestHandler) -> None:
    """Tornado's access log without path, query, cookies or address: handler and status only."""
    status = handler.get_status()
    level = logging.WARNING if status >= 500 else logging.DEBUG
    log.log(level, "%s %d %s", handler.request.method, status, type(handler).__name__)


class Base(tornado.web.RequestHandler):
    def set_default_headers(self) -> None:
        for name, value in SECURITY_HEADERS.items():
            self.set_header(name, value)

    def log_exception(self, typ, value, tb) -> None:  # never the request (URL with secret, cookies)
        if isinstance(value, tornado.web.HTTPError):
            return
        log.error("%s in %s", typ.__name__, type(self).__name__, exc_info=(typ, value, tb))

    def _too_big(self) -> bool:
        return len(self.request.body or b"") > MAX_BODY_BYTES

    def check_xsrf_cookie(self) -> None:
        if self._too_big():  # before the CSRF check, so an oversized form is told so
            raise Refused(413)
        super().check_xsrf_cookie()

    def prepare(self) -> None:
        if self._too_big():
            raise Refused(413)

    def write_error(self, status_code: int, **kwargs) -> None:
        error = kwargs.get("exc_info", (None, None, None))[1]
        title_key, text_key = ERROR_TEXTS.get(
            status_code, ("deelnemen.error_500_title", "deelnemen.error_500_text")
        )
        title = getattr(error, "title", None) or t(title_key)
        text = getattr(error, "text", None) or t(text_key)
        if self.request.path.endswith("/status.json"):
            self.set_header("Content-Type", "application/json; charset=UTF-8")
            self.finish(json.dumps({"fout": title}, ensure_ascii=False))
            return
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(pages.message_page(title, text, link=getattr(error, "link", None)))

    def page(self, body: str) -> None:
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(body)

    # -- the session and the participant -------------------------------------------------------------

    def open_session(self, conn, code: str) -> dict:
        """The open session of `code` (404 when unknown, 410 when closed)."""
        session = live.session_by_code(conn, code)
        if session is None:
            raise wrong_code()
        if session["status"] != "open":
            raise Refused(410)
        return session

    def base(self, session: dict) -> str:
        return f"/s/{session['code']}"

    def canonical(self, session: dict, code: str) -> bool:
        """GET with the code typed another way (lower case, a dash): redirect to the session's own URL,
        where the cookie lives. True when redirected."""
        if code == session["code"]:
            return False
        rest = self.request.path[len(f"/s/{code}") :]
        self.redirect(self.base(session) + rest, status=303)
        return True

    def token(self, session: dict) -> str:
        """The participant's random id from the cookie of this session; a new one (cookie set) when none."""
        value = self.get_cookie(COOKIE)
        if value and TOKEN_PATTERN.match(value):
            return value
        value = secrets.token_urlsafe(TOKEN_BYTES)
        self.set_cookie(
            COOKIE,
            value,
            path=self.base(session),
            expires_days=COOKIE_DAYS,
            httponly=True,
            samesite="Lax",
        )
        return value

    def xsrf(self) -> str:
        return self.xsrf_form_html()

    def text_fields(self) -> dict[int, str]:
        """The form's `tekst-<item id>` fields (a page's comment, open questions, cases)."""
        texts: dict[int, str] = {}
        for name in self.request.body_arguments:
            found = TEXT_FIELD.match(name)
            if found:
                texts[int(found.group(1))] = self.get_body_argument(name, "")
        if len(texts) > MAX_TEXT_FIELDS:
            raise Refused(400)
        return texts

    def int_argument(self, name: str) -> int:
        raw = self.get_body_argument(name, "")
        if not raw.isdigit() or len(raw) > 12:
            raise Refused(400)
        return int(raw)


class CodeHandler(Base):
    """`/`: the code form; `/?code=ABC123` joins an open session (a GET: typing stores nothing)."""

    def get(self) -> None:
        code = self.get_query_argument("code", "").strip()
        if not code:
            self.page(pages.code_page())
            return
        with store.read() as conn:
            session = live.session_by_code(conn, code[:40])
        if session is None or session["status"] != "open":
            status = 404 if session is None else 410
            problem = t("deelnemen.wrong_code_title") if session is None else t("deelnemen.closed_title")
            self.set_status(status)
            self.page(pages.code_page(code=code[:20], problem=problem))
            return
        self.redirect(f"/s/{session['code']}", status=303)


class JoinHandler(Base):
    """`/s/<CODE>` (`?k=<secret>` from the QR): welcome, role, the way in — or back to where one was."""

    def get(self, code: str) -> None:
        with store.read() as conn:
            session = self.open_session(conn, code)
            secret = self.get_query_argument("k", None)
            if secret is not None:
                if not secrets.compare_digest(secret.encode(), session["secret"].encode()):
                    raise wrong_code()
                self.redirect(self.base(session), status=303)  # the secret leaves the address bar
                return
            if self.canonical(session, code):
                return
            token = self.token(session)
            if session["kind"] == kenniskring.KIND:
                view = kenniskring.phone_view(conn, session["id"], token)
                kept = any(
                    item["kind"] == "voornemen" and view["mine"].get(item["id"]) for item in view["items"]
                )
                mailto = kenniskring.voornemen_mailto(conn, session["id"], token) if kept else ""
                self.page(pages.kenniskring_page(self.base(session), self.xsrf(), session, view, mailto))
                return
            me = live.participant(conn, session["id"], token)
            items = live.items(conn, session["id"])
            mine = live.my_answers(conn, session["id"], token) if me else {}
        base = self.base(session)
        if me and me["submitted"]:
            self.redirect(f"{base}/bedankt", status=303)
            return
        sections, _final = pages.sections(items)
        next_page = pages.first_open_section(sections, mine) if sections else 1
        self.page(
            pages.start_page(
                base,
                self.xsrf(),
                session,
                (me or {}).get("role", ""),
                live.ROLES,
                max(next_page, 1),
                started=bool(mine),
                voting=session["phase"] == "stemmen",
            )
        )


class ScanPage(Base):
    """Shared by the theme pages and the last page: session, items and one's own answers in one read."""

    def load(self, code: str):
        with store.read() as conn:
            session = self.open_session(conn, code)
            if self.canonical(session, code):
                return None
            if session["kind"] == kenniskring.KIND:  # one page: the trainer's current activity
                self.redirect(self.base(session), status=303)
                return None
            token = self.token(session)
            me = live.participant(conn, session["id"], token)
            items = live.items(conn, session["id"])
            mine = live.my_answers(conn, session["id"], token) if me else {}
        if me and me["submitted"]:
            self.redirect(f"{self.base(session)}/bedankt", status=303)
            return None
        sections, final = pages.sections(items)
        answered, total = pages.answered_count(items, mine)
        return session, sections, final, mine, answered, total


class SectionHandler(ScanPage):
    def get(self, code: str, number: str) -> None:
        loaded = self.load(code)
        if loaded is None:
            return
        session, sections, _final, mine, answered, total = loaded
        n = int(number)
        if not 1 <= n <= len(sections):
            raise Refused(404)
        self.page(
            pages.section_page(self.base(session), self.xsrf(), session, sections, n, mine, answered, total)
        )


class FinishHandler(ScanPage):
    def get(self, code: str) -> None:
        loaded = self.load(code)
        if loaded is None:
            return
        session, sections, final, mine, answered, total = loaded
        self.page(
            pages.finish_page(
                self.base(session), self.xsrf(), session, sections, final, mine, answered, total
            )
        )


class ThanksHandler(Base):
    def get(self, code: str) -> None:
        with store.read() as conn:
            session = self.open_session(conn, code)
            if self.canonical(session, code):
                return
            me = live.participant(conn, session["id"], self.token(session))
        if not (me and me["submitted"]):
            self.redirect(self.base(session), status=303)
            return
        self.page(pages.thanks_page(self.base(session), session, voting=session["phase"] == "stemmen"))


class Writing(Base):
    """A POST: one short write transaction; the participant row is made on the first answer."""

    def participant(self, conn, session: dict) -> dict:
        me = live.participant(conn, session["id"], self.token(session), create=True)
        return me

    def refuse_live_error(self, error: live.LiveError) -> Refused:
        return Refused(400, t("deelnemen.error_400_title"), t(error.message_key, **error.values))


class AnswerHandler(Writing):
    """POST `/s/<CODE>/antwoord`: item, waarde (a button) or tekst, pagina → saved, back to the next one.
    The address of the per-statement forms before the theme page became one form (`PageHandler`); kept
    so a phone with such a page still open loses nothing."""

    def post(self, code: str) -> None:
        item_id = self.int_argument("item")
        waarde = self.get_body_argument("waarde", "")
        tekst = self.get_body_argument("tekst", "")
        page = self.get_body_argument("pagina", "")
        if not PAGE_PATTERN.match(page):
            raise Refused(400)
        try:
            with store.write() as conn:
                session = self.open_session(conn, code)
                if self.participant(conn, session)["submitted"]:
                    raise Refused(409)
                live.save_answer(conn, session["id"], self.token(session), item_id, waarde, tekst)
        except live.LiveError as error:
            raise self.refuse_live_error(error) from None
        target = "klaar" if page == "klaar" else f"t/{page}"
        self.redirect(f"{self.base(session)}/{target}#na-{item_id}", status=303)


class PageHandler(Writing):
    """POST `/s/<CODE>/pagina` (one-form): a page's one form — a tapped answer button (`antwoord` =
    "<item id>:<option>"), the text fields (`tekst-<item id>`: the theme's comment, the open questions)
    and the way on (`ga`: save and stay, another page, hand in) — saved in one transaction, so text typed
    before a tap is never lost. After an answer back to the page at the next statement (`#na-<item>`).
    Only texts that changed are written; empty fields of someone who has not answered make no participant.
    (`/tekst`, the address of the text form before, leads here too.)"""

    def post(self, code: str) -> None:
        page = self.get_body_argument("pagina", "")
        go = self.get_body_argument("ga", "opslaan")
        tapped = self.get_body_argument("antwoord", "")
        chosen = ANSWER_BUTTON.match(tapped)
        if not PAGE_PATTERN.match(page) or not GO_PATTERN.match(go) or (tapped and not chosen):
            raise Refused(400)
        texts = self.text_fields()
        try:
            with store.write() as conn:
                session = self.open_session(conn, code)
                token = self.token(session)
                create = bool(chosen) or go == "inleveren" or any(text.strip() for text in texts.values())
                me = live.participant(conn, session["id"], token, create=create)
                if me is not None:
                    if me["submitted"]:
                        raise Refused(409)
                    if chosen:
                        item_id, waarde = int(chosen.group(1)), chosen.group(2)
                        live.save_answer(conn, session["id"], token, item_id, waarde)
                    self.save_texts(conn, session["id"], token, texts)
                    if go == "inleveren" and not chosen:
                        live.submit(conn, session["id"], token)
        except live.LiveError as error:
            raise self.refuse_live_error(error) from None
        base = self.base(session)
        here = f"{base}/klaar" if page == "klaar" else f"{base}/t/{page}"
        if chosen:
            self.redirect(f"{here}#na-{chosen.group(1)}", status=303)
            return
        targets = {"opslaan": here + (f"#s-{min(texts)}" if texts else ""), "inleveren": f"{base}/bedankt"}
        targets["start"] = base
        self.redirect(targets.get(go, f"{base}/{go}"), status=303)

    @staticmethod
    def save_texts(conn, session_id: int, token: str, texts: dict[int, str]) -> None:
        """The typed texts that differ from what is stored (an untouched empty comment writes nothing)."""
        if not texts:
            return
        mine = live.my_answers(conn, session_id, token)
        for item_id, text in sorted(texts.items()):
            if text.strip() != mine.get(item_id, {}).get("tekst", ""):
                live.save_answer(conn, session_id, token, item_id, "", text)


class RoleHandler(Writing):
    def post(self, code: str) -> None:
        role = self.get_body_argument("rol", "")
        if role not in live.ROLES:
            raise Refused(400)
        try:
            with store.write() as conn:
                session = self.open_session(conn, code)
                if self.participant(conn, session)["submitted"]:
                    raise Refused(409)
                live.set_role(conn, session["id"], self.token(session), role)
        except live.LiveError as error:
            raise self.refuse_live_error(error) from None
        self.redirect(self.base(session), status=303)


class SubmitHandler(Writing):
    """POST `/s/<CODE>/inleveren`: once; a second time is refused (409) and changes nothing."""

    def post(self, code: str) -> None:
        try:
            with store.write() as conn:
                session = self.open_session(conn, code)
                if self.participant(conn, session)["submitted"]:
                    raise Refused(409)
                live.submit(conn, session["id"], self.token(session))
        except live.LiveError as error:
            raise self.refuse_live_error(error) from None
        self.redirect(f"{self.base(session)}/bedankt", status=303)


class VoteHandler(Writing):
    """`/s/<CODE>/stemmen`: the marked items with a toggle each, at most VOTES_PER_PARTICIPANT dots."""

    def get(self, code: str) -> None:
        with store.read() as conn:
            session = self.open_session(conn, code)
            if self.canonical(session, code):
                return
            voting = session["phase"] == "stemmen"
            token = self.token(session)
            marked = (
                [item for item in live.items(conn, session["id"]) if item.get("marked")] if voting else []
            )
            mine = live.my_votes(conn, session["id"], token) if voting else set()
        base = self.base(session)
        if not voting:
            self.page(pages.vote_closed_page(base, session))
            return
        self.page(pages.vote_page(base, self.xsrf(), session, marked, mine, live.VOTES_PER_PARTICIPANT))

    def post(self, code: str) -> None:
        item_id = self.int_argument("item")
        on = self.get_body_argument("aan", "")
        if on not in ("0", "1"):
            raise Refused(400)
        try:
            with store.write() as conn:
                session = self.open_session(conn, code)
                if session["phase"] != "stemmen":
                    raise Refused(409, t("deelnemen.vote_heading"), t("deelnemen.vote_not_open"))
                self.participant(conn, session)
                live.set_vote(conn, session["id"], self.token(session), item_id, on == "1")
        except live.LiveError as error:
            raise self.refuse_live_error(error) from None
        self.redirect(f"{self.base(session)}/stemmen#s-{item_id}", status=303)


class KenniskringAnswerHandler(Writing):
    """POST `/s/<CODE>/kk`: the kenniskring activity's ONE form (one-form) — a tapped choice (`antwoord` =
    "<item>:<option>") or "Opslaan" (`bewaar` = item), with every typed reason and text (`tekst-<item>`)
    saved in the same transaction, so typing on one statement and tapping another loses nothing; only
    changed texts are written (empty fields of a new phone store nothing). An activity the trainer has
    left, or closed answering, gets 409 and a way back."""

    def post(self, code: str) -> None:
        texts = self.text_fields()
        tapped = self.get_body_argument("antwoord", "")
        chosen = ANSWER_BUTTON.match(tapped)
        if tapped and not chosen:
            raise Refused(400)
        if chosen:
            item_id = int(chosen.group(1))
        elif self.get_body_argument("bewaar", ""):
            item_id = self.int_argument("bewaar")
        elif texts:
            item_id = min(texts)
        else:
            raise Refused(400)
        try:
            with store.write() as conn:
                session = self.open_session(conn, code)
                if session["kind"] != kenniskring.KIND:
                    raise Refused(400)
                token = self.token(session)
                mine = live.my_answers(conn, session["id"], token)
                if chosen:
                    reason = texts.pop(item_id, mine.get(item_id, {}).get("tekst", ""))
                    kenniskring.save_answer(conn, session["id"], token, item_id, chosen.group(2), reason)
                for text_id, text in sorted(texts.items()):
                    stored = mine.get(text_id, {})
                    if text.strip() != stored.get("tekst", ""):  # a reason keeps its choice
                        kenniskring.save_answer(
                            conn, session["id"], token, text_id, stored.get("waarde", ""), text
                        )
        except live.LiveError as error:
            if error.message_key in ("kenniskring.not_current", "live.answering_closed"):
                text = t(error.message_key, **error.values)
                link = (f"/s/{live.normalize_code(code)}", t("deelnemen.refresh"))
                raise Refused(409, t("deelnemen.kk_moved_title"), text, link) from None
            raise self.refuse_live_error(error) from None
        self.redirect(f"{self.base(session)}#s-{item_id}", status=303)


class VoornemenHandler(Base):
    """GET `/s/<CODE>/voornemen.txt`: this phone's intention as a text file to keep (kenniskring)."""

    def get(self, code: str) -> None:
        with store.read() as conn:
            session = self.open_session(conn, code)
            token = self.get_cookie(COOKIE) or ""
            text = (
                kenniskring.voornemen_text(conn, session["id"], token) if TOKEN_PATTERN.match(token) else ""
            )
        if not text:
            raise Refused(404)
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.set_header("Content-Disposition", 'attachment; filename="voornemen.txt"')
        self.finish(text)


class FollowScript(Base):
    """`/volg.js`: the few lines that let a kenniskring phone follow the trainer (no other script)."""

    def get(self) -> None:
        self.set_header("Content-Type", "text/javascript; charset=UTF-8")
        self.set_header("Cache-Control", "public, max-age=3600")
        self.finish(pages.FOLLOW_SCRIPT)


class StatusHandler(Base):
    """`/s/<CODE>/status.json`: what a phone polls to follow the trainer (issue 18)."""

    def get(self, code: str) -> None:
        with store.read() as conn:
            session = self.open_session(conn, code)
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.finish(
            json.dumps(
                {
                    "live_version": session["live_version"],
                    "phase": session["phase"],
                    "current_position": session.get("current_position", 0),
                    "answering_open": bool(session.get("answering_open", True)),
                }
            )
        )


class NotFound(Base):
    def prepare(self) -> None:
        raise Refused(404)


def make_app() -> tornado.web.Application:
    return tornado.web.Application(
        [
            (r"/", CodeHandler),
            (rf"/s/{CODE}", JoinHandler),
            (rf"/s/{CODE}/t/([0-9]{{1,3}})", SectionHandler),
            (rf"/s/{CODE}/klaar", FinishHandler),
            (rf"/s/{CODE}/bedankt", ThanksHandler),
            (rf"/s/{CODE}/antwoord", AnswerHandler),
            (rf"/s/{CODE}/pagina", PageHandler),
            (rf"/s/{CODE}/tekst", PageHandler),
            (rf"/s/{CODE}/rol", RoleHandler),
            (rf"/s/{CODE}/inleveren", SubmitHandler),
            (rf"/s/{CODE}/stemmen", VoteHandler),
            (rf"/s/{CODE}/stem", VoteHandler),
            (rf"/s/{CODE}/status.json", StatusHandler),
            (rf"/s/{CODE}/kk", KenniskringAnswerHandler),
            (rf"/s/{CODE}/voornemen.txt", VoornemenHandler),
            (r"/volg.js", FollowScript),
        ],
        xsrf_cookies=True,
        xsrf_cookie_kwargs={"httponly": True, "samesite": "Lax"},
        log_function=log_request,
        default_handler_class=NotFound,
        compress_response=True,
    )


def make_server(app: tornado.web.Application | None = None) -> tornado.httpserver.HTTPServer:
    return tornado.httpserver.HTTPServer(
        app or make_app(),
        max_body_size=MAX_SERVER_BODY_BYTES,
        body_timeout=30,
        idle_connection_timeout=120,
    )


def quiet_logging() -> None:
    """INFO for Stip's own lines; Tornado's access log (which would carry codes and secrets) stays off."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
    logging.getLogger("tornado.general").setLevel(logging.WARNING)


def join_address(host: str, port: int) -> str:
    """The address phones open: this computer's LAN address for 0.0.0.0, else `host` itself."""
    from stip.serve import lan_address

    name = lan_address(host)
    if ":" in name:
        name = f"[{name}]"
    return f"http://{name}:{port}"


def _announce(host: str, port: int) -> str:
    url = join_address(host, port)
    key = "deelnemen.cli_started" if host in ("127.0.0.1", "localhost") else "deelnemen.cli_lan"
    return t(key, url=url)


def run(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> int:
    """Serve until stopped (the database is migrated by the caller). Exit code 1 when the port is busy."""
    quiet_logging()

    async def main() -> int:
        server = make_server()
        try:
            server.listen(port, host)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                print(t("deelnemen.cli_port_busy", port=port), file=sys.stderr, flush=True)
                return 1
            raise
        print(_announce(host, port), flush=True)
        await asyncio.Event().wait()
        return 0

    try:
        return asyncio.run(main())
    except KeyboardInterrupt:
        return 0


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the child gets SIGTERM when `stip serve` dies, even by SIGKILL (PR_SET_PDEATHSIG)."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def _answers(host: str, port: int) -> bool:
    conn = http.client.HTTPConnection(host, port, timeout=2)
    try:
        conn.request("GET", "/")
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def _port_free(host: str, port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Tornado binds
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def start_beside(host: str = LAN_HOST, port: int = DEFAULT_PORT) -> subprocess.Popen | None:
    """`stip serve --deelnemers`: the participant app as a child process (`python -m stip deelnemen`),
    stopped with the parent; once it answers, `STIP_DEELNEMERS_URL` is set in this process's environment
    (before Voilà starts any kernel, so the Teamscan workbook shows the LAN address and its QR) and the
    join address is printed. None (and a Dutch message) when it did not start, e.g. a busy port."""
    if not _port_free(host, port):  # else the probe below would find whatever holds the port
        print(t("deelnemen.cli_port_busy", port=port), file=sys.stderr, flush=True)
        return None
    command = [sys.executable, "-m", "stip", "deelnemen", "--host", host, "--port", str(port)]
    child = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,  # the parent prints the address; errors still reach the terminal
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )
    probe = "127.0.0.1" if host in (LAN_HOST, "::", "", "localhost") else host
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not _answers(probe, port):
        if child.poll() is not None or time.monotonic() > deadline:
            _stop(child)
            print(t("deelnemen.cli_child_failed"), file=sys.stderr, flush=True)
            return None
        time.sleep(0.2)
    atexit.register(_stop, child)
    url = join_address(host, port)
    os.environ["STIP_DEELNEMERS_URL"] = url
    print(t("deelnemen.cli_lan", url=url), flush=True)
    return child


def _stop(child: subprocess.Popen) -> None:
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(timeout=10)
