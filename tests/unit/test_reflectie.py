"""Terugblikken (issue 15 §5): the ALACT reflection after a conversation, private to its author unless
shared, intentions over time, the inzage and deletion, and the screen without a browser.

Real services on a real migrated SQLite with the demo school; no mocks of Stip. No asyncio loop runs here,
so autosaving forms are saved with `form.flush()`.
"""

from __future__ import annotations

from datetime import date, timedelta

import ipywidgets as w
import pytest
from sqlalchemy import func, select

from stip import privacy, reflectie, schools, startgesprek, store
from stip.i18n import t
from stip.store import VersionConflict
from stip.store import tables as T
from tests.unit.widget_tree import walk
from widgets.components.stepper import Stepper
from widgets.reflectie import ReflectieScreen, terugblik_link

XSS = "<img src=x onerror=alert(1)>"


def student_id(roepnaam: str, achternaam: str) -> int:
    with store.read() as conn:
        return conn.execute(
            select(T.student.c.id).where(
                T.student.c.roepnaam == roepnaam, T.student.c.achternaam == achternaam
            )
        ).scalar_one()


def held_talk(actor, sid: int, day: date | None = None) -> int:
    """A startgesprek held (by `actor`) with student `sid`; returns the conversation's id."""
    with store.write() as conn:
        startgesprek.save_conversation(conn, actor, sid, {"held_on": day or date.today()}, 1)
        return conn.execute(
            select(T.conversation.c.id).where(T.conversation.c.student_id == sid)
        ).scalar_one()


@pytest.fixture
def colleague(demo_school, monkeypatch):
    """Another staff member of the same school: the one acting when STIP_USER says "collega"."""
    monkeypatch.setenv("STIP_USER", "collega")
    with store.write() as conn:
        other = schools.acting_staff_member(conn)
    monkeypatch.setenv("STIP_USER", "testmentor")
    return other


@pytest.fixture
def yousef(demo_school):
    return student_id("Yousef", "Alkhatib")


# -- services ------------------------------------------------------------------------------------------


def test_first_save_creates_the_reflection_and_later_saves_are_versioned(actor, yousef):
    cid = held_talk(actor, yousef)
    with store.write() as conn:
        rid, version = reflectie.save(
            conn, actor, None, cid, {"handelen": "  Ik opende met iets positiefs. "}
        )
        assert version == 1
        rid2, version = reflectie.save(
            conn, actor, rid, cid, {"voornemen": "Eerst de leerling laten praten"}, 1
        )
        assert (rid2, version) == (rid, 2)
        stored = reflectie.for_conversation(conn, actor, cid)
    assert stored["handelen"] == "Ik opende met iets positiefs."
    assert stored["voornemen"] == "Eerst de leerling laten praten"
    assert stored["student_id"] == yousef and stored["conversation_id"] == cid
    assert stored["author_id"] == actor.id and stored["shared"] is False
    with store.write() as conn, pytest.raises(VersionConflict):
        reflectie.save(conn, actor, rid, cid, {"essentie": "x"}, 1)  # a stale page


def test_texts_are_checked_and_geprobeerd_is_one_of_the_choices(actor, yousef):
    cid = held_talk(actor, yousef)
    with store.write() as conn:
        with pytest.raises(reflectie.ReflectieError) as refused:
            reflectie.save(conn, actor, None, cid, {"handelen": "a\x00b"})
        assert refused.value.field == "handelen" and refused.value.message_key == "validation.bad_character"
        rid, version = reflectie.save(conn, actor, None, cid, {"voornemen": "Vaker bellen"})
        with pytest.raises(reflectie.ReflectieError) as refused:
            reflectie.set_geprobeerd(conn, actor, rid, "misschien", version)
        assert refused.value.field == "voornemen_geprobeerd"
        assert reflectie.set_geprobeerd(conn, actor, rid, "deels", version) == version + 1
    with store.write() as conn, pytest.raises(reflectie.ReflectieError) as refused:
        reflectie.save(conn, actor, None, 999_999, {"handelen": "x"})
    assert refused.value.message_key == "reflectie.conversation_not_found"


def test_missing_lists_each_empty_step_gently():
    gaps = reflectie.missing({"handelen": "iets", "voornemen": "  "})
    assert gaps["handelen"] == []
    assert gaps["uitproberen"] == ["je voornemen"]  # the intention is what step 5 asks for
    assert all(gaps[key] for key in ("terugblikken", "essentie", "alternatieven"))
    assert [s["title"] for s in reflectie.steps()] == [
        "Handelen",
        "Terugblikken",
        "Bewust worden van wezenlijke aspecten",
        "Alternatieven ontwikkelen",
        "Uitproberen",
    ]
    assert "Korthagen" in reflectie.texts()["intro"] and "Korthagen" in reflectie.texts()["source"]


# -- private to its author: a query filter -------------------------------------------------------------


def test_a_private_reflection_is_invisible_to_a_colleague_also_in_counts(actor, colleague, yousef):
    cid = held_talk(actor, yousef)
    with store.write() as conn:
        rid, version = reflectie.save(conn, actor, None, cid, {"handelen": "Privé", "voornemen": "Rustiger"})
    with store.read() as conn:
        assert reflectie.get(conn, colleague, rid) is None
        assert reflectie.for_conversation(conn, colleague, cid) is None
        assert reflectie.mine(conn, colleague) == []
        assert reflectie.count_visible(conn, colleague) == 0
        assert reflectie.count_visible(conn, colleague, [yousef]) == 0
        assert reflectie.count_visible(conn, actor, [yousef]) == 1
        assert reflectie.get(conn, actor, rid)["handelen"] == "Privé"
    # A colleague can neither change nor delete it (their update matches no row).
    with store.write() as conn:
        with pytest.raises(VersionConflict):
            reflectie.save(conn, colleague, rid, cid, {"handelen": "overschreven"}, version)
        assert reflectie.delete_reflection(conn, colleague, rid) is False
    # Shared: the colleague reads it (and counts it), but still cannot change it.
    with store.write() as conn:
        version = reflectie.save(conn, actor, rid, cid, {"shared": True}, version)[1]
    with store.read() as conn:
        assert reflectie.get(conn, colleague, rid)["handelen"] == "Privé"
        assert reflectie.count_visible(conn, colleague) == 1
        assert reflectie.mine(conn, colleague) == []  # "mine" is the author's own list
    with store.write() as conn, pytest.raises(VersionConflict):
        reflectie.save(conn, colleague, rid, cid, {"handelen": "overschreven"}, version)
    with store.write() as conn:
        assert reflectie.delete_reflection(conn, actor, rid) is True


def test_a_colleague_writes_their_own_reflection_on_the_same_conversation(actor, colleague, yousef):
    cid = held_talk(actor, yousef)
    with store.write() as conn:
        reflectie.save(conn, actor, None, cid, {"handelen": "van mij"})
        reflectie.save(conn, colleague, None, cid, {"handelen": "van de collega"})
    with store.read() as conn:
        assert reflectie.for_conversation(conn, actor, cid)["handelen"] == "van mij"
        assert reflectie.for_conversation(conn, colleague, cid)["handelen"] == "van de collega"


# -- conversations and intentions over time -------------------------------------------------------------


def test_my_conversations_are_the_held_ones_newest_first_with_whether_i_reflected(actor, colleague, yousef):
    lotte = student_id("Daan", "Vries")
    older = held_talk(actor, yousef, date.today() - timedelta(days=20))
    newer = held_talk(actor, lotte, date.today() - timedelta(days=2))
    with store.write() as conn:
        reflectie.save(conn, actor, None, older, {"handelen": "x"})
    with store.read() as conn:
        talks = reflectie.my_conversations(conn, actor)
        theirs = reflectie.my_conversations(conn, colleague)
        latest = reflectie.latest_conversation(conn, actor, yousef)
        assert reflectie.conversation(conn, actor, "1") is None
    assert [(x["id"], x["reflected"]) for x in talks] == [(newer, False), (older, True)]
    assert talks[0]["naam"] == "Daan de Vries" and talks[0]["kind"] == "startgesprek"
    assert theirs == []  # not recorded by the colleague, not a student of their classes
    assert latest["id"] == older


def test_intentions_over_time_newest_first_and_marked_tried(actor, yousef):
    lotte = student_id("Daan", "Vries")
    first = held_talk(actor, yousef, date.today() - timedelta(days=30))
    second = held_talk(actor, lotte, date.today() - timedelta(days=3))
    with store.write() as conn:
        r1, v1 = reflectie.save(conn, actor, None, first, {"voornemen": "Vaker iets positiefs melden"})
        reflectie.save(conn, actor, None, second, {"handelen": "nog geen voornemen"})
        reflectie.set_geprobeerd(conn, actor, r1, "ja", v1)
    with store.read() as conn:
        items = reflectie.mine(conn, actor)
    assert [i["conversation_id"] for i in items] == [second, first]
    assert items[0]["naam"] == "Daan de Vries" and items[0]["voornemen"] == ""
    assert items[1]["voornemen_geprobeerd"] == "ja" and items[1]["steps_done"] == 1
    assert reflectie.tried_summary(items) == {"open": 0, "ja": 1, "deels": 0, "nee": 0}


def test_the_list_is_one_statement_whatever_the_number_of_reflections(actor, yousef):
    cid = held_talk(actor, yousef)
    with store.write() as conn:
        for n in range(30):
            reflectie.save(conn, actor, None, cid, {"voornemen": f"voornemen {n}"})
    with store.read() as conn, store.counting_statements() as statements:
        reflectie.mine(conn, actor)
        reflectie.my_conversations(conn, actor)
    assert len(statements) == 2


# -- inzage and deletion -------------------------------------------------------------------------------


def test_every_reflection_is_in_the_inzage_with_dutch_labels_and_goes_with_the_student(
    actor, colleague, yousef
):
    cid = held_talk(actor, yousef)
    with store.write() as conn:
        reflectie.save(conn, actor, None, cid, {"handelen": XSS, "voornemen": "Luisteren"})
        reflectie.save(conn, colleague, None, cid, {"essentie": "privé van de collega"})
        guardian = (
            conn.execute(
                select(T.student_guardian.c.guardian_id).where(T.student_guardian.c.student_id == yousef)
            )
            .scalars()
            .first()
        )
        data = privacy.inzage(conn, actor, yousef, for_guardian_id=guardian)
    rows = data["records"]["reflections"]
    assert {r["essentie"] for r in rows} == {"", "privé van de collega"}  # private ones too (AVG art. 15)
    page = privacy.inzage_html(data)
    assert t("reflectie.table_reflections") in page and t("reflectie.field_voornemen") in page
    assert "Luisteren" in page and XSS not in page and "&lt;img src=x" in page
    with store.write() as conn:
        privacy.delete_student(conn, actor, yousef)
        assert conn.execute(select(func.count()).select_from(T.reflection)).scalar_one() == 0


def test_deleting_the_conversation_deletes_its_reflections(actor, yousef):
    cid = held_talk(actor, yousef)
    with store.write() as conn:
        reflectie.save(conn, actor, None, cid, {"handelen": "x"})
        conn.execute(T.conversation.delete().where(T.conversation.c.id == cid))
        assert conn.execute(select(func.count()).select_from(T.reflection)).scalar_one() == 0


# -- the screen without a browser ----------------------------------------------------------------------


def texts_of(root) -> dict[str, w.Widget]:
    return {x.description: x for x in walk(root) if isinstance(x, w.Text | w.Textarea | w.Checkbox)}


def test_screen_from_a_link_fills_five_steps_saves_and_shows_them_again(actor, yousef):
    cid = held_talk(actor, yousef)
    screen = ReflectieScreen({"conversation": str(cid)})
    assert screen.ready
    assert screen.conversation.value == cid
    stepper = next(x for x in walk(screen) if isinstance(x, Stepper))
    assert [s.title for s in stepper.steps][0] == "Handelen" and len(stepper.steps) == 5
    answers = {
        "handelen": "Ik vertelde eerst wat goed ging.",
        "terugblikken": "Ik wilde vertrouwen; moeder was gespannen, Yousef stil.",
        "essentie": "Yousef kwam pas los toen hij zelf mocht beginnen.",
        "alternatieven": "De leerling openen laten; minder zelf praten.",
        "voornemen": "Volgende keer laat ik de leerling beginnen.",
        "uitproberen": "Bij de tien-minutengesprekken in maart.",
    }
    for number, step in enumerate(stepper.steps):
        stepper.go(number)  # never blocked, also with empty steps on the way
        assert stepper.index == number
        for name, widget in step.form.fields.items():
            if name in answers:
                widget.value = answers[name]
        step.form.flush()
        assert step.state == "done"
    assert screen.savebar.status == "saved"
    with store.read() as conn:
        stored = reflectie.for_conversation(conn, actor, cid)
    assert {k: stored[k] for k in answers} == answers

    again = ReflectieScreen({"conversation": str(cid)})
    stepper = next(x for x in walk(again) if isinstance(x, Stepper))
    assert all(step.state == "done" for step in stepper.steps)
    assert stepper.steps[4].form.fields["voornemen"].value == answers["voornemen"]

    # The list: the intention, marked as tried.
    again.tabs.selected_index = 1
    rows = again.rows
    assert len(rows) == 1 and answers["voornemen"] in rows[0].children[0].value
    rows[0].form.fields["voornemen_geprobeerd"].value = "ja"
    rows[0].form.flush()
    with store.read() as conn:
        assert reflectie.mine(conn, actor)[0]["voornemen_geprobeerd"] == "ja"
    assert "1 ja" in again.summary.value
    assert "gedeeld" not in rows[0].children[0].value
    # Editing the text after marking it keeps working (one version per reflection on the screen).
    stepper.steps[0].form.fields["handelen"].value = "Aangevuld."
    stepper.steps[0].form.flush()
    stepper.steps[4].form.fields["shared"].value = True
    stepper.steps[4].form.flush()
    assert again.savebar.status == "saved"
    again.tabs.selected_index = 0
    again.tabs.selected_index = 1  # the list is read again after a change in the steps
    assert "gedeeld met collega&#x27;s" in again.rows[0].children[0].value


def test_screen_gives_gentle_notes_and_never_blocks(actor, yousef):
    cid = held_talk(actor, yousef)
    screen = ReflectieScreen({"conversation": str(cid)})
    stepper = screen.form.stepper
    assert stepper.go(4) and stepper.index == 4
    assert stepper.steps[0].state == "warning" and stepper.steps[0].missing
    assert stepper.go(0)
    assert "een korte beschrijving" in stepper._warning.value


def test_screen_without_query_chooses_one_of_my_conversations(actor, yousef):
    cid = held_talk(actor, yousef)
    screen = ReflectieScreen({})
    assert screen.ready and screen.conversation.value is None and screen.form is None
    assert [value for _label, value in screen.conversation.options] == [None, cid]
    screen.conversation.value = cid
    screen.form.stepper.go(4)
    texts_of(screen)["Mijn voornemen"].value = "Korter"
    screen.form.flush()
    screen.conversation.value = None  # switching away keeps what was typed
    with store.read() as conn:
        assert reflectie.for_conversation(conn, actor, cid)["voornemen"] == "Korter"
    assert "terugblik geschreven" in ReflectieScreen({}).conversation.options[1][0]


def test_screen_with_an_unknown_or_foreign_conversation_says_so(actor, colleague, yousef):
    screen = ReflectieScreen({"conversation": "999999"})
    assert screen.ready and "niet gevonden" in screen.notice.value
    empty = ReflectieScreen({})
    assert "nog geen gehouden gesprekken" in empty.notice.value
    screen.tabs.selected_index = 1
    assert t("reflectie.list_empty") in screen.summary.value


def test_screen_escapes_names_and_intentions(actor, yousef):
    cid = held_talk(actor, yousef)
    with store.write() as conn:
        conn.execute(T.student.update().where(T.student.c.id == yousef).values(roepnaam=XSS))
        reflectie.save(conn, actor, None, cid, {"voornemen": XSS})
    screen = ReflectieScreen({"conversation": str(cid)})
    screen.tabs.selected_index = 1
    html = "".join(x.value for x in walk(screen) if isinstance(x, w.HTML))
    assert XSS not in html and "&lt;img" in html


def test_a_colleague_opening_the_link_gets_an_empty_reflection_of_their_own(
    actor, colleague, yousef, monkeypatch
):
    cid = held_talk(actor, yousef)
    with store.write() as conn:
        reflectie.save(conn, actor, None, cid, {"handelen": "geheim"})
    monkeypatch.setenv("STIP_USER", "collega")
    screen = ReflectieScreen({"conversation": str(cid)})
    assert screen.actor.id == colleague.id
    html_and_values = [getattr(x, "value", "") for x in walk(screen)]
    assert not any("geheim" in str(v) for v in html_and_values)


def test_the_link_on_a_conversation_screen():
    assert 'href="Reflectie.ipynb?conversation=7"' in terugblik_link(7, 3).value
    assert 'href="Reflectie.ipynb?student=3"' in terugblik_link(None, 3).value
    assert "Terugblikken op dit gesprek" in terugblik_link(7).value


def test_the_screen_runs_as_many_statements_for_many_reflections_as_for_few(actor, yousef):
    cid = held_talk(actor, yousef)
    other = held_talk(actor, student_id("Daan", "Vries"))

    def statements(n_reflections: int) -> int:
        with store.write() as conn:
            conn.execute(T.reflection.delete())
        with store.write() as conn:
            for n in range(n_reflections):
                reflectie.save(conn, actor, None, cid if n % 2 else other, {"voornemen": f"v{n}"})
        with store.counting_statements() as seen:
            screen = ReflectieScreen({"conversation": str(cid)})
            screen.tabs.selected_index = 1
        assert len(screen.rows) == n_reflections
        return len(seen)

    assert statements(2) == statements(20)


def test_two_pages_on_one_reflection_lose_nothing_silently(actor, yousef):
    cid = held_talk(actor, yousef)
    first = ReflectieScreen({"conversation": str(cid)})
    handelen = first.form.stepper.steps[0].form
    handelen.fields["handelen"].value = "Eerste pagina"
    handelen.flush()
    second = ReflectieScreen({"conversation": str(cid)})
    assert second.form.stepper.steps[0].form.fields["handelen"].value == "Eerste pagina"
    second.form.stepper.steps[1].form.fields["terugblikken"].value = "Tweede pagina"
    second.form.stepper.steps[1].form.flush()
    # The first page is now stale: its next save is refused with "Herladen", never overwriting.
    handelen.fields["handelen"].value = "Eerste pagina, aangevuld"
    handelen.flush()
    assert first.savebar.status == "conflict"
    first.reload()
    assert first.form.stepper.steps[1].form.fields["terugblikken"].value == "Tweede pagina"
    with store.read() as conn:
        stored = reflectie.for_conversation(conn, actor, cid)
    assert (stored["handelen"], stored["terugblikken"]) == ("Eerste pagina", "Tweede pagina")


def test_the_author_deletes_a_reflection_after_confirming(actor, yousef):
    cid = held_talk(actor, yousef)
    screen = ReflectieScreen({"conversation": str(cid)})
    handelen = screen.form.stepper.steps[0].form
    handelen.fields["handelen"].value = "Iets wat ik liever niet bewaar"
    handelen.flush()
    remove = screen.form.remove
    remove.click()
    assert remove.description == "Echt verwijderen? Klik nogmaals"
    with store.read() as conn:
        assert reflectie.for_conversation(conn, actor, cid) is not None  # one click deletes nothing
    handelen.fields["handelen"].value = "nog getypt, niet bewaard"  # waiting to be saved: goes too
    remove.click()
    with store.read() as conn:
        assert reflectie.for_conversation(conn, actor, cid) is None
        assert conn.execute(select(func.count()).select_from(T.reflection)).scalar_one() == 0
    assert screen.savebar.text == "De terugblik is verwijderd."
    assert screen.form.stepper.steps[0].form.fields["handelen"].value == ""
    handelen.flush()  # the old form's pending change is dropped, never stored as a new reflection
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(T.reflection)).scalar_one() == 0
