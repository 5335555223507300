"""Judgement words in the facts (issue 16, step 1): word forms, whole words only, any case, a hint."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stip import content, oordeelwoorden
from stip.oordeelwoorden import flag, message


def lemmas(text: str) -> list[str]:
    return [f.lemma for f in flag(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hij is lui.", ["lui"]),
        ("Een luie houding, nog luier dan vorig jaar, de luiste van de klas.", ["lui", "lui", "lui"]),
        ("Zij was brutaal, een brutale opmerking, brutaler dan ooit.", ["brutaal"] * 3),
        ("De brutaalste reactie van de week.", ["brutaal"]),
        ("Hij is ongemotiveerd; een ongemotiveerde indruk.", ["ongemotiveerd", "ongemotiveerd"]),
        ("Komt altijd te laat en maakt nooit huiswerk.", ["altijd", "nooit"]),
        ("Respectloze toon, onbeleefd antwoord, agressieve duw.", ["respectloos", "onbeleefd", "agressief"]),
        ("ongeïnteresseerd en ongeinteresseerd", ["ongeïnteresseerd", "ongeïnteresseerd"]),
    ],
)
def test_word_forms_are_flagged(text, expected):
    assert lemmas(text) == expected


@pytest.mark.parametrize(
    "text", ["Nooit.", "(altijd)", "“lui”", "'brutaal'", "NOOIT!", "Altijd?", "lui - zegt hij"]
)
def test_punctuation_around_a_word_still_flags_it(text):
    assert len(flag(text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "De sleutel ligt in de kluis.",
        "Een altijdgroene plant, nooitgedacht.",
        "Hij luistert goed en is geluid gevoelig.",
        "Ze bleef in de luifel staan; de luiken waren dicht.",
        "altijd-groen en nooit-meer",
        "Het was druk in de gang; hij liep dwars door de aula en vond de toets vervelend.",
        "Wiskunde is lastig voor haar; zij had 3 keer geen boeken bij (week 38, 40, 41).",
    ],
)
def test_words_inside_other_words_or_facts_are_not_flagged(text):
    assert flag(text) == []


def test_case_insensitive_and_the_word_as_typed_with_its_place():
    text = "Volgens collega's ALTIJD Lui."
    found = flag(text)
    assert [(f.word, f.lemma) for f in found] == [("ALTIJD", "altijd"), ("Lui", "lui")]
    for f in found:
        assert text[f.start : f.end] == f.word
        assert f.suggestion


def test_every_form_in_the_content_is_flagged_alone_and_in_a_sentence():
    for form, info in oordeelwoorden.words().items():
        assert lemmas(form) == [info["lemma"]], form
        assert lemmas(f"Zij zegt: {form.upper()}, echt.") == [info["lemma"]], form


def test_the_word_list_names_its_sources_and_every_word_has_a_suggestion():
    section = content.load("gespreksplan")
    assert "Malmberg" in section["sources"]
    assert all(info["suggestion"].strip() for info in oordeelwoorden.words().values())


def test_message_names_the_words_once_and_is_empty_without_flags():
    assert message([]) == ""
    one = message(flag("Hij is lui."))
    assert "“lui”" in one and "oordeelwoord:" in one and "wanneer" in one
    many = message(flag("Lui, altijd lui en nooit op tijd."))
    assert many.count("“lui”") == 1 and "“altijd” en “nooit”" in many
    assert "oordeelwoorden:" in many
    assert "hoe vaak" in message(flag("Nooit."))


SAFE_WORDS = [
    "Hij",
    "kwam",
    "op",
    "dinsdag",
    "drie",
    "keer",
    "te",
    "laat",
    "in",
    "week",
    "12",
    "de",
    "les",
    "wiskunde",
    "maakte",
    "geen",
    "opdracht",
    "kluis",
    "luistert",
    "altijdgroen",
    "zei",
    "tegen",
    "mij",
    "dat",
    "hij",
    "moe",
    "was",
    "(",
    ")",
    ".",
    ",",
    "!",
    "?",
    "-",
    "nooitgedacht",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(SAFE_WORDS), max_size=30), st.sampled_from([" ", "\n", "  "]))
def test_a_random_sentence_without_list_words_gives_no_flags(parts, glue):
    assert flag(glue.join(parts)) == []


@settings(max_examples=150, deadline=None)
@given(
    st.text(max_size=60),
    st.sampled_from(sorted(oordeelwoorden.words())),
    st.text(max_size=60),
)
def test_flag_positions_are_always_inside_the_text_and_match_it(before, word, after):
    text = f"{before} {word} {after}"
    found = flag(text)
    assert any(f.word.lower() == word for f in found)
    for f in found:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.word
        assert f.word.lower() in oordeelwoorden.words()
