"""Templates, readability and the startgesprek content: stip.texts and stip/content/nl/startgesprek.yaml."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stip import config, content, texts
from stip.texts import TemplateError, fill, placeholders, readability, readability_summary

INVITATION_NAMES = {
    "ouders",
    "leerling",
    "roepnaam",
    "kinderen",
    "datum",
    "tijd",
    "duur",
    "plaats",
    "adres",
    "broers_zussen",
    "over",
    "tolk",
    "andere_ouder",
    "mentor",
    "school",
    "contact",
}
OPTIONAL_NAMES = {"adres", "broers_zussen", "andere_ouder", "over"}
GOUDEN_MAIL_NAMES = {
    "ouders",
    "roepnaam",
    "positief",
    "vragen_ouders",
    "vragen_leerling",
    "datum",
    "tijd",
    "mentor",
    "school",
    "contact",
}
CATEGORIES = {"welbevinden", "thuis", "wensen", "trots"}
AUDIENCES = {"ouders", "leerling"}
CONTENT_FILE = config.REPO_ROOT / "stip" / "content" / "nl" / "startgesprek.yaml"
COPYCHECK = Path("/work/shared/tools/copycheck.py")


@pytest.fixture(scope="module")
def data():
    return content.load("startgesprek", "nl")


def invitation_templates(data):
    """(label, template) for every text of every invitation channel."""
    invitation = data["invitation"]
    return [
        (f"{channel}.{part}", text)
        for channel in ("brief", "email", "app")
        for part, text in invitation[channel].items()
    ]


def filled_sentences(data):
    """(label, text) for every sentence Stip fills in per family, with sample values."""
    sample = {"talen": "Turks", "naam": "Emre", "tijd": "19:40", "datum": "dinsdag 8 september"}
    sample |= {"plaats": "lokaal B14", "mentor": "Rachida Tahiri", "email": "a@b.nl", "telefoon": "06-12"}
    sample |= {"minuten": 20}
    return [(key, fill(text, sample)) for key, text in data["invitation"]["sentences"].items()]


def gouden_mail_templates(data):
    mail = data["gouden_mail"]
    return [("subject", mail["subject"]), ("template", mail["template"])]


# --- the content ------------------------------------------------------------------------------------------


def test_content_names_its_sources(data):
    header = CONTENT_FILE.read_text(encoding="utf-8").split("\n\n")[0]
    assert "# Sources" in header
    for name in ("CPS", "Handreiking basisvormen Ouderbetrokkenheid 3.0", "Malmberg", "Amsterdam-Diemen"):
        assert name in header
    for name in ("CPS", "Malmberg", "kenniskring", "Samenwerkingsverband VO Amsterdam-Diemen"):
        assert name in data["sources"]
    for section in ("invitation", "agenda", "gouden_mail"):
        assert data[section]["source"].strip()


def test_content_placeholders_come_only_from_the_allowed_sets(data):
    assert set(data["invitation"]["placeholders"]) == INVITATION_NAMES
    assert set(data["invitation"]["optional"]) == OPTIONAL_NAMES
    assert set(data["gouden_mail"]["placeholders"]) == GOUDEN_MAIL_NAMES
    for label, template in invitation_templates(data):
        assert placeholders(template) <= INVITATION_NAMES, label
    for label, template in gouden_mail_templates(data):
        assert placeholders(template) <= GOUDEN_MAIL_NAMES, label
    assert placeholders(data["gouden_mail"]["template"]) == GOUDEN_MAIL_NAMES
    # texts that are not templates have no braces at all
    plain = [item["text"] for item in data["gouden_mail"]["questions"]] + data["gouden_mail"]["prompts"]
    plain += [item[key] for item in data["agenda"]["items"] for key in ("title", "hint")]
    assert not [text for text in plain if "{" in text or "}" in text]


def test_every_template_fills_with_a_full_value_set_and_leaves_no_braces(data):
    invitation, mail = data["invitation"], data["gouden_mail"]
    assert set(invitation["example"]) == INVITATION_NAMES and set(mail["example"]) == GOUDEN_MAIL_NAMES
    filled = [fill(text, invitation["example"], INVITATION_NAMES) for _, text in invitation_templates(data)]
    # the optional lines go away when empty, leaving no gap of two blank lines
    empty = {**invitation["example"], **dict.fromkeys(OPTIONAL_NAMES, "")}
    for _, text in invitation_templates(data):
        short = fill(text, empty, INVITATION_NAMES, OPTIONAL_NAMES)
        assert "\n\n\n" not in short and "Adres:" not in short
    filled += [fill(text, mail["example"], GOUDEN_MAIL_NAMES) for _, text in gouden_mail_templates(data)]
    for text in filled:
        assert "{" not in text and "}" not in text, text
        assert text.strip()


def test_invitations_say_who_when_where_why_and_how_to_change(data):
    invitation = data["invitation"]
    for channel in ("brief", "email", "app"):
        body = invitation[channel]["body"]
        wanted = {
            "ouders",
            "kinderen",
            "datum",
            "tijd",
            "duur",
            "plaats",
            "contact",
            "mentor",
            "school",
            "tolk",
        }
        assert wanted | {"broers_zussen", "andere_ouder"} <= placeholders(body), channel
        # everyone the letter is for is invited, and asked to answer; the real length, no fixed "20"
        assert "u en {kinderen} uit" in body and "nodig" in body and "Komt u? Stuur" in body, channel
        assert "20" not in body and "ongeveer" not in body, channel
        # a plain welcome: no negation that plants the idea of trouble, no question whether one wants a tolk
        assert "niets mis" not in body and "welkom" in body and "Wilt u een tolk" not in body, channel
    for channel in ("brief", "email"):
        body = invitation[channel]["body"]
        assert "Hoe gaat het" in body or "hoe het gaat" in body
        assert "goed" in body and "bereiken" in body and "contact" in body
        assert "mentor is" in body  # the word mentor is explained
    assert invitation["brief"]["title"] and invitation["email"]["subject"]
    single = {**invitation["example"], "kinderen": "Noor", **dict.fromkeys(OPTIONAL_NAMES, "")}
    assert len(fill(invitation["app"]["body"], single, optional=OPTIONAL_NAMES)) <= 450  # one phone screen
    sentences = invitation["sentences"]
    assert "tolk {talen}" in sentences["tolk_language"] and "?" not in sentences["tolk_language"]
    assert "tolk" in sentences["tolk_offer"] and "tolk" in sentences["tolk_there"]


def test_every_shipped_invitation_and_the_gouden_mail_are_b1(data):
    invitation, mail = data["invitation"], data["gouden_mail"]
    filled = [(label, fill(text, invitation["example"])) for label, text in invitation_templates(data)]
    filled += [(label, fill(text, mail["example"])) for label, text in gouden_mail_templates(data)]
    filled += filled_sentences(data)
    for label, text in filled:
        result = readability(text)
        assert result.level == "B1", (label, result)
        assert not result.long_sentences and not result.long_words, (label, result)
        assert [term for term, _ in result.jargon] in ([], ["mentor"]), (label, result.jargon)


def test_agenda_follows_the_conversation_in_order(data):
    items = data["agenda"]["items"]
    assert [item["id"] for item in items] == [
        "opening",
        "gesprek_doel",
        "leerling_eerst",
        "welbevinden",
        "doel",
        "contact",
        "informatie",
        "afspraken",
        "afsluiting",
    ]
    assert all(item["title"].strip() and item["hint"].strip() and "\n" not in item["hint"] for item in items)
    titles = " ".join(item["title"] for item in items)
    assert "stip op de horizon" in titles and "communicatieplan op maat" in titles
    hints = {item["id"]: item["hint"] for item in items}
    # a talk between equals (CPS): not "parents add, you mainly listen"
    assert "luistert vooral" not in hints["leerling_eerst"] and "gelijken" in hints["leerling_eerst"]
    # the plan starts from the student, who may take the first step; a home visit only when agreed together
    assert "wat de leerling nodig heeft" in hints["contact"] and "de leerling zelf" in hints["contact"]
    assert "huisbezoek alleen als" in hints["contact"] and "samen" in hints["contact"]
    # this talk's goal agreed at its start, and checked with the year's goal at its end (kenniskring)
    assert "aan het begin samen af" in hints["gesprek_doel"]
    assert "doel van vandaag" in hints["afsluiting"] and "doel voor het jaar" in hints["afsluiting"]


def test_gouden_mail_prompts_and_question_bank(data):
    mail = data["gouden_mail"]
    assert 6 <= len(mail["prompts"]) <= 8
    questions = mail["questions"]
    ids = [item["id"] for item in questions]
    assert len(ids) == len(set(ids)) and all(ids)
    assert {item["category"] for item in questions} == CATEGORIES
    assert {item["audience"] for item in questions} == AUDIENCES
    counts = Counter((item["category"], item["audience"]) for item in questions)
    assert all(counts[(category, audience)] >= 4 for category in CATEGORIES for audience in AUDIENCES), counts
    assert len(questions) >= 32
    for item in questions:
        assert item["text"].endswith("?"), item
        result = readability(item["text"])
        assert result.level == "B1" and not result.long_words and not result.jargon, item
    # parents are "u", students "je"
    assert all(" u " in f" {q['text']} " or "uw" in q["text"] for q in questions if q["audience"] == "ouders")
    assert not [q for q in questions if q["audience"] == "leerling" and " u " in f" {q['text']} "]


def test_jargon_list_explains_the_usual_school_words(data):
    jargon = data["jargon"]
    for term in ("OPP", "HGW", "mentoraat", "mentor", "zorgcoördinator", "Magister", "SOMtoday", "rapport"):
        assert term in jargon
    for term in ("PTA", "LOB", "toetsweek"):
        assert term in jargon
    assert all(isinstance(text, str) and len(text) > 15 for text in jargon.values())


@pytest.mark.skipif(not COPYCHECK.exists(), reason="copycheck.py is not available here")
def test_no_passage_is_copied_from_the_sources():
    out = subprocess.run(
        [sys.executable, str(COPYCHECK), str(config.REPO_ROOT)], capture_output=True, text=True, timeout=300
    )
    assert out.stdout == "", out.stdout


# --- fill ---------------------------------------------------------------------------------------------------


def test_placeholders_and_escaped_braces():
    assert placeholders("Beste {ouders}, tot {datum} om {tijd}. {datum}") == {"ouders", "datum", "tijd"}
    assert placeholders("{{roepnaam}} en {{{x}}}") == {"x"}
    assert fill("{{a}} {a} }}{{", {"a": "A"}) == "{a} A }{"


def test_missing_placeholder_raises_a_dutch_message_naming_it():
    with pytest.raises(TemplateError) as caught:
        fill("Tot {datum} om {tijd}.", {"tijd": "19:20"})
    error = caught.value
    assert (error.message_key, error.names) == ("texts.missing_value", ("datum",))
    assert "{datum}" in str(error) and "ingevuld" in str(error)
    with pytest.raises(TemplateError) as caught:
        fill("{a} {b} {a}", {"a": "  ", "b": None})  # empty and None count as missing
    assert caught.value.names == ("a", "b")


def test_unknown_placeholder_raises_when_allowed_is_given():
    with pytest.raises(TemplateError) as caught:
        fill("Beste {ouder}", {"ouder": "Eva"}, allowed=INVITATION_NAMES)
    error = caught.value
    assert (error.message_key, error.names) == ("texts.unknown_placeholder", ("ouder",))
    assert "{ouder}" in str(error) and "{ouders}" in str(error) and "kent Stip niet" in str(error)
    assert fill("Beste {ouder}", {"ouder": "Eva"}) == "Beste Eva"  # without `allowed` any name may be used


@pytest.mark.parametrize(
    ("template", "fragment"),
    [("Dag {Roepnaam}!", "{Roepnaam}"), ("Om { tijd }", "{ tijd }"), ("a { b", "{ b"), ("a } b", "a }")],
)
def test_a_brace_that_is_no_placeholder_is_an_error(template, fragment):
    with pytest.raises(TemplateError) as caught:
        fill(template, {"roepnaam": "Noor", "tijd": "19:20"})
    assert caught.value.message_key == "texts.bad_brace"
    assert caught.value.values["fragment"] == fragment
    assert fragment in str(caught.value) and "{{" in str(caught.value) and "accolade" in str(caught.value)


def test_braces_in_values_stay_literal():
    values = {"positief": "Noor schreef {roepnaam} op het bord }} {{", "roepnaam": "Noor"}
    assert fill("{positief} ({roepnaam})", values) == "Noor schreef {roepnaam} op het bord }} {{ (Noor)"
    assert fill("{a}{b}", {"a": "{", "b": "b}"}) == "{b}"


NAMES = st.sampled_from(["ouders", "roepnaam", "datum", "x_y"])
PIECES = st.one_of(NAMES.map(lambda name: "{" + name + "}"), st.sampled_from(["{{", "}}"]), st.text("ab .\n"))


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, max_size=12), st.text(alphabet="pq{}", min_size=1, max_size=8))
def test_fill_replaces_every_placeholder_and_only_those(pieces, value):
    values = {"ouders": "O", "roepnaam": "R", "datum": "D", "x_y": value}
    literal = {"{{": "{", "}}": "}"} | {"{" + name + "}": text for name, text in values.items()}
    assert fill("".join(pieces), values) == "".join(literal.get(piece, piece) for piece in pieces)


# --- readability --------------------------------------------------------------------------------------------


def test_readability_flags_jargon_and_long_sentences():
    text = (
        "Wij bespreken het OPP van uw kind. Volgens HGW kijken we naar wat nodig is. "
        "In het mentoraat en bij de zorgcoördinator worden de afspraken uit het handelingsplan "
        "daarna elke maand opnieuw bekeken en waar nodig bijgesteld door het team."
    )
    result = readability(text)
    assert [term for term, _ in result.jargon][:3] == ["OPP", "HGW", "mentoraat"]
    assert dict(result.jargon)["OPP"].startswith("Ontwikkelingsperspectief")
    assert result.sentences == 3 and len(result.long_sentences) == 1
    assert result.long_sentences[0].startswith("In het mentoraat")
    assert "zorgcoördinator" in result.long_words
    assert result.level == "moeilijk"


def test_jargon_is_matched_as_whole_words_in_any_case_and_not_in_placeholders():
    jargon = {"OPP": "plan", "mentor": "leraar", "passend onderwijs": "hulp"}
    result = readability("Het opp. De mentoren en {mentor}. Passend\nonderwijs? Oppas! mentor-uur.", jargon)
    assert [term for term, _ in result.jargon] == ["OPP", "passend onderwijs", "mentor"]
    assert [term for term, _ in readability("Passend onderwijs, opp", jargon).jargon] == [
        "passend onderwijs",
        "OPP",
    ]


def test_sentences_words_and_what_is_not_a_long_word():
    text = (
        "Mail naar mentoraat.vandenberg@voorbeeldschool.nl of kijk op "
        "https://www.voorbeeldschool.nl/startgesprekken. "
        "Wij zien u bijv. om 19.20 uur op de Montessorischool.\n"
        "{vragen_leerling_en_ouders}\n\n"
        "Ouderbetrokkenheid is fijn!"
    )
    result = readability(text, {})
    assert result.sentences == 4
    assert result.words == 7 + 10 + 1 + 3
    assert result.long_words == ["Ouderbetrokkenheid"]  # not the address, URL, name or placeholder
    assert result.average_sentence_words == 5.2


def test_levels_and_summary_lines():
    easy = readability("We maken kennis. Het duurt twintig minuten. U bent welkom.", {})
    assert easy.level == "B1"
    assert readability_summary(easy) == "Goed leesbaar (B1): zinnen van gemiddeld 3 woorden."
    middle = readability("Dit is een zin die uit precies veertien woorden bestaat en daarom wat lang is.", {})
    assert middle.level == "B1+" and not middle.long_sentences
    assert readability_summary(middle).startswith(
        "Een beetje moeilijk (B1+): zinnen van gemiddeld 15 woorden."
    )
    hard = readability(
        "De zorgcoördinator en de leerplichtambtenaar bespreken de schoolloopbaanbegeleiding van de leerling "
        "in het zorgadviesteam met alle betrokken hulpverleners en ouders samen.",
        {"zorgcoördinator": "zorg"},
    )
    assert hard.level == "moeilijk"
    line = readability_summary(hard)
    assert line.startswith("Moeilijk te lezen: zinnen van gemiddeld 21 woorden.")
    assert "Maak de lange zin korter." in line and "leerplichtambtenaar" in line
    assert "Leg uit of vervang: zorgcoördinator." in line and "\n" not in line
    assert readability_summary(readability("", {})) == "Nog geen tekst om te beoordelen."
    sixteen = (
        "een twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien zestien."
    )
    two = readability(f"{sixteen} {sixteen}", {})
    assert "Maak de 2 lange zinnen korter." in readability_summary(two)


def test_default_jargon_comes_from_the_content():
    result = readability("Het OPP wordt besproken met de mentor.")
    assert [term for term, _ in result.jargon] == ["OPP", "mentor"]
    assert texts.readability("Tot ziens.").jargon == []
