"""The gespreksblad (issue 16, step 9): every filled field once, no empty headings, everything escaped, and
ONE A4 page for a full preparation (the worked examples and a maximal one), counted in the rendered PDF."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from stip import gespreksblad, gespreksplan
from stip.gespreksplan import build_flow, worked_examples

TEXT_FIELDS = [
    "feiten", "interpretaties", "leerling_herkent", "leerling_nodig", "kijk_leerling", "kijk_ouders",
    "kijk_school", "zorgen_ouders", "trots_ouders", "positief_1", "positief_2", "positief_3", "doel",
    "niet_doel", "gedeeld_doel", "doel_cognitief", "doel_sociaal_emotioneel", "school_kan",
    "school_kan_niet", "betrokkenen", "aanwezigen", "vertrouwde_docent", "plaats", "boodschap",
    "tolk_taal", "soort_anders",
]  # fmt: skip


class Page(HTMLParser):
    """The text of the sheet, the text per tag, and the sections with their headings."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.tags: list[str] = []
        self.stack: list[str] = []
        self.headings: list[str] = []
        self.sections: list[list[str]] = []  # per section: its texts in order
        self.feed(html)
        self.text = " ".join(" ".join(self.chunks).split())

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in ("br", "meta", "img", "input"):
            self.stack.append(tag)
        if tag == "section":
            self.sections.append([])

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data):
        if "style" in self.stack or "title" in self.stack:
            return
        if data.strip():
            self.chunks.append(data)
            if "h2" in self.stack:
                self.headings.append(data.strip())
            if self.sections and "section" in self.stack:
                self.sections[-1].append(data.strip())


def norm(text: str) -> str:
    return " ".join(text.split())


def sheet(answers, context):
    return gespreksblad.sheet_html(answers, context, build_flow(answers, context))


def pages(html: str) -> list:
    return PdfReader(io.BytesIO(gespreksblad.to_pdf(html))).pages


def shown_pieces(answers: dict[str, str]) -> list[tuple[str, str]]:
    """(field, piece of text that must stand on the sheet once) for every filled field."""
    pieces = []
    for field in TEXT_FIELDS:
        for line in (answers.get(field) or "").splitlines():
            line = norm(line.lstrip("-•* "))
            if line:
                pieces.append((field, line[:60]))
    for line in (answers.get("emoties") or "").splitlines():
        if line.strip():
            pieces.append(("emoties", f"{norm(line)} →"))
    for line in (answers.get("begrip") or "").splitlines():
        if line.strip():
            pieces.append(("begrip", norm(line)[:60]))
    for question in gespreksplan.question_texts(answers):
        pieces.append(("vragen", question))
    if answers.get("tijd"):
        pieces.append(("tijd", f"om {answers['tijd']}"))
    if answers.get("duur"):
        pieces.append(("duur", f"{answers['duur']} minuten"))
    return pieces


LONG = (
    "Sinds de herfstvakantie is hij in zes weken elf keer te laat gekomen in het eerste uur, meestal tussen "
    "de tien en twintig minuten; op drie dinsdagen was hij het eerste en tweede uur zonder bericht weg. "
)


def maximal(soort: str) -> dict[str, str]:
    """Every field filled at a realistic long length (what a thorough mentor writes)."""
    sentence = (
        "Dit is een uitgebreid antwoord zoals een zorgvuldige mentor het opschrijft, met een voorbeeld, "
        "een datum (12 november) en wat er daarna gebeurde in de klas en thuis"
    )
    answers = {field: f"[{field}] {sentence}." for field in TEXT_FIELDS}
    answers.update(
        soort=soort,
        soort_anders="",
        aangevraagd_door="ouders",
        feiten="\n".join(f"{n}. {LONG}" for n in range(1, 4)),
        boodschap=(
            "Uw kind gaat niet over naar het volgende leerjaar. De rapportvergadering heeft dat gisteren "
            "besloten, na de cijfers van het laatste rapport en de bespreking van alle docenten samen."
        ),
        leerling_gesproken="ja",
        leerling_erbij="deels",
        vertrouwde_docent="mevrouw Van der Veen-Bakker (Nederlands en CKV)",
        emoties="teleurstelling en verdriet\nboosheid over het besluit\nongeloof\nschuldgevoel",
        begrip=(
            "Ik zie dat dit hard aankomt, en dat mag.\nIk begrijp dat u boos bent; u had dit niet verwacht.\n"
            "Het is veel om in één keer te horen.\nU heeft niets verkeerd gedaan; we zoeken samen verder."
        ),
        aanwezigen=(
            "Moeder (Annemarie Verhoeven-de Groot), vader (Jeroen Verhoeven), stiefvader, de leerling "
            "(tweede helft), de zorgcoördinator en de mentor"
        ),
        tolk="ja",
        tolk_taal="Tigrinya",
        plaats="Spreekkamer 0.12 op de begane grond, naast de ingang bij de fietsenstalling",
        datum="2027-03-16",
        tijd="15:45",
        duur="45",
        vragen="\n".join(
            [
                "ou_herkent",
                "ou_speelt",
                "ou_eerder",
                "le_hoe",
                "le_nodig",
                "re_doorheen",
                "do_goed",
                "af_steun",
                "af_contact",
                "sl_vergeten",
            ]
        ),  # fmt: skip
    )
    return answers


CONTEXT = {
    "student": "Mohammed-Amin van den Berg-Tesfay",
    "roepnaam": "Mohammed-Amin",
    "klas": "3VWO-b",
    "mentor": "Annelies Vermeulen-Zwart",
    "school": "Scholengemeenschap De Lange Voorbeeldweg",
}


def cases():
    yield from ((e["id"], e["answers"], e["context"]) for e in worked_examples())
    yield ("maximaal_zorg", maximal("gedrag"), CONTEXT)
    yield ("maximaal_slecht_nieuws", maximal("slecht_nieuws"), CONTEXT)


@pytest.mark.parametrize(
    ("name", "answers", "context"), list(cases()), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_filled_field_appears_exactly_once(name, answers, context):
    text = Page(sheet(answers, context)).text
    for field, piece in shown_pieces(answers):
        assert text.count(piece) == 1, (name, field, piece, text.count(piece))


def test_the_kind_the_asker_and_the_interpreter_show_in_words():
    example = worked_examples()[1]
    text = Page(sheet(example["answers"], example["context"])).text
    assert "Soort gesprek: slecht nieuws of een besluit" in text
    assert "Aangevraagd door: de mentor" in text
    assert text.count("Arabisch") == 1 and "Tolk: Arabisch" in text
    assert "Er is een tolk: spreek in korte zinnen" in text
    assert "vrijdag 25 juni 2027 om 13:00" in text
    assert "Tolkentelefoon" not in text and "tolkendienst" not in text
    other = sheet(
        {"soort": "anders", "soort_anders": "Ruzie in de groepsapp", "feiten": "x"}, {"roepnaam": "Bo"}
    )
    assert "Soort gesprek: Ruzie in de groepsapp" in Page(other).text


def test_the_sheet_keeps_the_order_of_the_talk():
    example = worked_examples()[0]
    text = Page(sheet(example["answers"], example["context"])).text
    order = [
        "Gesprek over Timo Brinkman",
        "Welkom en wat goed gaat",
        "legt klasgenoten bij wiskunde uit",
        "Wat ik zag: Sinds de herfstvakantie",
        "Eerst de kijk van de ouders",
        "De kijk van Timo",
        "Ons gedeelde doel:",
        "Wat school kan doen:",
        "Wat school niet kan:",
        "Afronden",
        "Afspraken",
        "Notities",
    ]
    positions = [text.index(piece) for piece in order]
    assert positions == sorted(positions)


def test_empty_fields_print_no_heading_and_no_label():
    answers = {"soort": "gedrag", "feiten": "Gooide op 3 november een stoel om in lokaal 1.02."}
    page = Page(sheet(answers, {"student": "Bo Smit", "roepnaam": "Bo"}))
    labels = ["Aanwezig", "Vertrouwde docent", "Tolk", "Aangevraagd door", "Wat goed gaat", "Het bericht"]
    labels += ["Ons gedeelde doel", "Wat school kan doen", "Klas", "Mentor", "minuten", " min"]
    for label in labels:
        assert label not in page.text, label
    # every part heading has something under it
    for section in page.sections:
        assert len(section) >= 2, section
    assert "Wat ik zag: Gooide op 3 november" in page.text
    assert not re.search(r":\s*(·|$)", page.text)


def test_without_any_answer_the_page_still_is_a_clean_skeleton():
    page = Page(gespreksblad.sheet_html({}, {}, build_flow({}, {})))
    assert "Gesprek over" not in page.text  # no name: no title with a hole in it
    assert page.headings[0].startswith("1.")
    assert "Afspraken" in page.text and "Notities" in page.text
    for section in page.sections:
        assert len(section) >= 2, section


NASTY = '<img src=x onerror="alert(1)">&amp; "quotes" </section><script>alert(2)</script>'


def test_every_value_is_escaped_and_shows_as_text():
    answers = {field: NASTY for field in TEXT_FIELDS}
    answers.update(
        soort="slecht_nieuws",
        emoties=NASTY,
        begrip=NASTY,
        tolk="ja",
        datum=NASTY,
        tijd=NASTY,
        duur=NASTY,
        aangevraagd_door=NASTY,
    )
    context = {key: NASTY for key in ("student", "roepnaam", "klas", "mentor", "school", "tolk_taal")}
    html = gespreksblad.sheet_html(answers, context, build_flow(answers, context))
    page = Page(html)
    assert "<img" not in html and "<script" not in html and "</section><script" not in html
    allowed = {"html", "head", "meta", "title", "style", "body", "div", "header", "h1", "p", "span", "b"}
    allowed |= {"section", "h2", "ul", "li", "table", "tr", "th", "td"}
    assert set(page.tags) <= allowed
    assert NASTY in page.text  # shown as the text that was typed
    assert f"Gesprek over {NASTY}" in page.text


@pytest.mark.parametrize(
    ("name", "answers", "context"), list(cases()), ids=lambda v: v if isinstance(v, str) else ""
)
def test_a_full_preparation_prints_on_one_page(name, answers, context):
    html = sheet(answers, context)
    printed = pages(html)
    assert len(printed) == 1, name
    text = norm(printed[0].extract_text())
    assert "Wat goed gaat" in text and "doel" in text.lower()
    assert norm(answers["positief_1"])[:30] in text
    assert norm(answers["gedeeld_doel"])[:30] in text


def test_what_follows_after_the_talk_is_not_on_the_sheet():
    example = worked_examples()[0]
    assert example["answers"]["vervolg"][:30] not in Page(sheet(example["answers"], example["context"])).text


def test_the_worked_examples_fit_without_tightening():
    for example in worked_examples():
        html = sheet(example["answers"], example["context"])
        assert len(gespreksblad._render(html).pages) == 1, example["id"]


def test_a_line_longer_than_the_page_allows_is_cut_at_a_word_with_an_ellipsis():
    answers = {"feiten": "Woord " * 400, "school_kan": "Hulp " * 300}
    text = Page(sheet(answers, {"roepnaam": "Bo"})).text
    assert "Woord Woord…" in text and "Hulp Hulp…" in text
    assert len(pages(sheet(answers, {"roepnaam": "Bo"}))) == 1


def test_the_html_fetches_nothing_and_names_the_sources():
    html = sheet(worked_examples()[0]["answers"], worked_examples()[0]["context"])
    assert "http" not in html and "@import" not in html and "url(" not in html
    assert "Malmberg" in Page(html).text and "Het Voorbeeldcollege" in Page(html).text
    assert "@page" in html and "A4" in html


WORDS = ["rustig", "cijfer", "week", "thuis", "les", "samen", "vraag", "<b>", "&", "'", "3,5", "é"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sets(st.sampled_from(TEXT_FIELDS), max_size=len(TEXT_FIELDS)),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=6),
    st.sampled_from(["verzuim", "slecht_nieuws", "anders"]),
    st.sampled_from(["ja", "nee", ""]),
    st.sampled_from(["ja", "nee", "deels", ""]),
)
def test_any_mix_of_filled_fields_shows_each_once_and_no_empty_heading(filled, words, soort, tolk, erbij):
    answers = {field: f"[{field}] {' '.join(words)}" for field in filled}
    answers.update(soort=soort, tolk=tolk, leerling_erbij=erbij)
    page = Page(sheet(answers, {"student": "Bo Smit", "roepnaam": "Bo"}))
    for field in filled:
        # a field that belongs to a choice prints only with that choice (a leftover after a change does not)
        if (field == "tolk_taal" and tolk != "ja") or (field == "soort_anders" and soort != "anders"):
            assert answers[field] not in page.text
            continue
        assert page.text.count(answers[field]) == 1, field
    for section in page.sections:
        assert len(section) >= 2, section
    assert not re.search(r"\b\w+:\s*(·|$)", page.text)
