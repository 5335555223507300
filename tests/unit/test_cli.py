"""`python -m stip`: Dutch usage, exit codes, status and export as JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from stip import cli


def run(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "stip", *args], capture_output=True, text=True, env=env, timeout=120
    )


@pytest.mark.parametrize("args", [[], ["onbekend"], ["export"], ["serve", "--port", "acht"]])
def test_wrong_usage_exits_2_with_dutch_usage(args, capsys, stip_data):
    with pytest.raises(SystemExit) as stopped:
        cli.main(args)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "gebruik:" in err and "fout:" in err


def test_help_is_dutch(capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["--help"])
    assert stopped.value.code == 0
    out = capsys.readouterr().out
    assert "opdrachten" in out and "Voorbeeldschool" in out


def test_serve_refuses_a_short_token_on_the_lan(capsys, stip_data, monkeypatch):
    monkeypatch.setenv("STIP_TOKEN", "x" * 19)
    assert cli.main(["serve", "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert "STIP_TOKEN is te kort" in err and "20" in err


def test_token_rules():
    from stip import serve

    assert serve.server_token("127.0.0.1", None) == (None, False)
    assert serve.server_token("localhost", "kort") == ("kort", False)  # on this computer optional
    long_enough = "a" * 20
    assert serve.server_token("0.0.0.0", long_enough) == (long_enough, False)
    with pytest.raises(serve.TokenTooShort):
        serve.server_token("192.168.1.5", "a" * 19)
    first, generated = serve.server_token("0.0.0.0", None)
    second, _ = serve.server_token("0.0.0.0", None)
    assert generated and len(first) >= serve.MIN_TOKEN_LENGTH and first != second
    assert serve.start_url("192.168.1.5", 8866, first) == f"http://192.168.1.5:8866/?token={first}"
    assert serve.start_url("127.0.0.1", 8866, None) == "http://localhost:8866/"


def test_demo_status_and_export_in_a_fresh_data_dir(tmp_path):
    import os

    env = {**os.environ, "STIP_DATA": str(tmp_path / "d"), "STIP_USER": "cli"}
    empty = run("status", "--json", env=env)
    assert empty.returncode == 0, empty.stderr
    assert json.loads(empty.stdout)["students"] == 0

    loaded = run("demo", env=env)
    assert loaded.returncode == 0, loaded.stderr
    assert "51 leerlingen" in loaded.stdout
    again = run("demo", env=env)
    assert again.returncode == 1 and "lege school" in again.stderr

    counts = json.loads(run("status", "--json", env=env).stdout)
    assert counts["students"] == 51 and counts["guardians"] > 51 and counts["klassen"] == 2
    exported = json.loads(run("export", "--json", env=env).stdout)
    assert len(exported["students"]) == 51
    assert {"leerlingnummer", "roepnaam", "achternaam"} <= set(exported["students"][0])
