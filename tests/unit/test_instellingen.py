"""Instellingen (issue 14): the school's name and address, your own name, e-mail and phone, two mentors per
class, the dates of the school year; the one "what is missing" rule, the notice on the Startgesprek and
Gouden mail pages, no parent-facing file or copy with a placeholder, and `From:` on every .eml.

Real services on a real migrated SQLite; the screens are driven without a browser (`form.flush()`)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, time
from email import policy
from email.parser import BytesParser

import pytest
from sqlalchemy import select, text

from stip import imports, instellingen, invitations, klassen, planning, schools, startgesprek, store
from stip.i18n import t
from stip.store import VersionConflict
from stip.store import tables as T
from stip.validation import TextRefused
from tests.unit.widget_tree import button
from widgets.gouden_mail import GoudenMailScreen
from widgets.instellingen import InstellingenScreen
from widgets.startgesprek import StartgesprekScreen

CSV = (
    "leerlingnummer;roepnaam;tussenvoegsel;achternaam;klas;ouder1_naam;ouder1_email\n"
    "1;Noor;;Bos;3C;Els Bos;els@example.org\n"
    "2;Daan;de;Wit;3C;Piet de Wit;piet@example.org\n"
)


@pytest.fixture
def new_school(actor):
    """A new installation: 'Mijn school', the acting mentor known only by the login, one class 3C without
    a mentor (the import had no mentor column), two families, Noor planned at a time."""
    with store.write() as conn:
        klassen.apply_import(conn, actor, imports.parse(CSV.encode()))
        klas_id = conn.execute(select(T.klas.c.id).where(T.klas.c.name == "3C")).scalar_one()
        startgesprek.add_slots(
            conn, actor, klas_id, planning.make_slots(date(2026, 9, 8), time(16, 0), time(17, 0), 20)
        )
        noor = conn.execute(select(T.student.c.id).where(T.student.c.roepnaam == "Noor")).scalar_one()
        slot = startgesprek.slots(conn, actor, klas_id)[0]
        startgesprek.assign_slot(conn, actor, noor, slot["id"])
    return {"klas_id": klas_id, "noor": noor}


def settings(actor) -> dict:
    with store.read() as conn:
        return instellingen.settings(conn, actor)


def fill_in(actor, naam="Anne de Vries", email="a.devries@hetbaken.nl", school="Het Baken") -> None:
    with store.write() as conn:
        data = instellingen.settings(conn, actor)
        instellingen.save_school(conn, actor, {"name": school}, data["school"]["version"])
        instellingen.save_me(conn, actor, {"naam": naam, "email": email}, data["me"]["version"])


def family(actor, student_id) -> dict:
    with store.read() as conn:
        return startgesprek.family_data(conn, actor, [student_id])[0]


def parsed(data: bytes):
    return BytesParser(policy=policy.default).parsebytes(data)


# -- services --------------------------------------------------------------------------------------------


def test_school_and_own_details_are_stored_versioned_and_checked(actor):
    data = settings(actor)
    assert data["school"]["name"] == schools.DEFAULT_SCHOOL_NAME and data["me"]["naam"] == "testmentor"
    with store.write() as conn:
        version = instellingen.save_school(
            conn, actor, {"name": " Het Baken ", "adres": "Bakenlaan 4, Utrecht"}, data["school"]["version"]
        )
        me = instellingen.save_me(
            conn, actor, {"naam": "Anne", "email": "a@hetbaken.nl", "telefoon": "06-1234 5678"}, 1
        )
    data = settings(actor)
    assert (data["school"]["name"], data["school"]["adres"], data["school"]["version"]) == (
        "Het Baken",
        "Bakenlaan 4, Utrecht",
        version,
    )
    assert (data["me"]["naam"], data["me"]["email"], data["me"]["telefoon"], data["me"]["version"]) == (
        "Anne",
        "a@hetbaken.nl",
        "06-1234 5678",
        me,
    )
    with pytest.raises(VersionConflict), store.write() as conn:  # a stale page never overwrites
        instellingen.save_school(conn, actor, {"name": "Oud"}, version - 1)
    for changes, field, key in (
        ({"naam": "  "}, "naam", "instellingen.required"),
        ({"email": "geen-adres"}, "email", "instellingen.email_invalid"),
        ({"telefoon": "bel me"}, "telefoon", "instellingen.telefoon_invalid"),
        ({"naam": "Anne\r\nBcc: x@y.nl"}, "naam", "validation.one_line"),
    ):
        with pytest.raises(instellingen.InstellingenError) as refused, store.write() as conn:
            instellingen.save_me(conn, actor, changes, me)
        assert (refused.value.field, refused.value.message_key) == (field, key)
    assert settings(actor)["me"]["naam"] == "Anne"


def test_a_class_gets_two_mentors_and_every_text_is_from_its_sender(actor, new_school):
    fill_in(actor)
    with store.write() as conn:
        colleague = instellingen.add_colleague(conn, actor, "Bram Smit", "b.smit@hetbaken.nl")
        again = instellingen.add_colleague(conn, actor, "Bram  Smit")  # another person, another login
    with store.read() as conn:
        logins = dict(conn.execute(select(T.staff_member.c.id, T.staff_member.c.login)).all())
    assert (logins[colleague], logins[again]) == ("bram.smit", "bram.smit2")
    klas = next(k for k in settings(actor)["klassen"] if k["id"] == new_school["klas_id"])
    assert klas["mentors"] == []  # no mentor yet: the texts name the acting staff member
    assert family(actor, new_school["noor"])["mentor"] == "Anne de Vries"

    with store.write() as conn:
        version = instellingen.set_mentors(conn, actor, klas["id"], [colleague, actor.id], klas["version"])
    values = family(actor, new_school["noor"])
    # One mentor writes: the acting staff member, one of the two ("Ik ben Anne de Vries, de mentor van …").
    assert values["mentor"] == "Anne de Vries" and values["mentor_email"] != "b.smit@hetbaken.nl"
    assert [m["naam"] for m in values["mentors"]] == ["Bram Smit", "Anne de Vries"]
    assert values["school"] == "Het Baken"
    with store.read() as conn:
        first = conn.execute(select(T.klas.c.mentor_id).where(T.klas.c.id == klas["id"])).scalar_one()
    assert first == colleague  # planning and slots keep using the first mentor
    assert next(k for k in settings(actor)["klassen"] if k["id"] == klas["id"])["mentors"] == [
        colleague,
        actor.id,
    ]

    with store.write() as conn:  # repeats and empty choices are dropped; a third mentor is refused
        version = instellingen.set_mentors(conn, actor, klas["id"], [actor.id, None, actor.id], version)
    assert family(actor, new_school["noor"])["mentor"] == "Anne de Vries"
    with pytest.raises(instellingen.InstellingenError), store.write() as conn:
        instellingen.set_mentors(conn, actor, klas["id"], [actor.id, colleague, again], version)
    with pytest.raises(VersionConflict), store.write() as conn:
        instellingen.set_mentors(conn, actor, klas["id"], [colleague], version - 1)


def test_report_days_and_holidays_are_rows_of_the_school_year(actor):
    with store.read() as conn:
        year = conn.execute(select(T.school_year).where(T.school_year.c.id == actor.school_year_id)).one()
    autumn, report = date(year.starts_on.year, 10, 17), date(year.starts_on.year, 11, 20)
    with store.write() as conn:
        first = instellingen.add_date(conn, actor, "rapport", "Rapport 1", report, date(2000, 1, 1))
        instellingen.add_date(conn, actor, "vakantie", "Herfstvakantie", autumn, date(autumn.year, 10, 25))
    with store.read() as conn:
        rows = instellingen.dates(conn, actor)
    assert [(r["kind"], r["name"], r["starts_on"], r["ends_on"]) for r in rows] == [
        ("vakantie", "Herfstvakantie", autumn, date(autumn.year, 10, 25)),
        ("rapport", "Rapport 1", report, report),  # a report is one day
    ]
    for args, field, key in (
        (
            ("vakantie", "Kerst", date(autumn.year, 12, 20), date(autumn.year, 12, 1)),
            "ends_on",
            "ends_before",
        ),
        (("rapport", "Rapport 9", date(year.ends_on.year + 1, 1, 1)), "starts_on", "outside_year"),
        (("rapport", " ", report), "name", "required"),
        (("rapport", "Rapport 2", None), "starts_on", "date_required"),
    ):
        with pytest.raises(instellingen.InstellingenError) as refused, store.write() as conn:
            instellingen.add_date(conn, actor, *args)
        assert refused.value.field == field and key in refused.value.message_key
    with store.write() as conn:
        version = instellingen.save_date(conn, actor, first, {"name": "Rapport 1 (kerst)"}, 1)
        with pytest.raises(VersionConflict):
            instellingen.save_date(conn, actor, first, {"name": "Oud"}, version - 1)
        instellingen.delete_date(conn, actor, first)
    with store.read() as conn:
        assert [r["name"] for r in instellingen.dates(conn, actor)] == ["Herfstvakantie"]


def test_migration_keeps_every_existing_mentor_assignment(tmp_path, monkeypatch):
    from alembic import command

    monkeypatch.setenv("STIP_DATA", str(tmp_path / "old"))
    cfg = store.alembic_config()
    with store.engine().begin() as conn:  # a database of the previous version, with classes and mentors
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
        for statement in (
            "INSERT INTO school (id, name) VALUES (1, 'Oud')",
            "INSERT INTO school_year (id, school_id, name, starts_on, ends_on) "
            "VALUES (1, 1, '2026-2027', '2026-08-01', '2027-07-31')",
            "INSERT INTO staff_member (id, school_id, login, naam) VALUES (1, 1, 'a', 'A'), (2, 1, 'b', 'B')",
            "INSERT INTO klas (id, school_id, school_year_id, name, mentor_id) "
            "VALUES (1, 1, 1, '1A', 1), (2, 1, 1, '2B', 2), (3, 1, 1, '3C', NULL)",
        ):
            conn.execute(text(statement))
    store.migrate()
    with store.read() as conn:
        assert store.current_revision(conn) == store.HEAD_REVISION
        km = T.klas_mentor
        rows = conn.execute(
            select(km.c.klas_id, km.c.staff_member_id, km.c.position).order_by(km.c.klas_id)
        ).all()
        assert [tuple(r) for r in rows] == [(1, 1, 1), (2, 2, 1)]
        assert conn.execute(select(T.school.c.adres)).scalar_one() == ""
        assert set(conn.execute(select(T.staff_member.c.telefoon)).scalars()) == {""}
    store.engine().dispose()


# -- what is missing --------------------------------------------------------------------------------------


def test_missing_names_the_default_school_the_login_and_no_email(actor, new_school):
    values = family(actor, new_school["noor"])
    found = instellingen.missing(values, actor)
    assert found == [
        t("instellingen.missing_school"),
        t("instellingen.missing_own_name"),
        t("instellingen.missing_own_email"),
    ]
    assert instellingen.missing_text(found) == "de naam van de school, je eigen naam en je e-mailadres"
    fill_in(actor)
    assert instellingen.missing(family(actor, new_school["noor"]), actor) == []
    with store.write() as conn:  # a second mentor who is still only a login is named too
        other = schools.ensure_staff_member(conn, actor.school_id, "mentor3c")
        klas = next(k for k in instellingen.settings(conn, actor)["klassen"])
        instellingen.set_mentors(conn, actor, klas["id"], [actor.id, other], klas["version"])
        sender = instellingen.sender_of(conn, actor, klas["id"])
    assert instellingen.missing(sender, actor) == [t("instellingen.missing_mentor_name", login="mentor3c")]


# -- the pages ----------------------------------------------------------------------------------------------


def test_startgesprek_refuses_every_parent_facing_file_until_settings_are_filled(actor, new_school):
    screen = StartgesprekScreen(query={"klas": "3C"})
    assert 'href="Instellingen.ipynb"' in screen.notice.value
    assert "de naam van de school, je eigen naam en je e-mailadres" in screen.notice.value
    screen.tabs.selected_index = 1
    invite = screen.invite
    invite.family.value = new_school["noor"]
    assert "Mijn school" in invite.preview.value  # the mentor can still edit and preview
    for label, status in (
        ("startgesprek.download_txt", invite.family_status),
        ("startgesprek.download_eml", invite.family_status),
        ("startgesprek.class_txt", invite.class_status),
        ("startgesprek.class_eml", invite.class_status),
    ):
        status.value = ""
        assert button(invite, t(label)).click() is None, label
        assert "Nog niet klaar om te versturen: vul eerst de naam van de school" in status.value, label
    assert invite.copy.text == "" and "vul eerst" in invite.copy.value
    assert invite.class_copy.text == "" and "vul eerst" in invite.class_copy.value

    fill_in(actor)
    screen = StartgesprekScreen(query={"klas": "3C"})
    assert screen.notice.value == ""
    screen.tabs.selected_index = 1
    invite = screen.invite
    invite.family.value = new_school["noor"]
    assert "Het Baken" in invite.preview.value and "Anne de Vries" in invite.preview.value
    assert "Anne de Vries" in invite.copy.text
    eml = button(invite, t("startgesprek.download_eml")).click()
    message = parsed(eml.data)
    assert message["From"].addresses[0].display_name == "Anne de Vries"
    assert message["From"].addresses[0].addr_spec == "a.devries@hetbaken.nl"
    assert message["To"] == "els@example.org"
    archive = zipfile.ZipFile(io.BytesIO(button(invite, t("startgesprek.class_eml")).click().data))
    for name in archive.namelist():
        assert parsed(archive.read(name))["From"] == "Anne de Vries <a.devries@hetbaken.nl>"


def test_gouden_mail_shows_the_notice_and_refuses_the_eml(actor, new_school):
    from stip import gouden_mail

    question = gouden_mail.question_bank()[0]["id"]
    with store.write() as conn:  # a mail that is ready in itself
        gouden_mail.save(
            conn,
            actor,
            new_school["noor"],
            {"positief": "Noor hielp een klasgenoot.", "vragen": [question]},
            None,
        )
    screen = GoudenMailScreen(query={"klas": "3C"})
    assert 'href="Instellingen.ipynb"' in screen.notice.value
    screen.show(new_school["noor"])
    assert button(screen, t("startgesprek.download_eml")).click() is None
    assert "vul eerst de naam van de school" in screen.state.value
    assert screen.copy.text == ""

    fill_in(actor, naam="Zoë Öztürk")
    screen = GoudenMailScreen(query={"klas": "3C"})
    assert screen.notice.value == ""
    screen.show(new_school["noor"])
    message = parsed(button(screen, t("startgesprek.download_eml")).click().data)
    assert message["From"].addresses[0].display_name == "Zoë Öztürk"  # non-ASCII survives the header


def test_from_header_refuses_a_line_break():
    base = {"mentor": "Anne", "mentor_email": "a@hetbaken.nl"}
    assert invitations.sender(base) == "Anne <a@hetbaken.nl>"
    assert invitations.sender({**base, "mentor_email": ""}) == ""
    for bad in ({"mentor": "Anne\nBcc: x@evil.example"}, {"mentor_email": "a@x.nl\r\nBcc: x@evil.example"}):
        with pytest.raises(TextRefused):
            invitations.sender({**base, **bad})


def test_instellingen_screen_saves_every_field_and_shows_it_again(actor, new_school):
    screen = InstellingenScreen()
    assert screen.ready
    screen.school_form.fields["name"].value = "Het Baken"
    screen.school_form.fields["adres"].value = "Bakenlaan 4, Utrecht"
    screen.school_form.flush()
    screen.me_form.fields["naam"].value = "Anne de Vries"
    screen.me_form.fields["email"].value = "geen adres"
    screen.me_form.flush()
    assert screen.me_form.errors["email"].value == t("instellingen.email_invalid")  # at the field
    screen.me_form.fields["email"].value = "a.devries@hetbaken.nl"
    screen.me_form.flush()
    assert screen.me_bar.status == "saved"

    screen.colleague.value = "Bram Smit"
    button(screen, t("instellingen.colleague_add")).click()
    bram = next(s["id"] for s in settings(actor)["staff"] if s["naam"] == "Bram Smit")
    first, second = screen.mentor_dropdowns[new_school["klas_id"]]
    first.value = actor.id
    second.value = bram
    assert screen.mentors_bar.status == "saved"

    screen.new_kind.value = "vakantie"
    screen.new_name.value = "Herfstvakantie"
    with store.read() as conn:
        year = conn.execute(select(T.school_year).where(T.school_year.c.id == actor.school_year_id)).one()
    screen.new_starts.value = date(year.starts_on.year, 10, 25)
    screen.new_ends.value = date(year.starts_on.year, 10, 17)
    button(screen, t("instellingen.date_add")).click()
    assert t("instellingen.ends_before_start") in screen.date_error.value
    screen.new_starts.value = date(year.starts_on.year, 10, 17)
    screen.new_ends.value = date(year.starts_on.year, 10, 25)
    button(screen, t("instellingen.date_add")).click()
    assert screen.date_error.value == "" and screen.new_name.value == ""

    again = InstellingenScreen()  # a reload finds everything
    assert again.school_form.values() == {"name": "Het Baken", "adres": "Bakenlaan 4, Utrecht"}
    assert again.me_form.values()["email"] == "a.devries@hetbaken.nl"
    assert [d.value for d in again.mentor_dropdowns[new_school["klas_id"]]] == [actor.id, bram]
    row = again.date_rows.children[0]
    assert row.form.values() == {
        "name": "Herfstvakantie",
        "starts_on": date(year.starts_on.year, 10, 17),
        "ends_on": date(year.starts_on.year, 10, 25),
    }
    row.form.fields["name"].value = "Herfstvakantie regio midden"
    row.form.flush()
    with store.read() as conn:
        assert [r["name"] for r in instellingen.dates(conn, actor)] == ["Herfstvakantie regio midden"]
    assert [m["naam"] for m in family(actor, new_school["noor"])["mentors"]] == ["Anne de Vries", "Bram Smit"]


def test_instellingen_screen_on_an_empty_database(actor):
    screen = InstellingenScreen()
    assert screen.ready and t("instellingen.no_classes") in screen.mentor_rows.children[0].value
    assert t("instellingen.no_dates") in screen.date_rows.children[0].value
    # "Mijn school" and the login are defaults a parent must never see: empty fields with a prompt.
    name, naam = screen.school_form.fields["name"], screen.me_form.fields["naam"]
    assert (name.value, naam.value) == ("", "")
    assert name.placeholder == t("instellingen.school_name_placeholder")
    assert naam.placeholder == t("instellingen.naam_placeholder")


def test_demo_school_shows_its_address_mentors_and_dates(demo_school, actor):
    data = settings(actor)
    assert data["school"]["adres"].startswith("Voorbeeldlaan 12")
    with store.read() as conn:
        rows = instellingen.dates(conn, actor)
        sender = instellingen.sender_of(
            conn, actor, conn.execute(select(T.klas.c.id).where(T.klas.c.name == "1A")).scalar_one()
        )
    assert {r["name"] for r in rows} >= {"Rapport 1", "Herfstvakantie", "Zomervakantie"}
    assert all(r["ends_on"] >= r["starts_on"] for r in rows)
    assert (sender["mentor"], sender["mentor_telefoon"]) == ("Sanne Verhoef", "030-000 11 01")
    assert instellingen.missing(sender, actor) == []
