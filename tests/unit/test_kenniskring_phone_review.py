"""Review of issue 18 on the phone: typed reasons on two statements survive a tap on one answer button
(volg.js sends the other statements' typed reasons along as `reden-<item id>`)."""

from __future__ import annotations

from stip import deelnemen, kenniskring, live, store
from stip.deelnemen import pages
from tests.unit.test_deelnemen import app_server, joined


def test_a_tap_on_one_statement_saves_the_reasons_typed_on_the_others(stip_data, actor):
    with store.write() as conn:
        kring = kenniskring.start(conn, actor, "Kenniskring Zuid")
    with store.read() as conn:
        first, second, third = kenniskring.current(conn, kring["id"])["items"][:3]
    code = kring["code"]
    with app_server() as base:
        phone = joined(base, kring)
        page = phone.get(f"/s/{code}").text
        assert f'data-reden="{second["id"]}"' in page  # volg.js finds the reason fields by this
        token = phone.cookies[deelnemen.COOKIE][0]
        chose = {"item": str(third["id"]), "waarde": "oneens"}
        assert phone.post(f"/s/{code}/kk", chose).status == 303
        form = {
            "item": str(first["id"]),
            "waarde": "eens",
            "tekst": "Dan luisteren ze beter",
            f"reden-{second['id']}": "Ook als het goed gaat",
            f"reden-{third['id']}": "Het hangt van het gezin af",
            f"reden-{first['id']}": "genegeerd: het eigen veld telt",
        }
        assert phone.post(f"/s/{code}/kk", form).status == 303
        with store.read() as conn:
            mine = live.my_answers(conn, kring["id"], token)
        assert mine[first["id"]] == {"waarde": "eens", "tekst": "Dan luisteren ze beter"}
        assert mine[second["id"]] == {"waarde": "", "tekst": "Ook als het goed gaat"}  # no choice yet
        assert mine[third["id"]] == {"waarde": "oneens", "tekst": "Het hangt van het gezin af"}  # kept
        again = phone.get(f"/s/{code}").text
        assert "Ook als het goed gaat</textarea>" in again


def test_the_follow_script_sends_typed_reasons_with_every_form():
    assert "reden-" in pages.FOLLOW_SCRIPT and "textarea[data-reden]" in pages.FOLLOW_SCRIPT
