"""`python -m stip sessie start|resultaten|sluit`: live sessions from the command line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from stip import cli, live, store


def start(capsys, *args):
    assert cli.main(["sessie", "start", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_start_prints_code_and_join_url_as_json(capsys, stip_data, monkeypatch):
    monkeypatch.delenv("STIP_DEELNEMERS_URL", raising=False)
    started = start(capsys, "teamscan", "--naam", "Studiedag december", "--datum", "2026-12-03")
    assert started["kind"] == "teamscan" and started["naam"] == "Studiedag december"
    assert started["datum"] == "2026-12-03" and len(started["code"]) == 6
    with store.read() as conn:
        session = live.session_by_code(conn, started["code"])
    assert started["url"] == "http://127.0.0.1:8867" + live.join_path(session)
    monkeypatch.setenv("STIP_DEELNEMERS_URL", "http://192.168.1.20:8867/")
    other = start(capsys, "kenniskring", "--naam", "Kring")
    assert other["url"].startswith("http://192.168.1.20:8867/s/") and other["datum"] is None


def test_start_in_words(capsys, stip_data):
    assert cli.main(["sessie", "start", "teamscan", "--naam", "Studiedag"]) == 0
    out = capsys.readouterr().out
    assert "Code: " in out and "Deelnemers gaan naar: http" in out


@pytest.mark.parametrize(
    "args",
    [
        ["sessie"],
        ["sessie", "start", "teamscan"],  # --naam missing
        ["sessie", "start", "quiz", "--naam", "x"],
        ["sessie", "start", "teamscan", "--naam", "x", "--datum", "3 december"],
        ["sessie", "resultaten"],
        ["sessie", "sluit"],
        ["sessie", "opruimen", "ABC"],
    ],
)
def test_wrong_usage_exits_2_in_dutch(args, capsys, stip_data):
    with pytest.raises(SystemExit) as stopped:
        cli.main(args)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "gebruik:" in err and "fout:" in err


def test_unknown_code_exits_1_with_a_dutch_message(capsys, stip_data):
    assert cli.main(["sessie", "resultaten", "zzz-999", "--json"]) == 1
    assert "Er is geen sessie met code ZZZ999" in capsys.readouterr().err
    assert cli.main(["sessie", "sluit", "QQQQQQ"]) == 1
    assert "Er is geen sessie met code QQQQQQ" in capsys.readouterr().err


def test_results_as_json_have_every_option_and_close_stops_the_code(capsys, stip_data):
    started = start(capsys, "teamscan", "--naam", "Studiedag")
    with store.read() as conn:
        session = live.session_by_code(conn, started["code"])
        items = live.items(conn, session["id"])
    first = items[0]
    for n, value in enumerate(["1", "4", "weet_niet"]):
        with store.write() as conn:
            live.participant(conn, session["id"], f"t{n}", create=True)
            live.save_answer(conn, session["id"], f"t{n}", first["id"], value)
    code = started["code"].lower()
    assert cli.main(["sessie", "resultaten", code, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["deelnemers"] == 3 and shown["status"] == "open"
    assert [item["id"] for item in shown["items"]] == [item["id"] for item in items]
    assert shown["items"][0]["tekst"] == first["tekst"]
    assert shown["items"][0]["antwoorden"] == {"1": 1, "2": 0, "3": 0, "4": 1, "weet_niet": 1}
    assert all(set(i["antwoorden"]) == set(live.SCALE) for i in shown["items"] if i["kind"] == "schaal")

    assert cli.main(["sessie", "resultaten", code]) == 0
    out = capsys.readouterr().out
    assert "3 deelnemers" in out and "weet ik niet: 1" in out

    assert cli.main(["sessie", "sluit", code]) == 0
    assert "gesloten" in capsys.readouterr().out
    with store.write() as conn:
        with pytest.raises(live.LiveError):
            live.open_session_by_code(conn, code)
    assert cli.main(["sessie", "sluit", code]) == 0
    assert "al gesloten" in capsys.readouterr().out
    assert cli.main(["sessie", "resultaten", code, "--json"]) == 0  # results stay readable
    assert json.loads(capsys.readouterr().out)["status"] == "gesloten"


def test_results_of_a_small_group_stay_hidden(capsys, stip_data):
    started = start(capsys, "teamscan", "--naam", "Klein")
    with store.write() as conn:
        session = live.session_by_code(conn, started["code"])
        item = live.items(conn, session["id"])[0]
        live.participant(conn, session["id"], "t1", create=True)
        live.save_answer(conn, session["id"], "t1", item["id"], "2")
    assert cli.main(["sessie", "resultaten", started["code"]]) == 0
    out = capsys.readouterr().out
    assert "1 deelnemer met antwoorden" in out and "vanaf 3 deelnemers" in out
    assert cli.main(["sessie", "resultaten", started["code"], "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["verborgen"] and not any(any(i["antwoorden"].values()) for i in shown["items"])


def test_as_a_real_process(stip_data):
    out = subprocess.run(
        [sys.executable, "-m", "stip", "sessie", "start", "teamscan", "--naam", "Proces", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    code = json.loads(out.stdout)["code"]
    shown = subprocess.run(
        [sys.executable, "-m", "stip", "sessie", "resultaten", code, "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0 and json.loads(shown.stdout)["deelnemers"] == 0
