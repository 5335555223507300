"""The tabs Agenda, Contact vastleggen and Afspraken of the Communicatieplan workbook, driven without a
browser (issue 15 §2–4): one click to log a due contact, moving with a reason, a contact that saves
itself, an agreement added and evaluated, refusals at the field while the rest saves, "Herladen" on a
version conflict, and statements per agenda refresh that do not grow with the class."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select, update

from stip import afspraken, contacten, schools, store
from stip.i18n import t
from stip.store import tables as T
from tests.unit.test_contacten_afspraken import class_ids, fixed_today, make_plan
from tests.unit.test_screen_queries import build_school
from widgets.communicatieplan import CommunicatieplanScreen


def screen(tab: str, **query) -> CommunicatieplanScreen:
    made = CommunicatieplanScreen(query={"klas": "1A", "tab": tab, **query})
    assert made.ready
    return made


def test_agenda_log_with_one_click_and_move_with_a_reason(demo_school, actor, monkeypatch):
    today = fixed_today(monkeypatch, actor)
    monday = today - timedelta(days=today.weekday())
    a, b = class_ids(actor, "1A")[:2]
    make_plan(actor, a, [("datum", (monday + timedelta(days=1)).isoformat(), "telefoon")])
    make_plan(actor, b, [("datum", (monday + timedelta(days=3)).isoformat(), "mail")])
    panel = screen("agenda").agenda
    assert [(r.entry.student_id, r.entry.day) for r in panel.rows] == [
        (a, monday + timedelta(days=1)),
        (b, monday + timedelta(days=3)),
    ]
    first = panel.rows[0]
    first.done_button.click()
    assert first.kanaal.value == "telefoon"
    first.regel.value = "Trots op de presentatie"
    positive = first.tone_buttons[0]
    assert positive.description == "positief"
    positive.click()
    assert [r.entry.student_id for r in panel.rows] == [b]  # it left the agenda
    with store.read() as conn:
        last = contacten.last_contacts(conn, actor, [a])[a]
    assert (last["toon"], last["regel"], last["kanaal"]) == (
        "positief",
        "Trots op de presentatie",
        "telefoon",
    )

    row = panel.rows[0]
    row.move_button.click()
    row.reason.value = ""
    row.detail.children[-1].click()
    assert row.reason_error.value and row.reason_error.layout.display is None
    row.moved_to.value = today - timedelta(days=2)
    row.reason.value = "Vader belt terug"
    row.detail.children[-1].click()
    assert row.moved_to_error.value and not row.reason_error.value
    row.moved_to.value = monday + timedelta(days=9)
    row.detail.children[-1].click()
    assert [(r.entry.day, r.entry.moved) for r in panel.rows] == [(monday + timedelta(days=9), True)]
    assert "Vader belt terug" in panel.rows[0].label.value
    assert panel.savebar.status in ("", "info", "saved")

    # a second page marked it meanwhile: "Herladen"
    stale = panel.rows[0]
    with store.write() as conn:
        conn.execute(update(T.agenda_item).values(version=T.agenda_item.c.version + 1))
    stale.done_button.click()
    stale.tone_buttons[1].click()
    assert panel.savebar.status == "conflict"


def test_agenda_ics_download(demo_school, actor, monkeypatch):
    import icalendar

    today = fixed_today(monkeypatch, actor)
    a = class_ids(actor, "1A")[0]
    make_plan(actor, a, [("datum", (today + timedelta(days=2)).isoformat(), "video")])
    panel = screen("agenda").agenda
    sent = panel.ics.click()
    parsed = icalendar.Calendar.from_ical(sent.data)
    (event,) = parsed.walk("VEVENT")
    assert event.decoded("dtstart") == today + timedelta(days=2)
    assert sent.filename == "agenda-1A.ics"


def test_contact_saves_itself_and_refuses_at_the_field(demo_school, actor, monkeypatch):
    today = fixed_today(monkeypatch, actor)
    sid = class_ids(actor, "2B")[3]
    panel = screen("contact").contact
    panel.picker.value = sid
    form = panel.form
    form.fields["regel"].value = "Belde over de excursie"
    form.flush()
    assert panel.contact_id is None and panel.savebar.status == "info"  # waits for the tone
    form.fields["toon"].value = "neutraal"
    form.flush()
    assert panel.contact_id is not None
    form.fields["happened_on"].value = today + timedelta(days=3)
    form.fields["regel"].value = "Belde over de excursie naar Den Haag"
    form.flush()
    assert form.errors["happened_on"].value  # the day is refused at its field …
    with store.read() as conn:
        (stored,) = contacten.contacts(conn, actor, sid)
    assert stored["regel"] == "Belde over de excursie naar Den Haag"  # … the line was saved
    assert stored["happened_on"] == today
    assert "Den Haag" in panel.recent.value

    panel.another.click()
    panel.prompt_buttons[0].click()
    form.flush()
    with store.read() as conn:
        newest = contacten.contacts(conn, actor, sid)[0]
    # The prompt's dots are never stored as they are: the line waits, the positive contact is there.
    assert newest["toon"] == "positief" and newest["regel"] == ""
    assert form.errors["regel"].value == t("contacten.fill_dots")
    filled = panel.prompt_buttons[0].description.replace("…", "ze hielp een klasgenoot")
    form.fields["regel"].value = filled
    form.flush()
    with store.read() as conn:
        assert contacten.contacts(conn, actor, sid)[0]["regel"] == filled
    assert "kenniskring" in panel.prompts.children[-1].value.lower()


def test_contact_text_is_escaped(demo_school, actor, monkeypatch):
    fixed_today(monkeypatch, actor)
    sid = class_ids(actor, "1A")[0]
    with store.write() as conn:
        contacten.log_contact(
            conn, actor, sid, {"kanaal": "app", "toon": "zorg", "regel": "<img src=x onerror=1>"}
        )
    panel = screen("contact", student=str(sid)).contact
    assert panel.student_id == sid
    assert "<img" not in panel.recent.value and "&lt;img" in panel.recent.value


def test_agreement_added_evaluated_and_refused_at_the_field(demo_school, actor, monkeypatch):
    today = fixed_today(monkeypatch, actor)
    a, b = class_ids(actor, "1A")[:2]
    with store.write() as conn:
        afspraken.save_afspraak(conn, actor, a, None, {"wat": "Later", "wanneer": today + timedelta(days=20)})
        afspraken.save_afspraak(
            conn, actor, a, None, {"wat": "Te laat", "wanneer": today - timedelta(days=1)}
        )
    panel = screen("afspraken").afspraken
    assert ["Te laat" in i.summary.value for i in panel.items.children] == [True, False]
    assert "te laat" in panel.items.children[0].summary.value

    panel.student.value = b
    panel.add.click()
    item = panel.items.children[0]
    assert item.afspraak_id is None and item.form is not None
    form = item.form
    form.fields["wie"].value = "moeder"
    form.flush()
    assert item.afspraak_id is None  # nothing stored without "wat"
    form.fields["wat"].value = "Moeder belt bij ziekte voor 8 uur"
    form.fields["eigenaar"].value = "ouders"
    form.flush()
    assert item.afspraak_id is not None
    form.fields["wanneer"].value = today.replace(year=today.year + 40)
    form.fields["vervolg"].value = "Volgende maand opnieuw bekijken"
    form.flush()
    assert form.errors["wanneer"].value
    form.fields["wanneer"].value = today + timedelta(days=14)
    form.fields["geholpen"].value = "ja"
    form.fields["status"].value = "gedaan"
    form.flush()
    assert not form.errors["wanneer"].value
    with store.read() as conn:
        (stored,) = afspraken.afspraken(conn, actor, b)
    assert (stored["wat"], stored["eigenaar"], stored["wie"], stored["wanneer"]) == (
        "Moeder belt bij ziekte voor 8 uur",
        "ouders",
        "moeder",
        today + timedelta(days=14),
    )
    assert (stored["geholpen"], stored["status"], stored["evaluated_on"], stored["vervolg"]) == (
        "ja",
        "gedaan",
        today,
        "Volgende maand opnieuw bekijken",
    )
    assert form.fields["evaluated_on"].value == today

    # another page changed it: the save bar offers "Herladen", which shows the other's text
    with store.write() as conn:
        afspraken.save_afspraak(conn, actor, b, stored["id"], {"vervolg": "Anders"}, stored["version"])
    form.fields["wie"].value = "vader"
    form.flush()
    assert panel.savebar.status == "conflict"
    panel.savebar._reload.click()
    reloaded = next(i for i in panel.items.children if i.afspraak_id == stored["id"])
    assert reloaded.row["vervolg"] == "Anders"


def _agenda_statements(actor, klas_id: int) -> tuple[int, int]:
    with store.write() as conn:
        ids = conn.execute(select(T.student.c.id).where(T.student.c.klas_id == klas_id)).scalars().all()
        for sid in ids:
            plan_id = conn.execute(
                insert(T.communicatieplan).values(
                    school_id=actor.school_id,
                    student_id=sid,
                    school_year_id=actor.school_year_id,
                    review_on=None,
                )
            ).inserted_primary_key[0]
            conn.execute(
                insert(T.plan_moment),
                [
                    dict(
                        school_id=actor.school_id,
                        student_id=sid,
                        communicatieplan_id=plan_id,
                        kind=k,
                        value=v,
                    )
                    for k, v in (("interval_weken", "2"), ("na_rapport", "1"), ("juni_evaluatie", ""))
                ],
            )
            afspraken.save_afspraak(
                conn,
                actor,
                sid,
                None,
                {
                    "wat": "Bellen",
                    "wanneer": conn.execute(
                        select(T.school_year.c.starts_on).where(T.school_year.c.id == actor.school_year_id)
                    ).scalar_one()
                    + timedelta(days=60),
                },
            )
    made = CommunicatieplanScreen(query={"klas": "1A", "tab": "agenda"})
    panel = made.agenda
    with store.counting_statements() as statements:
        panel.refresh()
    refresh = len(statements)
    made.tabs.selected_index = 3
    with store.counting_statements() as statements:
        made.afspraken.refresh()
    return refresh, len(statements)


def test_agenda_and_agreements_refresh_do_not_grow_with_the_class(stip_data, tmp_path, monkeypatch):
    counts = {}
    for name, size in (("small", (6, 20)), ("large", (30, 90))):
        monkeypatch.setenv("STIP_DATA", str(tmp_path / name))
        store.migrate()
        with store.write() as conn:
            actor = schools.acting_staff_member(conn)
        counts[name] = _agenda_statements(actor, build_school(actor, *size))
    assert counts["small"] == counts["large"], counts
    assert all(n > 0 for n in counts["small"])


def test_two_pages_on_one_contact_lose_nothing(demo_school, actor, monkeypatch):
    fixed_today(monkeypatch, actor)
    sid = class_ids(actor, "1A")[2]
    first = screen("contact", student=str(sid)).contact
    first.form.fields["toon"].value = "zorg"
    first.form.fields["regel"].value = "Veel afwezig"
    first.form.flush()
    second = screen("contact", student=str(sid)).contact
    with store.write() as conn:  # the other page edits the same contact
        contacten.save_contact(conn, actor, sid, first.contact_id, {"regel": "Veel afwezig, arts gebeld"}, 1)
    first.form.fields["kanaal"].value = "mail"
    first.form.flush()
    assert first.savebar.status == "conflict"
    first.savebar._reload.click()
    assert first.form.fields["regel"].value == "Veel afwezig, arts gebeld"
    first.form.fields["kanaal"].value = "mail"
    first.form.flush()
    with store.read() as conn:
        (stored,) = contacten.contacts(conn, actor, sid)
    assert (stored["regel"], stored["kanaal"], stored["toon"]) == (
        "Veel afwezig, arts gebeld",
        "mail",
        "zorg",
    )
    assert second.contact_id is None  # the second page starts its own new contact


def test_agenda_leads_to_the_agreement_and_the_plan(demo_school, actor, monkeypatch):
    today = fixed_today(monkeypatch, actor)
    a, b = class_ids(actor, "1A")[:2]
    make_plan(actor, b, [], review_on=today)
    with store.write() as conn:
        aid, _v = afspraken.save_afspraak(conn, actor, a, None, {"wat": "Agenda bijhouden", "wanneer": today})
    made = screen("agenda")
    rows = made.agenda.rows
    assert sorted(r.entry.source for r in rows) == ["afspraak", "review"]
    agreement = next(r for r in rows if r.entry.source == "afspraak")
    assert agreement.label.value.count("afspraak") == 1  # "afspraak: Agenda bijhouden", not twice
    agreement.go_button.click()
    assert made.tabs.selected_index == made.TAB_NAMES.index("afspraken")
    item = next(i for i in made.afspraken.items.children if i.afspraak_id == aid)
    assert item.form is not None and item.detail.children  # its form is open to evaluate
    made.tabs.selected_index = 0
    review = next(r for r in made.agenda.rows if r.entry.source == "review")
    review.go_button.click()
    assert made.tabs.selected_index == made.TAB_NAMES.index("plan") and made.student_id == b
