"""The conversation plan (issue 16, step 8): question bank, the flow in the order of the talk, the bad-news
variant, student present or not, interpreter, minutes, no empty lines; the two worked examples."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stip import gespreksplan, oordeelwoorden
from stip.gespreksplan import build_flow, questions, worked_examples

CONTEXT = {"student": "Sam de Boer", "roepnaam": "Sam", "klas": "2B", "mentor": "Els Kok", "school": "X"}
NORMAL_ORDER = ["opening", "zorg", "ouders", "leerling", "doel", "afspraken", "afsluiting"]


def full(**changes) -> dict[str, str]:
    answers = dict(worked_examples()[0]["answers"])
    answers.update(changes)
    return answers


def keys(flow):
    return [part["key"] for part in flow]


def text(flow) -> str:
    return "\n".join(line for part in flow for line in [part["titel"], *part["regels"]])


def part(flow, key):
    return next(p for p in flow if p["key"] == key)


def test_questions_per_kind_come_from_the_bank_with_their_phase():
    all_kinds = questions("")
    verzuim = questions("verzuim")
    assert {"id", "tekst", "fase"} == set(all_kinds[0])
    assert {q["id"] for q in all_kinds} < {q["id"] for q in verzuim}
    assert "ou_ochtend" in {q["id"] for q in verzuim} and "ou_ochtend" not in {q["id"] for q in all_kinds}
    assert all(q["tekst"].endswith("?") for q in verzuim)
    assert set(gespreksplan.QUESTION_BANK) >= {q["id"] for q in verzuim}
    phases = {q["fase"] for q in gespreksplan.QUESTION_BANK.values()}
    assert phases == {"opening", "ouders", "leerling", "reactie", "doel", "afspraken", "afsluiting"}


def test_the_normal_flow_in_the_order_of_the_talk_with_the_answers_in_place():
    flow = build_flow(full(), CONTEXT)
    assert keys(flow) == NORMAL_ORDER
    opening = part(flow, "opening")["regels"]
    assert any("legt klasgenoten bij wiskunde uit" in r for r in opening)
    assert any(r.startswith("Wat ik zag: Sinds de herfstvakantie") for r in part(flow, "zorg")["regels"])
    assert part(flow, "ouders")["regels"][0].startswith("Vraag eerst hoe de ouders")
    assert any("Ons gedeelde doel: Timo is weer elke dag" in r for r in part(flow, "doel")["regels"])
    assert any(r.startswith("Wat school niet kan:") for r in part(flow, "afspraken")["regels"])
    assert part(flow, "afsluiting")["regels"][0].startswith("Check: is ons gedeelde doel nog hetzelfde")
    assert part(flow, "leerling")["titel"] == "De kijk van Sam"


def test_chosen_questions_stand_in_their_phase_once_and_unknown_ids_are_skipped():
    flow = build_flow(full(vragen="ou_herkent\nonbekend\n do_stap \nou_herkent\n"), CONTEXT)
    herkent = gespreksplan.QUESTION_BANK["ou_herkent"]["tekst"]
    assert part(flow, "ouders")["regels"].count(herkent) == 1
    assert gespreksplan.QUESTION_BANK["do_stap"]["tekst"] in part(flow, "doel")["regels"]
    assert "onbekend" not in text(flow)
    assert gespreksplan.question_texts(full(vragen="ou_herkent\nonbekend")) == [herkent]


def test_bad_news_gives_the_message_early_then_room_for_the_reaction():
    answers = worked_examples()[1]["answers"]
    flow = build_flow(answers, CONTEXT)
    assert keys(flow)[:3] == ["welkom", "boodschap", "reactie"]
    assert keys(flow)[-3:] == ["doel", "afspraken", "afsluiting"]
    message = part(flow, "boodschap")["regels"]
    assert any(r.startswith("Het bericht: Layla gaat niet over naar 3 vwo.") for r in message)
    reaction = part(flow, "reactie")["regels"]
    assert "stilte mag" in reaction[0]
    assert any("teleurstelling" in r.lower() and "“Ik zie dat dit" in r for r in reaction)
    # the positives come after the reaction, not before the message
    assert keys(flow).index("positief") > keys(flow).index("reactie")
    assert "welkom" not in [p["key"] for p in build_flow(full(), CONTEXT)]


def test_bad_news_from_the_context_soort_and_without_a_message_still_has_its_guiding_line():
    answers = {key: value for key, value in full().items() if key not in ("soort", "boodschap")}
    flow = build_flow(answers, {**CONTEXT, "soort": "slecht_nieuws"})
    assert keys(flow)[1] == "boodschap"
    assert part(flow, "boodschap")["regels"] == [
        line for line in part(flow, "boodschap")["regels"] if "Het bericht:" not in line
    ]
    assert len(part(flow, "boodschap")["regels"]) == 1


def test_student_present_part_of_the_time_or_not():
    present = part(build_flow(full(leerling_erbij="ja"), CONTEXT), "leerling")["regels"]
    assert present[0].startswith("Sam is erbij")
    partly = part(build_flow(full(leerling_erbij="deels"), CONTEXT), "leerling")["regels"]
    assert partly[0].startswith("Sam is bij een deel")
    absent_flow = build_flow(full(leerling_erbij="nee", vragen="le_nodig\nou_herkent"), CONTEXT)
    absent = part(absent_flow, "leerling")["regels"]
    assert absent[0] == "Sam is er niet bij: vertel wat Sam zelf zei."
    question = gespreksplan.QUESTION_BANK["le_nodig"]["tekst"]
    assert f"Vraag later aan Sam: {question}" in absent
    assert question not in absent
    not_spoken = part(build_flow(full(leerling_gesproken="nog_niet"), CONTEXT), "leerling")["regels"]
    assert any("nog niet" in r and "eerlijk" in r for r in not_spoken)
    # not yet known whether the student joins: the line names the student, not "hij of zij"
    unknown = part(build_flow(full(leerling_erbij=""), CONTEXT), "leerling")["regels"]
    assert unknown[0] == "Vertel hoe Sam het zelf ziet; is Sam erbij, laat Sam het dan zelf zeggen."
    assert "hij of zij" not in text(build_flow(full(leerling_erbij=""), CONTEXT))


def test_interpreter_line_and_never_the_service_on_the_flow():
    flow = build_flow(full(tolk="ja", tolk_taal="Tigrinya"), CONTEXT)
    first = part(flow, "opening")["regels"][0]
    assert first.startswith("Er is een tolk:") and "korte zinnen" in first and "pauzes" in first
    assert "vertaalt alles" in first
    assert "Tigrinya" not in text(flow)  # the language stands once, in the sheet's header
    assert "Tolkentelefoon" not in text(flow) and "landelijke" not in text(flow)
    bad_news = build_flow({**worked_examples()[1]["answers"], "tolk": "ja"}, CONTEXT)
    assert part(bad_news, "welkom")["regels"][0].startswith("Er is een tolk:")
    assert "tolk" not in text(build_flow(full(tolk="nee", tolk_taal="Arabisch"), CONTEXT)).lower()
    assert "Tolkentelefoon" in gespreksplan.interpreter_note()


@pytest.mark.parametrize("duur", ["20", "30", "45", "7", "3", "1", "90 min"])
def test_minutes_per_part_sum_to_the_planned_duration(duur):
    for answers in (full(duur=duur), {**worked_examples()[1]["answers"], "duur": duur}):
        flow = build_flow(answers, CONTEXT)
        minutes = [p["minuten"] for p in flow]
        assert sum(minutes) == int(duur.split()[0])
        assert all(isinstance(m, int) and m >= 0 for m in minutes)
        if int(duur.split()[0]) >= len(flow):
            assert min(minutes) >= 1


@pytest.mark.parametrize("duur", ["", "0", "twintig", "-5", "100000"])
def test_without_a_sensible_duration_the_minutes_are_none(duur):
    assert {p["minuten"] for p in build_flow(full(duur=duur), CONTEXT)} == {None}


def test_empty_answers_give_no_empty_lines_and_no_invented_content():
    flow = build_flow({}, {})
    assert keys(flow) == NORMAL_ORDER  # the guiding lines of the talk stay
    for p in flow:
        assert p["titel"].strip()
        for line in p["regels"]:
            assert line.strip() and not line.rstrip().endswith(":")
    assert "Wat goed gaat:" not in text(flow)  # nothing filled in for the mentor
    assert part(flow, "leerling")["titel"] == "De kijk van de leerling"


FIELDS = [
    "feiten", "interpretaties", "kijk_leerling", "kijk_ouders", "kijk_school", "zorgen_ouders",
    "trots_ouders", "positief_1", "positief_2", "positief_3", "doel", "niet_doel", "gedeeld_doel",
    "doel_cognitief", "doel_sociaal_emotioneel", "school_kan", "school_kan_niet", "betrokkenen",
    "leerling_herkent", "leerling_nodig", "boodschap", "emoties", "begrip",
]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(st.sampled_from(FIELDS), st.sampled_from(["", " ", "\n", " \n - \n", "x"]), max_size=12),
    st.sampled_from(["verzuim", "slecht_nieuws", ""]),
    st.sampled_from(["ja", "nee", "deels", ""]),
)
def test_blank_answers_never_make_a_line(answers, soort, erbij):
    flow = build_flow({**answers, "soort": soort, "leerling_erbij": erbij}, CONTEXT)
    for p in flow:
        assert p["regels"]
        for line in p["regels"]:
            assert line.strip()
            assert not line.rstrip().endswith(":") and ": -" not in line


def test_a_multi_line_answer_becomes_one_line_without_its_dashes():
    flow = build_flow({"feiten": "- 3 keer te laat\n\n- 2 uur weg.\n* toets gemist"}, CONTEXT)
    assert "Wat ik zag: 3 keer te laat; 2 uur weg. toets gemist" in part(flow, "zorg")["regels"]


def test_every_filled_field_of_an_example_is_in_the_flow_once():
    for example in worked_examples():
        flow_text = text(build_flow(example["answers"], example["context"]))
        for field in FIELDS:
            value = example["answers"].get(field, "")
            for line in value.splitlines():
                shown = f"{line.strip()} →" if field == "emoties" else line.strip()
                if line.strip():
                    assert flow_text.count(shown) == 1, (example["id"], field, line)


def test_the_worked_examples_are_complete_fictional_and_free_of_judgement_words():
    examples = worked_examples()
    assert [e["soort"] for e in examples] == ["verzuim", "slecht_nieuws"]
    roster = (gespreksplan.config.REPO_ROOT / "voorbeelden" / "leerlingen.csv").read_text(encoding="utf-8")
    for example in examples:
        answers = example["answers"]
        needed = {"feiten", "positief_1", "gedeeld_doel", "school_kan", "school_kan_niet", "duur", "vervolg"}
        assert needed <= set(answers)
        assert oordeelwoorden.flag(answers["feiten"]) == []
        surname = example["context"]["student"].split()[-1]
        assert surname not in roster
        assert example["titel"] and example["id"]
    assert examples[1]["answers"]["boodschap"] and examples[1]["answers"]["tolk"] == "ja"
