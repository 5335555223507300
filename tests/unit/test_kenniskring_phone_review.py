"""Review of issue 18 on the phone: typed reasons on two statements survive a tap on one answer button.
The activity is ONE form (was: a form per statement, and volg.js sent the other reasons along as
`reden-<item id>`); no script is needed for it any more."""

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
        assert page.count("<form") == 1  # every button and reason field in the activity's one form
        form_html = page.split("<form", 1)[1].split("</form>", 1)[0]
        for item in (first, second, third):
            assert f'name="tekst-{item["id"]}"' in form_html
            assert f'name="antwoord" value="{item["id"]}:eens"' in form_html
        token = phone.cookies[deelnemen.COOKIE][0]
        empty = {f"tekst-{item['id']}": "" for item in (first, second, third)}
        assert phone.post(f"/s/{code}/kk", {**empty, "antwoord": f"{third['id']}:oneens"}).status == 303
        form = {
            "antwoord": f"{first['id']}:eens",
            f"tekst-{first['id']}": "Dan luisteren ze beter",
            f"tekst-{second['id']}": "Ook als het goed gaat",
            f"tekst-{third['id']}": "Het hangt van het gezin af",
        }
        assert phone.post(f"/s/{code}/kk", form).status == 303
        with store.read() as conn:
            mine = live.my_answers(conn, kring["id"], token)
        assert mine[first["id"]] == {"waarde": "eens", "tekst": "Dan luisteren ze beter"}
        assert mine[second["id"]] == {"waarde": "", "tekst": "Ook als het goed gaat"}  # no choice yet
        assert mine[third["id"]] == {"waarde": "oneens", "tekst": "Het hangt van het gezin af"}  # kept
        again = phone.get(f"/s/{code}").text
        assert "Ook als het goed gaat</textarea>" in again
        # "Reden opslaan" on a chosen statement saves the changed reasons and keeps every choice.
        changed = {**form, f"tekst-{third['id']}": "Soms", "bewaar": str(third["id"])}
        del changed["antwoord"]
        assert phone.post(f"/s/{code}/kk", changed).status == 303
        with store.read() as conn:
            assert live.my_answers(conn, kring["id"], token)[third["id"]] == {
                "waarde": "oneens",
                "tekst": "Soms",
            }
        for bad in ("eens", f"{first['id']}:", f"x:{first['id']}"):
            assert phone.post(f"/s/{code}/kk", {"antwoord": bad}).status == 400


def test_the_follow_script_no_longer_needs_to_send_reasons_along():
    assert "reden-" not in pages.FOLLOW_SCRIPT and "data-reden" not in pages.FOLLOW_SCRIPT
