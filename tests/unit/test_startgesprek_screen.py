"""The Startgesprekken and Gouden mail screens without a browser: set `.value`, `.click()`, read the widgets
and the stored rows.

Real services on a real migrated SQLite with the demo school (fixtures `stip_data`, `actor`, `demo_school`);
no mocks of Stip. No asyncio loop runs here, so autosaving forms are saved with `form.flush()`.
"""

from __future__ import annotations

import email
import io
import re
import zipfile
from datetime import date, datetime, time, timedelta
from email import policy

import ipywidgets as w
import pytest
from sqlalchemy import func, select

from stip import gouden_mail, invitations, planning, startgesprek, store
from stip.i18n import t
from stip.store import tables as T
from tests.unit.widget_tree import button, walk
from widgets.gouden_mail import GoudenMailScreen
from widgets.startgesprek import StartgesprekScreen

DAY = date(2031, 9, 9)  # a Tuesday
YESTERDAY = date.today() - timedelta(days=1)


# -- helpers -------------------------------------------------------------------------------------------


def downloaded(download_button) -> tuple[str, str, bytes]:
    """(file name, mime, bytes) of what one click on a DownloadButton sends to the browser."""
    sent = []
    download_button.send = lambda content, buffers=None: sent.append((content, buffers))
    download_button.click()
    assert len(sent) == 1, download_button.description
    (content, [data]) = sent[0]
    return content["filename"], content["mime"], bytes(data)


def student_id(roepnaam: str, achternaam: str) -> int:
    with store.write() as conn:
        return conn.execute(
            select(T.student.c.id).where(
                T.student.c.roepnaam == roepnaam, T.student.c.achternaam == achternaam
            )
        ).scalar_one()


def klas_id(name: str) -> int:
    with store.write() as conn:
        return conn.execute(select(T.klas.c.id).where(T.klas.c.name == name)).scalar_one()


def at(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(DAY, time(hour, minute))


def count(table) -> int:
    with store.write() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def conversation(sid: int) -> dict:
    with store.write() as conn:
        return conn.execute(select(T.conversation).where(T.conversation.c.student_id == sid)).mappings().one()


def saved(savebar) -> bool:
    return savebar.status == "saved" and savebar.text.startswith("Opgeslagen om ") and not savebar.dirty


def progress(actor, klas: str = "1A") -> startgesprek.Progress:
    kid = klas_id(klas)
    with store.write() as conn:
        return startgesprek.progress(conn, actor, kid)


def plan_slots(panel, start="17:00", end="19:00", breaks="18:00-18:15", location="lokaal 1.12") -> None:
    panel.day.value = DAY
    panel.start.value, panel.end.value = start, end
    panel.breaks.value, panel.location.value = breaks, location
    button(panel, t("startgesprek.add_slots")).click()


def slot_rows(panel) -> list[w.Dropdown]:
    return [line.children[0] for line in panel.table.children]


# -- PlanPanel -----------------------------------------------------------------------------------------


def test_plan_panel_makes_slots_places_families_and_offers_the_calendar(demo_school, actor):
    screen = StartgesprekScreen(query={"klas": "1A"})
    assert screen.klas_name == "1A" and screen.tabs.selected_index == 0
    assert screen.tabs.titles == tuple(t(key) for key in StartgesprekScreen.TABS)
    panel = screen.plan

    plan_slots(panel)
    assert panel.savebar.text == t("startgesprek.slots_added", count=5)
    assert "5 gesprekstijden; 0 van 26 gezinnen ingepland." in panel.summary.value
    assert [d.description for d in slot_rows(panel)] == [
        "di 9-9 17:00–17:20",
        "di 9-9 17:20–17:40",
        "di 9-9 17:40–18:00",
        "di 9-9 18:15–18:35",
        "di 9-9 18:35–18:55",
    ]
    kid = klas_id("1A")
    with store.write() as conn:
        stored = startgesprek.slots(conn, actor, kid)
    assert [r["location"] for r in stored] == ["lokaal 1.12"] * 5

    # A family chosen in a slot is stored.
    yousef = student_id("Yousef", "Alkhatib")
    slot_rows(panel)[1].value = yousef
    assert conversation(yousef)["slot_id"] == stored[1]["id"]
    assert "5 gesprekstijden; 1 van 26 gezinnen ingepland." in panel.summary.value
    assert saved(panel.savebar)
    assert slot_rows(panel)[1].value == yousef
    assert yousef not in [v for _l, v in slot_rows(panel)[0].options]  # planned once only

    # Moving the family to another slot frees the first one.
    slot_rows(panel)[1].value = 0
    slot_rows(panel)[3].value = yousef
    assert conversation(yousef)["slot_id"] == stored[3]["id"]
    assert [d.value for d in slot_rows(panel)] == [0, 0, 0, yousef, 0]

    button(panel, t("startgesprek.auto_assign")).click()
    assert panel.savebar.text.startswith("4 gezinnen ingedeeld. Nog zonder tijd: ")
    assert panel.savebar.text.count(", ") == 20  # the 21 families of 1A still without a time, by name
    assert "5 gesprekstijden; 5 van 26 gezinnen ingepland." in panel.summary.value
    assert all(d.value for d in slot_rows(panel)) and len({d.value for d in slot_rows(panel)}) == 5
    assert conversation(yousef)["slot_id"] == stored[3]["id"]  # planned by hand stays

    name, mime, data = downloaded(button(panel, t("startgesprek.ics")))
    assert (name, mime) == ("startgesprekken-1A.ics", "text/calendar")
    icalendar = pytest.importorskip("icalendar")
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert len(events) == 5
    assert "Startgesprek Yousef Alkhatib (1A)" in [str(e["SUMMARY"]) for e in events]


def test_auto_assign_counts_the_families_of_this_class_and_notes_siblings(demo_school, actor):
    nora, yassin = student_id("Nora", "Amrani"), student_id("Yassin", "Amrani")
    kid_2b = klas_id("2B")
    with store.write() as conn:  # Nora (2B) is planned at 17:00 with her own mentor
        mentor = conn.execute(select(T.klas.c.mentor_id).where(T.klas.c.id == kid_2b)).scalar_one()
        startgesprek.add_slots(conn, actor, kid_2b, [planning.Slot(at(17), at(17, 15), mentor)])
        startgesprek.assign_slot(conn, actor, nora, startgesprek.slots(conn, actor, kid_2b)[0]["id"])
    panel = StartgesprekScreen(query={"klas": "1A"}).plan
    panel.minutes.value = 15
    plan_slots(panel, start="16:30", end="17:30", breaks="")
    button(panel, t("startgesprek.auto_assign")).click()
    # Four 1A families in four slots; Nora, the anchor in 2B, is not counted as placed.
    # The message names every family still without a time, so the mentor knows whom to plan by hand.
    assert panel.savebar.text.startswith(
        "4 gezinnen ingedeeld. Broers en zussen zitten 1 keer direct na elkaar."
    )
    unplaced = panel.savebar.text.split("Nog zonder tijd: ")[1]
    assert unplaced.count(", ") == 21 and "Yassin" not in unplaced
    assert "4 gesprekstijden; 4 van 26 gezinnen ingepland." in panel.summary.value
    assert conversation(yassin)["slot_id"] is not None
    line = next(line for line in panel.table.children if line.children[0].value == yassin)
    assert line.children[0].description in ("di 9-9 16:45–17:00", "di 9-9 17:15–17:30")
    assert "broer/zus Nora (2B): di 9-9 17:00" in line.children[2].value


def test_plan_panel_bad_time_shows_a_dutch_message_and_stores_nothing(demo_school, actor):
    panel = StartgesprekScreen(query={"klas": "1A"}).plan
    plan_slots(panel, start="25:00")
    assert panel.savebar.status == "error"
    assert panel.savebar.text == t("startgesprek.time_invalid", text="25:00")
    assert panel.savebar.text.startswith("'25:00' is geen tijd.")
    assert count(T.slot) == 0 and panel.table.children == ()

    plan_slots(panel, breaks="18:00")
    assert panel.savebar.text == t("startgesprek.break_invalid", text="18:00") and count(T.slot) == 0
    plan_slots(panel, start="19:00", end="17:00", breaks="")
    assert panel.savebar.status == "error" and "{" not in panel.savebar.text and count(T.slot) == 0

    plan_slots(panel, breaks="")
    assert count(T.slot) == 6
    plan_slots(panel, start="18:30", end="19:30", breaks="")  # overlaps the slots just made
    assert panel.savebar.text.startswith("Om 09-09 18:30 is er al een gesprekstijd") and count(T.slot) == 6


# -- TalkPanel -----------------------------------------------------------------------------------------


def test_talk_panel_records_the_talk_and_shows_it_after_a_reload(demo_school, actor):
    screen = StartgesprekScreen(query={"klas": "1A"})
    screen.tabs.selected_index = 2
    talk = screen.talk
    lotte, yousef = student_id("Lotte", "Bakker"), student_id("Yousef", "Alkhatib")
    assert talk.student.value == yousef  # the first of the class
    talk.student.value = lotte
    assert talk.student_id == lotte

    guardians = {g["naam"]: g["id"] for g in talk.guardians}
    assert list(guardians) == ["Ruud Bakker"]
    fields = talk.talk_form.fields
    assert fields["present_student"].description == "Lotte was erbij"
    fields["shared_goal"].value = "Lotte wil haar planner elke dag bijhouden."
    fields["held_on"].value = YESTERDAY
    fields["present_student"].value = True
    fields[f"present_{guardians['Ruud Bakker']}"].value = True
    assert talk.savebar.dirty
    talk.talk_form.flush()
    row = conversation(lotte)
    assert row["shared_goal"] == "Lotte wil haar planner elke dag bijhouden." and row["held_on"] == YESTERDAY
    assert row["present"] == {"student": True, "guardians": [guardians["Ruud Bakker"]], "tolk": False}
    assert saved(talk.savebar)

    # A date in the future: the Dutch message under the field, nothing stored.
    fields["held_on"].value = date.today() + timedelta(days=3)
    talk.talk_form.flush()
    assert talk.talk_form.errors["held_on"].value == t("startgesprek.held_in_future")
    assert conversation(lotte)["held_on"] == YESTERDAY
    fields["held_on"].value = YESTERDAY
    talk.talk_form.flush()

    # An agreement: not stored without "wat", stored once it is there.
    button(talk.body, t("startgesprek.afspraak_add")).click()
    row_widget = talk.afspraken.children[-1]
    row_widget.form.fields["wie"].value = "Lotte en mentor"
    row_widget.form.flush()
    assert count(T.afspraak) == 0
    row_widget.form.fields["wat"].value = "Elke vrijdag samen de planner bekijken"
    row_widget.form.flush()
    with store.write() as conn:
        stored = startgesprek.afspraken(conn, actor, lotte)
    assert [(a["wat"], a["wie"], a["conversation_id"]) for a in stored] == [
        ("Elke vrijdag samen de planner bekijken", "Lotte en mentor", row["id"])
    ]
    row_widget.form.fields["wie"].value = "mentor"  # an update of the same row, not a new one
    row_widget.form.flush()
    with store.write() as conn:
        assert [(a["wie"], a["version"]) for a in startgesprek.afspraken(conn, actor, lotte)] == [
            ("mentor", 2)
        ]

    # Communicatieplan op maat.
    vormen = list(startgesprek.VORMEN)
    talk.plan_form.fields[f"vorm_{vormen.index('app')}"].value = True
    talk.plan_form.fields[f"vorm_{vormen.index('telefoon')}"].value = True
    talk.plan_form.fields["initiatief"].value = "samen"
    talk.plan_form.fields["frequentie"].value = "elke zes weken"
    talk.plan_form.flush()
    with store.write() as conn:
        plan = startgesprek.get_plan(conn, actor, lotte)
    assert (plan["vormen"], plan["initiatief"], plan["frequentie"]) == (
        ["telefoon", "app"],
        "samen",
        "elke zes weken",
    )

    # The family's wishes.
    talk.wishes_form.fields["collective_info"].value = "ja"
    talk.wishes_form.fields["buddy"].value = "wil hulp"
    talk.wishes_form.fields["collective_info_when"].value = "na de herfstvakantie"
    talk.wishes_form.flush()
    row = conversation(lotte)
    assert (row["collective_info"], row["buddy"], row["collective_info_when"]) == (
        "ja",
        "wil hulp",
        "na de herfstvakantie",
    )
    assert row["shared_goal"] == "Lotte wil haar planner elke dag bijhouden."  # the wishes kept the talk
    assert saved(talk.savebar)

    # Reload the screen: everything is shown again.
    again = StartgesprekScreen(query={"klas": "1A", "student": str(lotte)})
    assert again.tabs.selected_index == 2
    talk = again.talk
    assert talk.student.value == lotte
    values = talk.talk_form.values()
    assert values["shared_goal"] == "Lotte wil haar planner elke dag bijhouden."
    assert values["held_on"] == YESTERDAY and values["present_student"] is True
    assert values[f"present_{guardians['Ruud Bakker']}"] is True and values["present_tolk"] is False
    assert [r.form.values()["wat"] for r in talk.afspraken.children] == [
        "Elke vrijdag samen de planner bekijken"
    ]
    plan_values = talk.plan_form.values()
    assert [v for i, v in enumerate(vormen) if plan_values[f"vorm_{i}"]] == ["telefoon", "app"]
    assert plan_values["initiatief"] == "samen"
    assert talk.wishes_form.values() == {
        "collective_info": "ja",
        "collective_info_when": "na de herfstvakantie",
        "buddy": "wil hulp",
    }
    assert not talk.savebar.dirty and talk.savebar.text == ""


def test_switching_student_saves_pending_edits_on_the_student_they_were_typed_for(demo_school, actor):
    """A bug found here: a pending autosave (the timer fires about a second after typing) ran after the
    mentor chose another student, and stored the text on that other student."""
    screen = StartgesprekScreen(query={"klas": "1A"})
    screen.tabs.selected_index = 2
    talk = screen.talk
    yousef, lotte = student_id("Yousef", "Alkhatib"), student_id("Lotte", "Bakker")
    old_talk, old_plan = talk.talk_form, talk.plan_form
    old_talk.fields["shared_goal"].value = "Het doel van Yousef"
    old_plan.fields["momenten"].value = "na rapport 1"
    button(talk.body, t("startgesprek.afspraak_add")).click()
    old_row = talk.afspraken.children[-1].form
    old_row.fields["wat"].value = "Afspraak met Yousef"
    talk.student.value = lotte  # before the timer fired
    for form in (old_talk, old_plan, old_row):
        form.flush()  # what the timer would do a moment later: nothing left to save
    assert conversation(yousef)["shared_goal"] == "Het doel van Yousef"
    with store.read() as conn:  # opening Lotte's talk stored nothing
        assert startgesprek.get_conversation(conn, actor, lotte)["id"] is None
    with store.write() as conn:
        assert startgesprek.get_plan(conn, actor, yousef)["momenten"] == "na rapport 1"
        assert startgesprek.get_plan(conn, actor, lotte) is None
        assert [a["wat"] for a in startgesprek.afspraken(conn, actor, yousef)] == ["Afspraak met Yousef"]
        assert startgesprek.afspraken(conn, actor, lotte) == []
    assert talk.talk_form.values()["shared_goal"] == ""

    mail = GoudenMailScreen(query={"klas": "1A"})
    old = mail.form
    old.fields["positief"].value = "Over Yousef"
    mail.student.value = lotte
    old.flush()
    with store.write() as conn:
        assert gouden_mail.get(conn, actor, yousef)["positief"] == "Over Yousef"
        assert gouden_mail.get(conn, actor, lotte) is None


def test_talk_panel_prints_the_sheet_and_offers_the_pdf(demo_school, actor):
    import html as html_module

    screen = StartgesprekScreen(query={"klas": "1A"})
    screen.tabs.selected_index = 2
    talk = screen.talk
    talk.sheet_html.click()
    frame = talk.printer.value  # a hidden frame that opens the print dialog once loaded
    assert frame.startswith("<iframe") and "print()" in frame
    document = html_module.unescape(frame.split('srcdoc="')[1].split('"')[0])
    assert "Startgesprek met Yousef Alkhatib" in document and "Klas 1A" in document
    assert "<" not in frame.split('srcdoc="')[1].split('"')[0]  # the document cannot break out of the frame

    name, mime, data = downloaded(talk.sheet_pdf)
    assert (name, mime) == ("gespreksblad-Yousef.pdf", "application/pdf")
    assert data.startswith(b"%PDF")
    assert talk.savebar.status == "" and not talk.sheet_pdf.disabled


# -- InvitePanel ---------------------------------------------------------------------------------------


def stored_templates(actor) -> list[tuple[str, str, str]]:
    with store.write() as conn:
        rows = conn.execute(select(T.text_template).where(T.text_template.c.owner_id == actor.id)).all()
    return [(r.key, r.subject, r.body) for r in rows]


def test_invite_panel_template_is_stored_checked_and_reset(demo_school, actor):
    screen = StartgesprekScreen(query={"klas": "1A"})
    screen.tabs.selected_index = 1
    invite = screen.invite
    default = invitations.defaults("brief")
    assert invite.channel.value == "brief" and invite.body.value == default["body"]

    mine = "Beste {ouders},\nWelkom met {roepnaam} op {datum} om {tijd}.\nGroet, {mentor}"
    invite.body.value = mine
    invite.form.flush()
    assert stored_templates(actor) == [("invitation.brief", default["subject"], mine)]
    assert saved(invite.savebar)
    assert invite.preview.value.startswith(
        "Uitnodiging voor het startgesprek van Yousef\n\nBeste Huda Alkhatib"
    )

    invite.body.value = "Beste {onbekend},"
    invite.form.flush()
    assert invite.savebar.status == "error" and invite.savebar.dirty
    assert invite.savebar.text.startswith("Dit invulveld kent Stip niet: {onbekend}. Je kunt kiezen uit:")
    assert stored_templates(actor) == [("invitation.brief", default["subject"], mine)]

    button(invite, t("startgesprek.template_reset")).click()
    assert invite.body.value == default["body"] and invite.subject.value == default["subject"]
    assert invite.savebar.text == t("startgesprek.template_restored")
    assert stored_templates(actor) == []

    invite.channel.value = "app"  # another channel has its own default
    assert (
        invite.body.value == invitations.defaults("app")["body"] and invite.subject.layout.display == "none"
    )


def test_invite_panel_previews_a_family_and_offers_the_class(demo_school, actor):
    screen = StartgesprekScreen(query={"klas": "1A"})
    screen.plan.refresh()
    plan_slots(screen.plan, breaks="")
    lotte = student_id("Lotte", "Bakker")
    screen.tabs.selected_index = 1
    invite = screen.invite
    invite.family.value = lotte
    assert "Lotte" in invite.preview.value and t("startgesprek.to_plan") in invite.preview.value
    assert "nog geen gesprekstijd" in invite.unplanned.value

    kid = klas_id("1A")
    with store.write() as conn:
        slot = startgesprek.slots(conn, actor, kid)[2]
        startgesprek.assign_slot(conn, actor, lotte, slot["id"])
    screen.tabs.selected_index = 0
    screen.tabs.selected_index = 1  # showing the tab again reads the plan
    preview = invite.preview.value
    assert invite.family.value == lotte
    assert "Beste Ruud Bakker, Lotte en Thijs," in preview and "dinsdag 9 september om 17:40" in preview
    assert "lokaal 1.12" in preview and t("startgesprek.to_plan") not in preview and "{" not in preview

    name, mime, data = downloaded(button(invite, t("startgesprek.download_txt")))
    assert (name, mime) == ("uitnodiging-Lotte.txt", "text/plain") and data.decode("utf-8") == preview

    name, mime, data = downloaded(button(invite, t("startgesprek.class_txt")))
    assert (name, mime) == ("uitnodigingen-1A.txt", "text/plain")
    text = data.decode("utf-8")
    assert text.count("\n\n=====\n\n") == 0 and "Lotte" in text  # only families with a time
    assert "{" not in text

    name, mime, data = downloaded(button(invite, t("startgesprek.class_eml")))
    assert (name, mime) == ("uitnodigingen-1A.zip", "application/zip")
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert len(names) == 1 and all(n.endswith(".eml") for n in names)
    assert t("startgesprek.skipped_unplanned", count=25) in invite.class_status.value

    sem = student_id("Sem", "Dijk")
    invite.family.value = sem
    button(invite, t("startgesprek.download_eml")).click()  # no time yet: no invitation, a warning
    assert "nog geen gesprekstijd" in invite.family_status.value
    with store.write() as conn:
        startgesprek.assign_slot(conn, actor, sem, startgesprek.slots(conn, actor, kid)[3]["id"])
    screen.tabs.selected_index = 0
    screen.tabs.selected_index = 1
    invite.family.value = sem  # parents apart: two drafts in one zip
    name, mime, data = downloaded(button(invite, t("startgesprek.download_eml")))
    assert (name, mime) == ("uitnodigingen-Sem.zip", "application/zip")
    assert len(zipfile.ZipFile(io.BytesIO(data)).namelist()) == 2
    invite.family.value = lotte
    name, mime, data = downloaded(button(invite, t("startgesprek.download_eml")))
    assert (name, mime) == ("uitnodiging-Lotte.eml", "message/rfc822")
    message = email.message_from_bytes(data, policy=policy.default)
    assert message["To"] == "r.bakker@example.org" and message["X-Unsent"] == "1"

    assert progress(actor).invited == 0
    button(invite, t("startgesprek.mark_invited")).click()
    assert progress(actor).invited == 1 and conversation(lotte)["invited_via"] == "brief"
    button(invite, t("startgesprek.class_invited")).click()
    marked = t("startgesprek.invited_marked", count=2) + " " + t("startgesprek.skipped_unplanned", count=24)
    assert marked in invite.family_status.value  # Lotte and Sem have a time
    assert progress(actor).invited == 2
    assert progress(actor, "2B").invited == 0

    # The overview shows "X van Y".
    screen.tabs.selected_index = 3
    view = screen.overview.klas_view.value
    assert "Klas 1A" in view
    counts = re.findall(r'stip-bar__count">([^<]+)<', view)
    assert counts == ["2 van 26", "2 van 26", "0 van 26", "0 van 26", "0 van 26"]  # planned, invited, ...
    assert t("startgesprek.without_talk", count=26) in view
    school = screen.overview.school_view.value
    assert (
        "<td>1A</td><td>26</td><td>2</td><td>2</td>" in school  # students, planned, invited
        and "<td>2B</td><td>25</td><td>0</td>" in school
    )
    assert t("startgesprek.no_wishes") in school


def test_overview_counts_held_talks_and_wishes(demo_school, actor):
    yousef = student_id("Yousef", "Alkhatib")
    with store.write() as conn:
        version = startgesprek.get_conversation(conn, actor, yousef)["version"]
        startgesprek.save_conversation(
            conn,
            actor,
            yousef,
            {"held_on": YESTERDAY, "shared_goal": "Op tijd komen", "collective_info": "ja"},
            version,
        )
        startgesprek.save_plan(conn, actor, yousef, {"vormen": ["telefoon"]}, None)
    screen = StartgesprekScreen(query={"klas": "1A"})
    screen.tabs.selected_index = 3
    view = screen.overview.klas_view.value
    assert re.findall(r'stip-bar__count">([^<]+)<', view) == [
        "0 van 26",
        "0 van 26",
        "1 van 26",
        "1 van 26",
        "1 van 26",
    ]
    assert "Yousef Alkhatib" not in view and "Lotte Bakker" in view
    assert t("startgesprek.without_talk", count=25) in view
    school = screen.overview.school_view.value
    assert f"{t('startgesprek.collective_ja')}: 1" in school

    screen.klas.value = klas_id("2B")  # another class: its own counts
    assert "Klas 2B" in screen.overview.klas_view.value
    assert re.findall(r'stip-bar__count">([^<]+)<', screen.overview.klas_view.value)[2] == "0 van 25"


# -- GoudenMailScreen ----------------------------------------------------------------------------------


def row_state(table_html: str, naam: str) -> str:
    for row in re.findall(r"<tr>(.*?)</tr>", table_html):
        if f">{naam}</a>" in row:
            return re.findall(r"<td>([^<]*)</td>", row)[-1]
    raise AssertionError(f"{naam} not in the table")


def test_gouden_mail_screen_writes_previews_and_marks_sent(demo_school, actor):
    screen = GoudenMailScreen(query={"klas": "1A"})
    yousef = student_id("Yousef", "Alkhatib")
    assert screen.student.value == yousef and screen.student_id == yousef
    assert row_state(screen.table.value, "Yousef Alkhatib") == t("gouden_mail.state_none")
    assert t("gouden_mail.no_questions") in screen.separate.value  # beside the mail, not in it
    assert "Vragen voor" not in screen.preview.value

    positief = "Yousef hielp deze week een nieuwe klasgenoot de weg te vinden."
    screen.form.fields["positief"].value = positief
    screen.question("ouders-trots-waarop").value = True
    screen.question("leerling-trots-goed").value = True
    screen.form.flush()
    with store.write() as conn:
        record = gouden_mail.get(conn, actor, yousef)
    assert record["positief"] == positief and record["status"] == "concept"
    assert sorted(record["vragen"]) == ["leerling-trots-goed", "ouders-trots-waarop"]
    assert saved(screen.savebar)

    preview = screen.preview.value
    assert preview.startswith("Iets moois over Yousef\n\nBeste Huda Alkhatib en Omar Alkhatib,")
    assert positief in preview
    assert "- Waar bent u trots op bij uw kind?" in preview
    assert "- Wat kun je goed, op school of daarbuiten?" in preview
    assert "{" not in preview and "Vragen voor u:\n- Waar bent u trots op" in preview
    assert t("gouden_mail.no_questions") not in screen.separate.value

    name, mime, data = downloaded(button(screen, t("startgesprek.download_eml")))  # one click, one draft
    assert (name, mime) == ("gouden-mail-Yousef.eml", "message/rfc822")
    message = email.message_from_bytes(data, policy=policy.default)
    assert message["X-Unsent"] == "1" and positief in message.get_body().get_content()

    button(screen, t("gouden_mail.mark_verstuurd")).click()
    with store.write() as conn:
        record = gouden_mail.get(conn, actor, yousef)
    assert record["status"] == "verstuurd" and record["sent_at"] is not None
    assert row_state(screen.table.value, "Yousef Alkhatib") == t("gouden_mail.state_verstuurd") == "verstuurd"
    assert row_state(screen.table.value, "Lotte Bakker") == t("gouden_mail.state_none")
    assert t("gouden_mail.state_verstuurd") in screen.state.value

    again = GoudenMailScreen(query={"student": str(yousef)})  # reload: the text and the questions are back
    assert again.form.values()["positief"] == positief
    assert (
        again.question("ouders-trots-waarop").value is True
        and again.question("ouders-thuis-dag").value is False
    )


def test_gouden_mail_screen_refuses_klaar_without_positief(demo_school, actor):
    screen = GoudenMailScreen(query={"klas": "1A"})
    button(screen, t("gouden_mail.mark_klaar")).click()
    assert t("gouden_mail.needs_positief") in screen.state.value  # said next to the button
    assert count(T.gouden_mail) == 0
    assert row_state(screen.table.value, "Yousef Alkhatib") == t("gouden_mail.state_none")


def test_invite_panel_copies_the_whole_class_and_asks_for_what_of_an_afspraak(demo_school, actor):
    screen = StartgesprekScreen(query={"klas": "1A"})
    plan_slots(screen.plan, start="09:00", end="18:00", breaks="")
    button(screen.plan, t("startgesprek.auto_assign")).click()
    screen.tabs.selected_index = 1
    text = screen.invite.class_copy.text
    assert text.count("=====") + 1 == 27  # 26 families; the separated parents of one get one each
    assert "Yousef" in text and "{" not in text
    screen.tabs.selected_index = 2
    talk = screen.talk
    talk._on_add_afspraak(None)
    row = talk.afspraken.children[-1]
    row.form.fields["wie"].value = "mentor"
    row.form.flush()
    assert talk.savebar.text == t("startgesprek.afspraak_needs_wat")
    assert count(T.afspraak) == 0


def test_deleting_a_planned_slot_asks_first_and_names_the_family(demo_school, actor):
    screen = StartgesprekScreen(query={"klas": "1A"})
    panel = screen.plan
    plan_slots(panel, breaks="")
    first = slot_rows(panel)[0]
    lotte = student_id("Lotte", "Bakker")
    first.value = lotte
    trash = [b for b in walk(panel.table) if isinstance(b, w.Button)][0]
    trash.click()
    assert conversation(lotte)["slot_id"] is not None  # nothing gone yet: a question first
    assert "Lotte Bakker" in panel.confirm.children[0].value
    button(panel.confirm, t("startgesprek.delete_slot_yes")).click()
    assert conversation(lotte)["slot_id"] is None
    assert panel.savebar.text == t("startgesprek.slot_deleted_family", naam="Lotte Bakker")


def test_a_student_link_opens_that_students_class_and_talk(demo_school, actor):
    thijs = student_id("Thijs", "Bakker")  # in 2B, not the first class
    screen = StartgesprekScreen(query={"student": str(thijs)})
    assert screen.klas_name == "2B" and screen.tabs.selected_index == 2
    assert screen.talk.student.value == thijs


def test_gouden_mail_screen_says_at_the_field_what_is_missing_and_never_quietly_unsends(demo_school, actor):
    screen = GoudenMailScreen(query={"klas": "1A"})
    yousef = screen.student_id
    eml = button(screen, t("startgesprek.download_eml"))
    sent = []
    eml.send = lambda content, buffers=None: sent.append(content)

    eml.click()  # nothing written yet: no draft, the message stands at the positive message
    assert not sent and t("gouden_mail.needs_positief") in screen.form.errors["positief"].value
    screen.form.fields["positief"].value = "Yousef hielp een klasgenoot."
    screen.form.flush()
    button(screen, t("gouden_mail.mark_klaar")).click()  # no question chosen yet
    assert t("gouden_mail.needs_question") in screen.questions_message.value
    eml.click()
    assert not sent
    with store.read() as conn:
        assert gouden_mail.get(conn, actor, yousef)["status"] == "concept"

    screen.question("ouders-trots-waarop").value = True
    assert screen.questions_message.value == ""
    eml.click()
    assert len(sent) == 1
    button(screen, t("gouden_mail.mark_verstuurd")).click()
    button(screen, t("gouden_mail.mark_klaar")).click()  # on a sent mail: refused, still sent
    assert t("gouden_mail.already_sent") in screen.state.value
    with store.read() as conn:
        assert gouden_mail.get(conn, actor, yousef)["status"] == "verstuurd"
    button(screen, t("gouden_mail.undo_sent")).click()  # asked for on purpose
    with store.read() as conn:
        assert gouden_mail.get(conn, actor, yousef)["status"] == "klaar"
    assert screen.undo.layout.display == "none" and not screen.sent_button.disabled
