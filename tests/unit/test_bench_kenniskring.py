"""Smoke run of bench/kenniskring.py: three phones follow the trainer through the five activities against a
real `stip deelnemen`, without Voilà (--geen-projector: the bench steps through stip.kenniskring itself).
Quick (a few seconds); checks that every answer sent is stored and no request failed — never a duration."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_three_phones_follow_the_trainer(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("STIP_DATA", "STIP_DATABASE_URL")}
    run = subprocess.run(
        [
            sys.executable,
            "kenniskring.py",
            "--deelnemers=3",
            "--poll=0.3",
            "--denktijd=0.02",
            "--binnenkomst=0.3",
            "--pauze=0.2",
            "--geen-projector",
        ],
        cwd=BENCH,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Mislukte verzoeken: 0 []" in run.stdout
    stored, sent = map(int, re.search(r"opgeslagen / verstuurd: (\d+) / (\d+)", run.stdout).groups())
    assert stored == sent >= 3 * 5  # at least one answer per phone and activity
    assert "(n=12)" in run.stdout  # 3 phones saw each of the 4 steps
