"""Live sessions for a room of phones: the team scan of a study day (issue 17) and the kenniskring (issue 18).

One module for both, shared by the facilitator's workbook, the projector, the participant app
(`stip/deelnemen.py`) and the command line (`python -m stip sessie …`); the contract is
/tmp/tools/LIVE_CONTRACT.md, the rules DESIGN §5 and §8:

- Participants are anonymous: a `participant` row holds the random token of the phone's cookie, an
  optional role and whether they submitted — no name, no IP, no timestamp; neither does an `answer`.
- An answer is an upsert on (participant, item): a retry after a screen lock changes nothing. After
  `submit` nothing changes any more; a closed session refuses everything and its code stops working.
- Every participant write is one short `store.write()` of three statements: one SELECT that checks
  session, participant and item together, the write, and `live_version + 1` in the same transaction,
  so the projector, polling `live_version()` (one SELECT on the primary key) through `store.read()`, never
  sees an answer before its version.
- Results are counts; any split (overall, per role) is shown only for a group of at least `MIN_GROUP`
  participants who answered, and a role filter is refused as well when the rest of the room is 1 or 2
  people (else "everyone" minus "leraren" would show those few). "Weet ik niet" is counted apart and
  stays out of the means and the spread. `results()` sends a fixed number of statements, however many
  participants there are.

This module touches only the session tables (`live_session`, `session_item`, `participant`, `answer`,
`priority_vote`): the participant app imports it, and a test checks the SQL of a whole participant journey.
"""

from __future__ import annotations

import math
import secrets
from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Connection,
    and_,
    case,
    delete,
    exists,
    false,
    func,
    insert,
    literal_column,
    or_,
    select,
    true,
    update,
)

from stip.errors import UserError
from stip.i18n import t
from stip.store.tables import answer as A
from stip.store.tables import live_session as S
from stip.store.tables import participant as P
from stip.store.tables import priority_vote as V
from stip.store.tables import session_item as I
from stip.validation import check_text, check_texts

if TYPE_CHECKING:  # the participant app has no actor; only the facilitator's services take one
    from stip.schools import Actor

__all__ = [
    "KINDS",
    "SCALE",
    "MIN_GROUP",
    "VOTES_PER_PARTICIPANT",
    "ROLES",
    "OTHER_ROLES",
    "role_counts",
    "PHASES",
    "LiveError",
    "start_session",
    "get_session",
    "session_by_code",
    "open_session_by_code",
    "sessions",
    "join_path",
    "add_item",
    "set_item_enabled",
    "set_marked",
    "set_phase",
    "close_session",
    "live_version",
    "items",
    "participant",
    "save_answer",
    "set_role",
    "submit",
    "my_answers",
    "set_vote",
    "my_votes",
    "votes",
    "results",
    "compare_rounds",
    "shown_change",
    "scale_label",
    "role_label",
    "normalize_code",
]

KINDS = ("teamscan", "kenniskring")
SCALE = ("1", "2", "3", "4", "weet_niet")
NUMERIC = frozenset(("1", "2", "3", "4"))
WEET_NIET = "weet_niet"
MIN_GROUP = 3
VOTES_PER_PARTICIPANT = 3
MAX_MARKED = 5
ROLES = ("leraar", "mentor", "oop", "directie", "zorg")
OTHER_ROLES = "andere"  # small-roles: the roles of fewer than MIN_GROUP people, counted together
PHASES = ("invullen", "stemmen")
OPEN, CLOSED = "open", "gesloten"
TOP = 5  # items listed under "verdeeld" and "laagst"

# Join codes: six characters without look-alikes (no 0/O, 1/I/L, no 5/S, 2/Z, 8/B): easy to read from a
# projector at the back of the room and to type on a phone. 23 ** 6 ≈ 148 million codes.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY3479"
CODE_LENGTH = 6

SCALE_LABELS = {
    "1": "live.scale.1",
    "2": "live.scale.2",
    "3": "live.scale.3",
    "4": "live.scale.4",
    "weet_niet": "live.scale.weet_niet",
}
ROLE_LABELS = {
    "leraar": "live.role.leraar",
    "mentor": "live.role.mentor",
    "oop": "live.role.oop",
    "directie": "live.role.directie",
    "zorg": "live.role.zorg",
    OTHER_ROLES: "live.role.andere",
    "": "live.role.geen",
}


class LiveError(UserError):
    """A refusal of a live-session action, with a Dutch catalog text (stip/i18n/nl/live.json)."""


def scale_label(value: str) -> str:
    """The Dutch label of a scale value ("1" → "helemaal niet mee eens", "weet_niet" → "weet ik niet")."""
    key = SCALE_LABELS.get(value)
    return t(key) if key else value


def role_label(role: str) -> str:
    """The Dutch name of a role ("oop" → "onderwijsondersteunend personeel"); "" is "geen rol gekozen"."""
    key = ROLE_LABELS.get(role)
    return t(key) if key else role


# ---------------------------------------------------------------------------------------------- codes


def normalize_code(code: str) -> str:
    """A typed code as stored: capitals, without spaces or dashes (" vk3-ma7 " → "VK3MA7")."""
    return "".join(ch for ch in (code or "").upper() if ch not in " -_\t.")


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _unused_code(conn: Connection) -> str:
    for _ in range(20):
        code = _new_code()
        if conn.execute(select(S.c.id).where(S.c.code == code)).first() is None:
            return code
    raise RuntimeError("no free join code after 20 tries")  # 148 million codes: not in this life


# ---------------------------------------------------------------------------------------------- sessions

_SESSION_COLUMNS = (
    S.c.id,
    S.c.school_id,
    S.c.kind,
    S.c.naam,
    S.c.held_on,
    S.c.code,
    S.c.secret,
    S.c.status,
    S.c.phase,
    S.c.live_version,
    S.c.previous_id,
    S.c.settings,
    S.c.current_position,
    S.c.answering_open,
)


def _session_dict(row) -> dict[str, Any]:
    session = dict(row._mapping)
    session["answering_open"] = bool(session["answering_open"])
    session["settings"] = dict(session["settings"] or {})
    return session


def _item_dict(row) -> dict[str, Any]:
    item = dict(row._mapping)
    item["options"] = list(item["options"] or [])
    for flag in ("enabled", "marked"):
        if flag in item:
            item[flag] = bool(item[flag])
    return item


def _item_rows(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    seen = set()
    for position, item in enumerate(items):
        key = str(item["key"])
        if key in seen:
            raise ValueError(f"item key {key} twice")
        seen.add(key)
        kind = item.get("kind", "schaal")
        options = item.get("options")
        if options is None:
            options = list(SCALE) if kind == "schaal" else []
        rows.append(
            {
                "key": key,
                "position": position,
                "kind": kind,
                "theme": item.get("theme", ""),
                "tekst": item["tekst"],
                "options": list(options),
                "source": item.get("source", ""),
                "enabled": bool(item.get("enabled", True)),
                "marked": False,
            }
        )
    return rows


def start_session(
    conn: Connection,
    actor: Actor,
    kind: str,
    naam: str,
    held_on: date | None = None,
    *,
    items: list[dict[str, Any]] | None = None,
    previous_id: int | None = None,
    settings: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A new open session with a fresh join code and secret; its items copied in (one executemany).

    `items` None takes Stip's standard content: the team scan for "teamscan", none for "kenniskring"
    (its programme is added by the kenniskring module). `previous_id` links an earlier round of the scan
    (or the session a terugkomsessie returns to), of the same school.
    """
    if kind not in KINDS:
        raise LiveError("live.unknown_kind", field="kind")
    naam = check_texts(S, {"naam": (naam or "").strip()}, error=LiveError)["naam"]
    if not naam:
        raise LiveError("live.naam_required", field="naam")
    if held_on is not None and not isinstance(held_on, date):
        raise LiveError("live.bad_date", field="held_on")
    if previous_id is not None:
        earlier = conn.execute(
            select(S.c.id).where(S.c.id == previous_id, S.c.school_id == actor.school_id)
        ).first()
        if earlier is None:
            raise LiveError("live.session_not_found", field="previous_id")
    if items is None:
        if kind == "teamscan":
            from stip import teamscan  # content: only the facilitator's side needs it

            items = teamscan.standard_items()
        else:
            items = []
    rows = _item_rows(items)
    for row in rows:
        check_texts(I, {"tekst": row["tekst"], "theme": row["theme"]}, error=LiveError)
    code = _unused_code(conn)
    session_id = conn.execute(
        insert(S).values(
            school_id=actor.school_id,
            kind=kind,
            naam=naam,
            held_on=held_on,
            code=code,
            secret=secrets.token_urlsafe(18),
            status=OPEN,
            previous_id=previous_id,
            settings=dict(settings or {}),
            author_id=actor.id,
        )
    ).inserted_primary_key[0]
    if rows:
        conn.execute(insert(I).values(session_id=session_id), rows)  # one executemany
    return get_session(conn, session_id)


def get_session(conn: Connection, session_id: int) -> dict[str, Any] | None:
    row = conn.execute(select(*_SESSION_COLUMNS).where(S.c.id == session_id)).first()
    return _session_dict(row) if row else None


def session_by_code(conn: Connection, code: str) -> dict[str, Any] | None:
    """The session with this join code, open or closed (the caller checks `status`); case-insensitive,
    spaces and dashes ignored."""
    code = normalize_code(code)
    if not code:
        return None
    row = conn.execute(select(*_SESSION_COLUMNS).where(S.c.code == code)).first()
    return _session_dict(row) if row else None


def open_session_by_code(conn: Connection, code: str) -> dict[str, Any]:
    """The OPEN session with this code, or LiveError "live.unknown_code" (also for a closed session:
    a code stops working when its session closes)."""
    session = session_by_code(conn, code)
    if session is None or session["status"] != OPEN:
        raise LiveError("live.unknown_code", field="code", code=normalize_code(code) or "?")
    return session


def sessions(conn: Connection, actor: Actor, kind: str | None = None) -> list[dict[str, Any]]:
    """The school's sessions, newest first (optionally of one kind)."""
    query = select(*_SESSION_COLUMNS).where(S.c.school_id == actor.school_id)
    if kind is not None:
        query = query.where(S.c.kind == kind)
    return [_session_dict(row) for row in conn.execute(query.order_by(S.c.id.desc()))]


def join_path(session: dict[str, Any]) -> str:
    """The join path of the QR and the link; the participant app's base URL goes in front."""
    return f"/s/{session['code']}?k={session['secret']}"


def _own_session(conn: Connection, actor: Actor, session_id: int) -> dict[str, Any]:
    session = get_session(conn, session_id)
    if session is None or session["school_id"] != actor.school_id:
        raise LiveError("live.session_not_found")
    return session


def _bump(conn: Connection, session_id: int) -> None:
    conn.execute(update(S).where(S.c.id == session_id).values(live_version=S.c.live_version + 1))


def add_item(
    conn: Connection, actor: Actor, session_id: int, tekst: str, theme: str, kind: str = "schaal"
) -> dict[str, Any]:
    """An own item of the team (key "eigen.<n>"), at the end of the session."""
    session = _own_session(conn, actor, session_id)
    if session["status"] != OPEN:
        raise LiveError("live.closed")
    values = {"tekst": (tekst or "").strip(), "theme": (theme or "").strip(), "kind": kind}
    values = check_texts(I, values, error=LiveError)
    if not values["tekst"]:
        raise LiveError("live.tekst_required", field="tekst")
    existing = conn.execute(select(I.c.key, I.c.position).where(I.c.session_id == session_id)).all()
    own = [int(key.split(".", 1)[1]) for key, _ in existing if key.startswith("eigen.") and key[6:].isdigit()]
    key = f"eigen.{max(own, default=0) + 1}"
    position = max((position for _, position in existing), default=-1) + 1
    item_id = conn.execute(
        insert(I).values(
            session_id=session_id,
            key=key,
            position=position,
            kind=kind,
            theme=values["theme"],
            tekst=values["tekst"],
            options=list(SCALE) if kind == "schaal" else [],
            source=t("live.own_item_source"),
            author_id=actor.id,
        )
    ).inserted_primary_key[0]
    _bump(conn, session_id)
    return _item_dict(conn.execute(select(*_ITEM_COLUMNS).where(I.c.id == item_id)).one())


def set_item_enabled(conn: Connection, actor: Actor, session_id: int, item_id: int, enabled: bool) -> None:
    _own_session(conn, actor, session_id)
    changed = conn.execute(
        update(I).where(I.c.id == item_id, I.c.session_id == session_id).values(enabled=bool(enabled))
    ).rowcount
    if not changed:
        raise LiveError("live.item_not_found")
    _bump(conn, session_id)


def set_marked(conn: Connection, actor: Actor, session_id: int, item_ids) -> None:
    """The items chosen for discussion and dot-voting (at most `MAX_MARKED`); every other one unmarked."""
    _own_session(conn, actor, session_id)
    ids = {int(item_id) for item_id in item_ids}
    if len(ids) > MAX_MARKED:
        raise LiveError("live.too_many_marked", limit=MAX_MARKED)
    conn.execute(
        update(I)
        .where(I.c.session_id == session_id)
        .values(marked=case((I.c.id.in_(ids), true()), else_=false()) if ids else false())
    )
    _bump(conn, session_id)


def set_phase(conn: Connection, actor: Actor, session_id: int, phase: str) -> None:
    if phase not in PHASES:
        raise LiveError("live.unknown_phase", field="phase")
    _own_session(conn, actor, session_id)
    conn.execute(update(S).where(S.c.id == session_id).values(phase=phase, live_version=S.c.live_version + 1))


def close_session(conn: Connection, session_id: int) -> None:
    """Close the session: its code stops working, nothing can be answered any more."""
    changed = conn.execute(
        update(S).where(S.c.id == session_id).values(status=CLOSED, live_version=S.c.live_version + 1)
    ).rowcount
    if not changed:
        raise LiveError("live.session_not_found")


def live_version(conn: Connection, session_id: int) -> int | None:
    """The session's change counter: one SELECT on the primary key (what the projector polls)."""
    return conn.execute(select(S.c.live_version).where(S.c.id == session_id)).scalar()


# ------------------------------------------------------------------------------------- participant side

_ITEM_COLUMNS = (
    I.c.id,
    I.c.key,
    I.c.position,
    I.c.kind,
    I.c.theme,
    I.c.tekst,
    I.c.options,
    I.c.source,
    I.c.enabled,
    I.c.marked,
)


def items(conn: Connection, session_id: int, *, enabled_only: bool = True) -> list[dict[str, Any]]:
    """The session's items in order (id, key, kind, theme, tekst, options, source, enabled, marked)."""
    query = select(*_ITEM_COLUMNS).where(I.c.session_id == session_id)
    if enabled_only:
        query = query.where(I.c.enabled == true())
    return [_item_dict(row) for row in conn.execute(query.order_by(I.c.position, I.c.id))]


def _participant_dict(row) -> dict[str, Any]:
    return {"id": row.id, "token": row.token, "role": row.role, "submitted": bool(row.submitted)}


def participant(
    conn: Connection, session_id: int, token: str, *, create: bool = False
) -> dict[str, Any] | None:
    """The participant with this cookie token in this session; `create` makes one (open session only).

    Tokens are unique over all sessions: a token of another session is None here, and `create` refuses
    it (the participant app keeps one cookie per session)."""
    token = (token or "").strip()
    if not token or len(token) > P.c.token.type.length:
        if create:
            raise LiveError("live.bad_token")
        return None
    row = conn.execute(
        select(P.c.id, P.c.session_id, P.c.token, P.c.role, P.c.submitted).where(P.c.token == token)
    ).first()
    if row is not None:
        if row.session_id != session_id:
            if create:
                raise LiveError("live.bad_token")
            return None
        return _participant_dict(row)
    if not create:
        return None
    status = conn.execute(select(S.c.status).where(S.c.id == session_id)).scalar()
    if status is None:
        raise LiveError("live.session_not_found")
    if status != OPEN:
        raise LiveError("live.closed")
    participant_id = conn.execute(insert(P).values(session_id=session_id, token=token)).inserted_primary_key[
        0
    ]
    _bump(conn, session_id)
    return {"id": participant_id, "token": token, "role": "", "submitted": False}


def _context(conn: Connection, session_id: int, token: str, item_id: int | None = None):
    """Session, participant and (optionally) item in ONE statement: the check before every write."""
    columns = [S.c.status, S.c.phase, S.c.answering_open, P.c.id.label("pid"), P.c.submitted]
    joined = S.outerjoin(P, and_(P.c.session_id == S.c.id, P.c.token == token))
    if item_id is not None:
        columns += [
            I.c.id.label("iid"),
            I.c.kind,
            I.c.options,
            I.c.enabled,
            I.c.marked,
        ]
        joined = joined.outerjoin(I, and_(I.c.session_id == S.c.id, I.c.id == item_id))
    row = conn.execute(select(*columns).select_from(joined).where(S.c.id == session_id)).first()
    if row is None:
        raise LiveError("live.session_not_found")
    if row.status != OPEN:
        raise LiveError("live.closed")
    if row.pid is None:
        raise LiveError("live.unknown_participant")
    if item_id is not None and (row.iid is None or not row.enabled):
        raise LiveError("live.item_not_found")
    return row


def _upsert(conn: Connection, table, values: dict[str, Any], keys: list[str], changes: list[str]) -> None:
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    statement = dialect_insert(table).values(**values)
    if changes:
        statement = statement.on_conflict_do_update(
            index_elements=keys, set_={name: statement.excluded[name] for name in changes}
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=keys)
    conn.execute(statement)


def save_answer(
    conn: Connection, session_id: int, token: str, item_id: int, waarde: str, tekst: str = ""
) -> None:
    """Store one answer: an upsert on (participant, item), so sending it twice is harmless.

    `waarde` is one of the item's options, or "" (an open question, a comment, or a reason without a
    choice); an empty waarde with an empty text removes the answer. Refused (LiveError, nothing stored):
    a closed session or answering closed, an unknown or submitted participant, an unknown or switched-off
    item, a value that is not an option of the item, a text too long or with control characters.
    The session's `live_version` goes up in the same transaction."""
    waarde = (waarde or "").strip()
    tekst = check_text("tekst", (tekst or "").strip(), A.c.tekst, error=LiveError)
    row = _context(conn, session_id, token, item_id)
    if row.submitted:
        raise LiveError("live.already_submitted")
    if not row.answering_open:
        raise LiveError("live.answering_closed")
    if waarde and waarde not in (row.options or []):
        raise LiveError("live.bad_value", field="waarde")
    if not waarde and not tekst:
        conn.execute(delete(A).where(A.c.participant_id == row.pid, A.c.item_id == item_id))
    else:
        _upsert(
            conn,
            A,
            {
                "session_id": session_id,
                "participant_id": row.pid,
                "item_id": item_id,
                "waarde": waarde,
                "tekst": tekst,
            },
            ["participant_id", "item_id"],
            ["waarde", "tekst"],
        )
    _bump(conn, session_id)


def set_role(conn: Connection, session_id: int, token: str, role: str) -> None:
    """The participant's role (one of ROLES, or "" for none); shown only as counts."""
    role = (role or "").strip()
    if role and role not in ROLES:
        raise LiveError("live.unknown_role", field="role")
    row = _context(conn, session_id, token)
    if row.submitted:
        raise LiveError("live.already_submitted")
    conn.execute(update(P).where(P.c.id == row.pid).values(role=role))
    _bump(conn, session_id)


def submit(conn: Connection, session_id: int, token: str) -> None:
    """Hand in: afterwards the participant's answers and role no longer change; twice is refused."""
    row = _context(conn, session_id, token)
    changed = conn.execute(
        update(P).where(P.c.id == row.pid, P.c.submitted == false()).values(submitted=True)
    ).rowcount
    if not changed:
        raise LiveError("live.already_submitted")
    _bump(conn, session_id)


def my_answers(conn: Connection, session_id: int, token: str) -> dict[int, dict[str, str]]:
    """item_id → {"waarde", "tekst"} of this participant (empty for an unknown token)."""
    rows = conn.execute(
        select(A.c.item_id, A.c.waarde, A.c.tekst)
        .select_from(A.join(P, P.c.id == A.c.participant_id))
        .where(P.c.token == token, P.c.session_id == session_id, A.c.session_id == session_id)
    )
    return {row.item_id: {"waarde": row.waarde, "tekst": row.tekst} for row in rows}


def set_vote(conn: Connection, session_id: int, token: str, item_id: int, on: bool) -> None:
    """A dot on (or off) a marked item, in phase "stemmen"; at most VOTES_PER_PARTICIPANT each."""
    row = _context(conn, session_id, token, item_id)
    if row.phase != "stemmen":
        raise LiveError("live.not_voting")
    if not row.marked:
        raise LiveError("live.not_marked")
    if on:
        mine = conn.execute(select(V.c.item_id).where(V.c.participant_id == row.pid)).scalars().all()
        if item_id in mine:
            return
        if len(mine) >= VOTES_PER_PARTICIPANT:
            raise LiveError("live.too_many_votes", limit=VOTES_PER_PARTICIPANT)
        _upsert(
            conn,
            V,
            {"session_id": session_id, "participant_id": row.pid, "item_id": item_id},
            ["participant_id", "item_id"],
            [],
        )
    else:
        conn.execute(delete(V).where(V.c.participant_id == row.pid, V.c.item_id == item_id))
    _bump(conn, session_id)


def my_votes(conn: Connection, session_id: int, token: str) -> set[int]:
    rows = conn.execute(
        select(V.c.item_id)
        .select_from(V.join(P, P.c.id == V.c.participant_id))
        .where(P.c.token == token, P.c.session_id == session_id)
    )
    return set(rows.scalars())


def votes(conn: Connection, session_id: int) -> dict[int, int]:
    """item_id → number of dots (only items that have any)."""
    rows = conn.execute(
        select(V.c.item_id, func.count()).where(V.c.session_id == session_id).group_by(V.c.item_id)
    )
    return {item_id: count for item_id, count in rows}


# ---------------------------------------------------------------------------------------------- results


def _stats(counts: dict[str, int]) -> tuple[int, float | None, float | None]:
    """(n, mean, standard deviation) of the numeric answers; "weet ik niet" stays out."""
    values = [(int(option), n) for option, n in counts.items() if option in NUMERIC and n]
    total = sum(n for _, n in values)
    if not total:
        return 0, None, None
    mean = sum(v * n for v, n in values) / total
    variance = sum(n * (v - mean) ** 2 for v, n in values) / total
    return total, round(mean, 2), round(math.sqrt(variance), 2)


def _answered():
    """Participants who gave at least one answer (or handed in): they make up a group."""
    return or_(P.c.submitted == true(), exists().where(A.c.participant_id == P.c.id))


def role_counts(counts: dict[str, int]) -> dict[str, int]:
    """The roles as the room may see them (small-roles, DESIGN §8): a role of fewer than MIN_GROUP people
    is not named ("directie 1" would tell who took part); those few are counted together under
    OTHER_ROLES, shown only when that group is itself at least MIN_GROUP, else left out like no role."""
    shown = {role: n for role, n in counts.items() if n >= MIN_GROUP}
    other = sum(n for role, n in counts.items() if n < MIN_GROUP)
    if other >= MIN_GROUP:
        shown[OTHER_ROLES] = other
    return shown


def results(conn: Connection, session_id: int, *, role: str | None = None) -> dict[str, Any]:
    """Aggregated, anonymous results of a session (see the module docstring); five statements whatever
    the number of participants. `role` filters every count to the participants of that role."""
    item_list = items(conn, session_id)
    people = conn.execute(
        select(
            P.c.role,
            func.count(),
            func.coalesce(func.sum(case((P.c.submitted == true(), 1), else_=0)), 0),
            func.coalesce(func.sum(case((_answered(), 1), else_=0)), 0),
        )
        .where(P.c.session_id == session_id)
        .group_by(P.c.role)
    ).all()
    rollen = role_counts({r: n for r, n, _, _ in people if r})
    all_answered = sum(a for _, _, _, a in people)
    chosen = [p for p in people if role is None or p[0] == role]
    deelnemers = sum(a for _, _, _, a in chosen)
    ingeleverd = sum(s for _, _, s, _ in chosen)
    rest = all_answered - deelnemers
    verborgen = deelnemers < MIN_GROUP or (role is not None and 0 < rest < MIN_GROUP)

    counted = (
        select(A.c.item_id, A.c.waarde, func.count())
        .select_from(A.join(P, P.c.id == A.c.participant_id))
        .where(A.c.session_id == session_id, A.c.waarde != "")
        .group_by(A.c.item_id, A.c.waarde)
    )
    texts = (
        select(A.c.item_id, A.c.tekst)
        .select_from(A.join(P, P.c.id == A.c.participant_id))
        .where(A.c.session_id == session_id, A.c.tekst != "")
        .order_by(A.c.item_id, A.c.tekst)  # alphabetical: the order of answering says who wrote it
    )
    if role is not None:
        counted = counted.where(P.c.role == role)
        texts = texts.where(P.c.role == role)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    open_texts: dict[int, list[str]] = defaultdict(list)
    counted_rows = conn.execute(counted).all()
    text_rows = conn.execute(texts).all()
    vote_counts = votes(conn, session_id)
    if verborgen:  # the same statements either way; nothing of a small group leaves this function
        counted_rows, text_rows, vote_counts = [], [], {}
    for item_id, waarde, n in counted_rows:
        counts[item_id][waarde] = n
    for item_id, tekst in text_rows:
        open_texts[item_id].append(tekst)

    result_items = []
    themes: dict[str, dict[str, Any]] = {}
    for item in item_list:
        options = item["options"]
        antwoorden = {option: counts[item["id"]].get(option, 0) for option in options}
        n, mean, spread = _stats(antwoorden)
        if not any(option in NUMERIC for option in options):  # eens/oneens, tips …: n without weet_niet
            n = sum(count for option, count in antwoorden.items() if option != WEET_NIET)
        result_items.append(
            {
                "id": item["id"],
                "key": item["key"],
                "tekst": item["tekst"],
                "theme": item["theme"],
                "kind": item["kind"],
                "source": item["source"],
                "marked": item["marked"],
                "antwoorden": antwoorden,
                "n": n,
                "gemiddelde": mean,
                "spreiding": spread,
                "open": list(open_texts[item["id"]]),
            }
        )
        theme = themes.setdefault(
            item["theme"],
            {
                "theme": item["theme"],
                "source": item["source"],
                "antwoorden": {option: 0 for option in SCALE},
                "gemiddelde": None,
                "opmerkingen": [],
            },
        )
        if not theme["source"]:
            theme["source"] = item["source"]
        if item["kind"] == "schaal":
            for option in SCALE:
                theme["antwoorden"][option] += antwoorden.get(option, 0)
        if item["kind"] == "opmerking":
            theme["opmerkingen"].extend(open_texts[item["id"]])
    for theme in themes.values():
        theme["gemiddelde"] = _stats(theme["antwoorden"])[1]
    scale_items = [i for i in result_items if i["gemiddelde"] is not None]
    verdeeld = sorted(
        (i for i in scale_items if i["spreiding"]), key=lambda i: (-i["spreiding"], i["gemiddelde"])
    )
    laagst = sorted(scale_items, key=lambda i: (i["gemiddelde"], -(i["spreiding"] or 0)))
    return {
        "deelnemers": deelnemers,
        "aangemeld": sum(n for _, n, _, _ in chosen),
        "ingeleverd": ingeleverd,
        "rollen": rollen,
        "rol": role,
        "verborgen": verborgen,
        "min_groep": MIN_GROUP,
        "items": result_items,
        "themes": list(themes.values()),
        "verdeeld": [i["id"] for i in verdeeld[:TOP]],
        "laagst": [i["id"] for i in laagst[:TOP]],
        "stemmen": vote_counts,
    }


def _change(means: list[float | None]) -> float | None:
    """The last round's mean minus the one before (None when either is missing), as the difference of the
    means as they are shown (one decimal): 2,3 → 2,8 is "+0,5", never "+0,4" (review: shown-change)."""
    if len(means) < 2 or means[-1] is None or means[-2] is None:
        return None
    return shown_change(means[-2], means[-1])


def shown_change(before: float, after: float) -> float:
    """`after − before` of the two means rounded as the screens and documents show them (one decimal)."""
    return round(round(after, 1) - round(before, 1), 1)


def compare_rounds(conn: Connection, session_id: int) -> dict[str, Any]:
    """This session and its earlier rounds (the `previous_id` chain), oldest first: the means per theme
    and per item (matched by key) in each round, and the change of the last round against the one before.
    A round with fewer than MIN_GROUP participants who answered has no means. Four statements."""
    chain = (
        select(S.c.id, S.c.previous_id, literal_column("0").label("depth"))
        .where(S.c.id == session_id)
        .cte("chain", recursive=True)
    )
    chain = chain.union_all(
        select(S.c.id, S.c.previous_id, (chain.c.depth + 1).label("depth")).where(
            S.c.id == chain.c.previous_id, chain.c.depth < 50
        )
    )
    rounds = conn.execute(
        select(S.c.id, S.c.naam, S.c.held_on, chain.c.depth)
        .select_from(S.join(chain, chain.c.id == S.c.id))
        .order_by(chain.c.depth.desc())
    ).all()
    if not rounds:
        raise LiveError("live.session_not_found")
    ids = [r.id for r in rounds]
    position = {session: index for index, session in enumerate(ids)}
    people = dict(
        conn.execute(
            select(P.c.session_id, func.count())
            .where(P.c.session_id.in_(ids), _answered())
            .group_by(P.c.session_id)
        ).all()
    )
    item_rows = conn.execute(
        select(I.c.id, I.c.session_id, I.c.key, I.c.tekst, I.c.theme)
        .where(I.c.session_id.in_(ids), I.c.kind == "schaal", I.c.enabled == true())
        .order_by(I.c.position, I.c.id)
    ).all()
    counts = conn.execute(
        select(A.c.session_id, A.c.item_id, A.c.waarde, func.count())
        .where(A.c.session_id.in_(ids), A.c.waarde != "")
        .group_by(A.c.session_id, A.c.item_id, A.c.waarde)
    ).all()
    shown = {session for session in ids if people.get(session, 0) >= MIN_GROUP}
    by_item: dict[int, dict[str, int]] = defaultdict(dict)
    for session, item_id, waarde, n in counts:
        if session in shown:
            by_item[item_id][waarde] = n
    last = ids[-1]
    keys: dict[str, dict[str, Any]] = {}
    theme_counts: dict[str, list[dict[str, int]]] = {}
    for row in sorted(item_rows, key=lambda r: (r.session_id != last, position[r.session_id] * -1)):
        entry = keys.setdefault(
            row.key,
            {"key": row.key, "tekst": row.tekst, "theme": row.theme, "counts": [{} for _ in ids]},
        )
        entry["counts"][position[row.session_id]] = by_item[row.id]
        per_round = theme_counts.setdefault(row.theme, [defaultdict(int) for _ in ids])
        for waarde, n in by_item[row.id].items():
            per_round[position[row.session_id]][waarde] += n
    result_items = []
    for entry in keys.values():
        means = [_stats(c)[1] if ids[index] in shown else None for index, c in enumerate(entry["counts"])]
        change = _change(means)
        result_items.append(
            {
                "key": entry["key"],
                "tekst": entry["tekst"],
                "theme": entry["theme"],
                "gemiddelden": means,
                "verschil": change,
            }
        )
    return {
        "rounds": [
            {
                "id": r.id,
                "naam": r.naam,
                "held_on": r.held_on.isoformat() if r.held_on else None,
                "deelnemers": people.get(r.id, 0),
            }
            for r in rounds
        ],
        "themes": [
            {"theme": theme, "gemiddelden": means, "verschil": _change(means)}
            for theme, means in (
                (theme, [_stats(c)[1] if ids[i] in shown else None for i, c in enumerate(per_round)])
                for theme, per_round in theme_counts.items()
            )
        ],
        "items": result_items,
    }
