"""What a new mentor's walkthrough found in the parent texts (issue 14 review): a letter naming two
children says which talk the time is for, a mail never shows an empty question group, and one mentor
signs a letter even when the class has two."""

from __future__ import annotations

from datetime import time

from stip import gouden_mail, startgesprek, store
from tests.unit.test_startgesprek import NOT_PLANNED, families, invite, make, student


def test_a_letter_naming_two_children_says_whose_talk_the_time_is(demo_school, actor):
    lotte, thijs = student("Lotte", "Bakker"), student("Thijs", "Bakker")
    one_a = make(actor, "1A", time(17), time(17, 40))
    two_b = make(actor, "2B", time(17, 20), time(17, 40))
    with store.write() as conn:
        startgesprek.assign_slot(conn, actor, lotte, one_a[0]["id"])
        startgesprek.assign_slot(conn, actor, thijs, two_b[0]["id"])
    for channel in ("brief", "email"):
        [letter] = invite(actor, lotte, channel)
        assert "Het gesprek over Lotte:\nWanneer: dinsdag 9 september om 17:00" in letter["body"], channel
        assert "U kent Lotte en Thijs het best." in letter["body"], channel
    [app] = invite(actor, lotte, "app")
    assert "Het gesprek over Lotte is dinsdag 9 september om 17:00" in app["body"]
    [alone] = invite(actor, student("Yousef", "Alkhatib"))  # one child: no extra line
    assert "Het gesprek over" not in alone["body"] and "U kent Yousef het best." in alone["body"]


def test_a_gouden_mail_leaves_out_a_question_group_without_questions(demo_school, actor):
    [family] = families(actor, [student("Yousef", "Alkhatib")])
    record = {"positief": "Yousef hielp een klasgenoot.", "vragen": ["ouders-trots-waarop"]}
    [mail] = gouden_mail.render(family, record, NOT_PLANNED)
    assert "Vragen voor u:\n- Waar bent u trots op bij uw kind?" in mail["body"]
    assert (
        "Vragen voor Yousef" not in mail["body"] and "(" not in mail["body"].split("Vragen voor u:")[1][:60]
    )
    assert "\n\n\n" not in mail["body"]
