"""Stip's standard team scan (stip/content/nl/teamscan.yaml): the shape the issue asks for."""

from __future__ import annotations

import re
from collections import Counter

from stip import content, live, teamscan

THEMES = {
    "startgesprek",
    "communicatieplan",
    "toon",
    "taal",
    "ontmoeting",
    "rollen",
    "partnerschap",
    "betrekken",
}


def test_25_to_40_statements_in_the_eight_themes_of_the_issue():
    items = teamscan.standard_items()
    statements = [i for i in items if i["kind"] == "schaal"]
    assert 25 <= len(statements) <= 40
    per_theme = Counter(i["key"].split(".")[0] for i in statements)
    assert set(per_theme) == THEMES
    assert all(3 <= n <= 6 for n in per_theme.values()), per_theme


def test_statements_are_about_the_teams_own_practice():
    for item in teamscan.standard_items():
        if item["kind"] == "schaal":
            words = set(re.findall(r"\w+", item["tekst"].lower()))
            assert words & {"wij", "we", "ons", "onze"}, item["tekst"]
            assert len(item["tekst"]) <= 140, item["tekst"]  # two lines on a phone at most


def test_each_theme_names_its_source_and_has_one_comment_item():
    items = teamscan.standard_items()
    sources = teamscan.theme_sources()
    assert len(sources) == len(THEMES)
    assert all(source.strip() for source in sources.values())
    comments = [i for i in items if i["kind"] == "opmerking"]
    assert sorted(i["key"] for i in comments) == sorted(f"{theme}.opmerking" for theme in THEMES)
    for item in items:
        if item["kind"] != "open":
            assert item["source"] == sources[item["theme"]]
        assert item["options"] == (list(live.SCALE) if item["kind"] == "schaal" else [])


def test_two_open_questions_at_the_end_and_keys_unique_and_stable():
    items = teamscan.standard_items()
    assert [i["key"] for i in items if i["kind"] == "open"] == ["open.goed", "open.anders"]
    assert [i["kind"] for i in items[-2:]] == ["open", "open"]
    keys = [i["key"] for i in items]
    assert len(keys) == len(set(keys))
    assert "startgesprek.1" in keys and "betrekken.4" in keys


def test_texts_fit_the_session_tables():
    from stip.store.tables import session_item

    for item in teamscan.standard_items():
        assert len(item["key"]) <= session_item.c.key.type.length
        assert len(item["theme"]) <= session_item.c.theme.type.length
        assert len(item["source"]) <= session_item.c.source.type.length
    data = content.load("teamscan")
    assert data["title"] and data["intro"] and teamscan.texts()["opmerking"] == data["opmerking"]
