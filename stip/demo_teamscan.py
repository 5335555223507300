"""The Voorbeeldschool's study days (issue 17): a fictional team of 14 that filled in Stip's standard team
scan twice, a year apart, chose priorities and wrote an ouderplan after each — so the results, the
comparison of rounds and the plan can be tried at once (`python -m stip demo`).

Data in `voorbeelden/teamscan.yaml` (rounds, comments, marked statements with their dot-votes, the plan)
and `voorbeelden/teamscan_antwoorden.csv` (one answer per row). Sessions are started with
`live.start_session` (the standard items, one executemany) and marked `settings["demo"]`, so
`remove` finds them again; participants, answers and votes go in with one executemany per table; the
plan through the ouderplan service. Both sessions are closed: the study days are over.
"""

from __future__ import annotations

import csv
import dataclasses
import secrets
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from stip import live, ouderplan, timefmt
from stip.schools import Actor, ensure_school_year
from stip.store import tables as T
from stip.store.bulk import executemany, new_ids

__all__ = ["load", "remove"]

FILE = "teamscan.yaml"
ANSWERS = "teamscan_antwoorden.csv"


def _votes(marked: dict[str, int], participants: list[int]) -> list[tuple[int, str]]:
    """(participant id, item key) for every dot: each key gets its count from different participants,
    nobody more than `live.VOTES_PER_PARTICIPANT`."""
    used: dict[int, int] = defaultdict(int)
    result, turn = [], 0
    for key, count in marked.items():
        given = 0
        for _ in range(len(participants)):
            if given == count:
                break
            pid = participants[turn % len(participants)]
            turn += 1
            if used[pid] < live.VOTES_PER_PARTICIPANT:
                used[pid] += 1
                given += 1
                result.append((pid, key))
    return result


def load(conn: Connection, actor: Actor, folder: Path) -> dict[str, int]:
    """Load the study days and their plans into the actor's school; nothing when the files are absent.
    Returns counts (sessions, participants, answers, priorities, activities)."""
    import yaml

    if not (folder / FILE).exists() or not (folder / ANSWERS).exists():
        return {}
    data = yaml.safe_load((folder / FILE).read_text(encoding="utf-8"))
    with (folder / ANSWERS).open(encoding="utf-8", newline="") as handle:
        answers = list(csv.DictReader(handle))
    counts = defaultdict(int)
    sessions: dict[int, dict[str, Any]] = {}
    previous = None
    for number, ronde in enumerate(data["rondes"], start=1):
        held_on = timefmt.today() - timedelta(days=int(ronde["dagen_geleden"]))
        session = live.start_session(
            conn,
            actor,
            "teamscan",
            ronde["naam"],
            held_on=held_on,
            previous_id=previous,
            settings={"demo": True},
        )
        session_id = previous = session["id"]
        sessions[number] = {"id": session_id, "held_on": held_on}
        item_ids = {item["key"]: item["id"] for item in live.items(conn, session_id, enabled_only=False)}
        rows = [row for row in answers if int(row["ronde"]) == number]
        roles = {int(row["deelnemer"]): row["rol"] for row in rows}
        people = sorted(roles)
        ids = dict(zip(people, new_ids(conn, T.participant, len(people)), strict=True))
        executemany(
            conn,
            insert(T.participant).values(session_id=session_id, submitted=True),
            [(ids[p], secrets.token_urlsafe(16), roles[p]) for p in people],
            ("id", "token", "role"),
        )
        values = [(ids[int(row["deelnemer"])], item_ids[row["sleutel"]], row["waarde"], "") for row in rows]
        for key, texts in (ronde.get("opmerkingen") or {}).items():
            for index, tekst in enumerate(texts):  # each text from another participant
                values.append((ids[people[index * 5 % len(people)]], item_ids[key], "", str(tekst)))
        executemany(
            conn,
            insert(T.answer).values(session_id=session_id),
            values,
            ("participant_id", "item_id", "waarde", "tekst"),
        )
        marked = {str(key): int(count) for key, count in (ronde.get("gemarkeerd") or {}).items()}
        executemany(
            conn,
            insert(T.priority_vote).values(session_id=session_id),
            [(pid, item_ids[key]) for pid, key in _votes(marked, list(ids.values()))],
            ("participant_id", "item_id"),
        )
        live.set_marked(conn, actor, session_id, [item_ids[key] for key in marked])
        live.close_session(conn, session_id)
        counts["sessions"] += 1
        counts["participants"] += len(people)
        counts["answers"] += len(values)
    for plan in data.get("ouderplan") or []:
        session = sessions[int(plan["ronde"])]
        year = ensure_school_year(conn, actor.school_id, session["held_on"])
        in_year = dataclasses.replace(actor, school_year_id=year)
        for priority in ouderplan.priorities_from_session(conn, in_year, session["id"]):
            counts["priorities"] += 1
            for activity in (plan.get("prioriteiten") or {}).get(priority["item_key"]) or []:
                ouderplan.add_activity(conn, in_year, priority["id"], activity)
                counts["activities"] += 1
    return dict(counts)


def remove(conn: Connection, actor: Actor) -> int:
    """Remove the demo's study days (with their answers) and the plan's priorities that came from them;
    returns the number of sessions removed. What the school typed itself stays."""
    S = T.live_session
    rows = conn.execute(select(S.c.id, S.c.settings).where(S.c.school_id == actor.school_id)).all()
    ids = [row.id for row in rows if (row.settings or {}).get("demo")]
    if not ids:
        return 0
    P = T.ouderplan_priority
    conn.execute(delete(P).where(P.c.school_id == actor.school_id, P.c.session_id.in_(ids)))
    return conn.execute(delete(S).where(S.c.id.in_(ids))).rowcount
