"""Privacy of the class lists: inzage, deletion, retention, pseudonymised export (DESIGN §8)."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from sqlalchemy import func, insert, inspect, select, update

from stip import privacy, store
from stip.schools import Actor
from stip.store import tables as T

XSS = "<img src=x onerror=alert(1)>"


def student_id(conn, leerlingnummer: str) -> int:
    return conn.execute(
        select(T.student.c.id).where(T.student.c.leerlingnummer == leerlingnummer)
    ).scalar_one()


def guardian_id(conn, naam: str) -> int:
    return conn.execute(select(T.guardian.c.id).where(T.guardian.c.naam == naam)).scalar_one()


def strings(value) -> list[str]:
    """Every string (and number, as text) inside a JSON-like value."""
    if isinstance(value, dict):
        return [text for item in value.values() for text in strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in strings(item)]
    return [] if value is None or isinstance(value, bool) else [str(value)]


def other_school_actor(conn) -> Actor:
    school_id = conn.execute(insert(T.school).values(name="Andere school")).inserted_primary_key[0]
    staff_id = conn.execute(
        insert(T.staff_member).values(school_id=school_id, login="ander", naam="Ander")
    ).inserted_primary_key[0]
    return Actor(
        id=staff_id, school_id=school_id, login="ander", naam="Ander", role="mentor", school_year_id=0
    )


# ------------------------------------------------------------------------------------------------ inzage


def test_inzage_covers_every_table_that_refers_to_a_student(demo_school, actor):
    """Fails when a table with a student_id (or a foreign key to student) is missing from the inzage."""
    with store.write() as conn:
        sid = student_id(conn, "240105")
        data = privacy.inzage(conn, actor, sid)
        inspector = inspect(conn)
        expected = set()
        for name in inspector.get_table_names():
            columns = {column["name"] for column in inspector.get_columns(name)}
            foreign_keys = inspector.get_foreign_keys(name)
            to_student = [fk for fk in foreign_keys if fk["referred_table"] == "student"]
            if "student_id" in columns or to_student:
                expected.add(T.PLURAL.get(name, name))
            for fk in to_student:  # and every such table deletes with its student
                assert (fk.get("options") or {}).get("ondelete", "").upper() == "CASCADE", (name, fk)
    with_student_id = {T.PLURAL[t.name] for t in T.metadata.sorted_tables if "student_id" in t.columns}
    assert with_student_id <= expected
    assert set(data["records"]) == expected
    json.dumps(data)  # JSON-serialisable


@pytest.mark.parametrize(
    ("leerlingnummer", "guardians"),
    [
        ("240105", {"Ruud Bakker"}),  # Lotte Bakker: Ruud is also Thijs Bakker's (230204) guardian
        ("240120", {"Huda Alkhatib", "Omar Alkhatib"}),  # Yousef Alkhatib: no siblings
    ],
)
def test_inzage_holds_own_data_and_nothing_about_other_students(
    demo_school, actor, leerlingnummer, guardians
):
    with store.write() as conn:
        sid = student_id(conn, leerlingnummer)
        data = privacy.inzage(conn, actor, sid)
        others = conn.execute(select(T.student).where(T.student.c.id != sid)).mappings().all()
        other_guardians = set(conn.execute(select(T.guardian.c.naam)).scalars()) - guardians
    assert data["student"]["leerlingnummer"] == leerlingnummer
    assert data["student"]["klas"] == "1A" and data["student"]["mentor"] == "Sanne Verhoef"
    assert {g["naam"] for g in data["guardians"]} == guardians
    assert all({"relatie", "apart_informeren", "email", "telefoon"} <= set(g) for g in data["guardians"])
    assert [row["guardian_id"] for row in data["records"]["student_guardians"]] == sorted(
        g["id"] for g in data["guardians"]
    )
    assert data["siblings"] == []  # shared guardians are not confirmed sibling links

    values = strings(data)
    words = {word for value in values for word in re.split(r"[\s,;()]+", value)}
    dump = json.dumps(data, ensure_ascii=False)
    assert len(others) == 50
    for other in others:
        assert other["leerlingnummer"] not in values
        assert other["roepnaam"] not in words, other["roepnaam"]
        assert f"{other['roepnaam']} " not in dump
    for naam in other_guardians:
        assert naam not in dump


def test_inzage_names_confirmed_siblings_only_by_name_and_id(demo_school, actor):
    with store.write() as conn:
        lotte, thijs = student_id(conn, "240105"), student_id(conn, "230204")
        conn.execute(insert(T.sibling_link).values(student_id=lotte, sibling_id=thijs, confirmed_by=actor.id))
        for_lotte = privacy.inzage(conn, actor, lotte)
        for_thijs = privacy.inzage(conn, actor, thijs)
    assert for_lotte["siblings"] == [{"id": thijs, "naam": "Thijs Bakker"}]
    assert for_thijs["siblings"] == [{"id": lotte, "naam": "Lotte Bakker"}]
    assert len(for_thijs["records"]["sibling_links"]) == 1  # found from the sibling's side too
    assert "240105" not in strings(for_thijs) and "230204" not in strings(for_lotte)


def test_inzage_for_one_parent_hides_the_other_parents_protected_contact(demo_school, actor):
    with store.write() as conn:
        sid = student_id(conn, "240120")
        huda, omar = guardian_id(conn, "Huda Alkhatib"), guardian_id(conn, "Omar Alkhatib")
        conn.execute(update(T.guardian).where(T.guardian.c.id == omar).values(contact_afgeschermd=True))
        for_huda = privacy.inzage(conn, actor, sid, for_guardian_id=huda)
        for_omar = privacy.inzage(conn, actor, sid, for_guardian_id=omar)
        for_school = privacy.inzage(conn, actor, sid)
        with pytest.raises(privacy.GuardianNotLinked):
            privacy.inzage(conn, actor, sid, for_guardian_id=guardian_id(conn, "Ruud Bakker"))

    def by_name(data):
        return {g["naam"]: g for g in data["guardians"]}

    omar_seen_by_huda = by_name(for_huda)["Omar Alkhatib"]
    assert omar_seen_by_huda["email"] == omar_seen_by_huda["telefoon"] == "afgeschermd"
    dump = json.dumps(for_huda)
    assert "o.alkhatib@example.org" not in dump and "06-0025 9387" not in dump
    assert by_name(for_huda)["Huda Alkhatib"]["email"] == "h.alkhatib@example.org"
    assert for_huda["for_guardian"] == "Huda Alkhatib"
    assert by_name(for_omar)["Omar Alkhatib"]["telefoon"] == "06-0025 9387"  # his own details
    assert by_name(for_school)["Omar Alkhatib"]["email"] == "o.alkhatib@example.org"
    assert "afgeschermd" in privacy.inzage_html(for_huda)
    assert "o.alkhatib@example.org" not in privacy.inzage_html(for_huda)


def test_unknown_student_or_one_of_another_school_is_not_found(demo_school, actor):
    with store.write() as conn:
        sid = student_id(conn, "240105")
        stranger = other_school_actor(conn)
        for who, which in ((actor, 999_999), (stranger, sid), (actor, "240105")):
            with pytest.raises(privacy.StudentNotFound) as caught:
                privacy.inzage(conn, who, which)
            assert caught.value.message_key == "privacy.student_not_found"
            with pytest.raises(privacy.StudentNotFound):
                privacy.delete_student(conn, who, which)
        assert privacy.pseudonymised_export(conn, stranger) == []
        assert privacy.retention_candidates(conn, stranger, date(2100, 1, 1)) == []


def test_inzage_html_is_complete_dutch_and_escapes_every_value(demo_school, actor):
    with store.write() as conn:
        sid = student_id(conn, "240120")
        conn.execute(update(T.student).where(T.student.c.id == sid).values(roepnaam=XSS))
        huda = guardian_id(conn, "Huda Alkhatib")
        conn.execute(update(T.guardian).where(T.guardian.c.id == huda).values(naam="<script>x()</script>"))
        data = privacy.inzage(conn, actor, sid)
    page = privacy.inzage_html(data)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="nl">' in page
    assert "<img" not in page and "<script" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;script&gt;x()&lt;/script&gt;" in page
    assert "@media print" in page and "<link" not in page and "src=" not in page.replace("src=x", "")
    for text in ("240120", "Omar Alkhatib", "o.alkhatib@example.org", "Arabisch", "1A", "Sanne Verhoef"):
        assert text in page
    for heading in ("Leerling", "Ouders en verzorgers", "Broers en zussen", "Alle opgeslagen gegevens"):
        assert heading in page
    assert "Koppelingen tussen leerling en ouders" in page


# ---------------------------------------------------------------------------------------------- deletion


def test_delete_removes_student_links_and_orphaned_guardians_but_keeps_shared_ones(demo_school, actor):
    with store.write() as conn:
        lotte, thijs = student_id(conn, "240105"), student_id(conn, "230204")
        yousef = student_id(conn, "240120")
        ruud = guardian_id(conn, "Ruud Bakker")
        huda, omar = guardian_id(conn, "Huda Alkhatib"), guardian_id(conn, "Omar Alkhatib")
        conn.execute(insert(T.sibling_link).values(student_id=thijs, sibling_id=lotte))
        guardians_before = conn.execute(select(func.count()).select_from(T.guardian)).scalar_one()

        privacy.delete_student(conn, actor, lotte)
        privacy.delete_student(conn, actor, yousef)

        students = set(conn.execute(select(T.student.c.id)).scalars())
        linked = set(conn.execute(select(T.student_guardian.c.student_id)).scalars())
        guardians = set(conn.execute(select(T.guardian.c.id)).scalars())
        sibling_links = conn.execute(select(func.count()).select_from(T.sibling_link)).scalar_one()
        thijs_guardians = set(
            conn.execute(
                select(T.student_guardian.c.guardian_id).where(T.student_guardian.c.student_id == thijs)
            ).scalars()
        )
    assert lotte not in students and yousef not in students and len(students) == 49
    assert lotte not in linked and yousef not in linked
    assert sibling_links == 0
    assert ruud in guardians and thijs_guardians == {ruud}  # shared with a sibling: kept
    assert huda not in guardians and omar not in guardians  # no student left: removed
    assert len(guardians) == guardians_before - 2


# --------------------------------------------------------------------------------------------- retention


def test_months_before_clamps_to_the_end_of_the_month():
    assert privacy.months_before(date(2025, 3, 31), 1) == date(2025, 2, 28)
    assert privacy.months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)
    assert privacy.months_before(date(2025, 1, 15), 1) == date(2024, 12, 15)
    assert privacy.months_before(date(2025, 6, 1), 24) == date(2023, 6, 1)


def test_retention_dry_run_lists_then_deletes(demo_school, actor):
    today = date(2026, 9, 1)
    left = {
        "240101": date(2024, 7, 31),  # 25 months ago: past the default 24
        "240102": date(2024, 9, 1),  # exactly 24 months: not more than 24
        "240103": date(2025, 7, 1),  # 14 months: kept at 24, past 12
        "240104": None,  # still at school
    }
    with store.write() as conn:
        ids = {number: student_id(conn, number) for number in left}
        for number, day in left.items():
            conn.execute(update(T.student).where(T.student.c.id == ids[number]).values(left_on=day))

        dry = privacy.apply_retention(conn, actor, today, dry_run=True)
        assert [c["leerlingnummer"] for c in dry] == ["240101"]
        assert dry[0] == {
            "id": ids["240101"],
            "leerlingnummer": "240101",
            "naam": "Daan de Vries",
            "left_on": "2024-07-31",
        }
        assert conn.execute(select(func.count()).select_from(T.student)).scalar_one() == 51

        privacy.set_retention_months(conn, actor, 12)
        candidates = privacy.retention_candidates(conn, actor, today)
        assert [c["leerlingnummer"] for c in candidates] == ["240101", "240102", "240103"]

        done = privacy.apply_retention(conn, actor, today, dry_run=False)
        assert done == candidates
        remaining = set(conn.execute(select(T.student.c.leerlingnummer)).scalars())
        assert len(remaining) == 48 and "240104" in remaining
        assert not {"240101", "240102", "240103"} & remaining
        assert privacy.retention_candidates(conn, actor, today) == []


@pytest.mark.parametrize("months", [0, 121, -1, "12", 12.0, True, None])
def test_retention_months_must_be_1_to_120(actor, months):
    with store.write() as conn:
        with pytest.raises(privacy.RetentionInvalid) as caught:
            privacy.set_retention_months(conn, actor, months)
        assert caught.value.message_key == "privacy.retention_invalid"
        assert isinstance(caught.value, ValueError)
        privacy.set_retention_months(conn, actor, 120)
        privacy.set_retention_months(conn, actor, 1)
        assert privacy.retention_months(conn, actor) == 1


# -------------------------------------------------------------------------------------------- pseudonyms


def test_pseudonymised_export_is_stable_and_free_of_names(demo_school, actor):
    with store.write() as conn:
        conn.execute(
            update(T.student).where(T.student.c.leerlingnummer == "240101").values(left_on=date(2025, 1, 1))
        )
        first = privacy.pseudonymised_export(conn, actor)
    with store.write() as conn:
        second = privacy.pseudonymised_export(conn, actor)
        secret = conn.execute(select(T.school.c.pseudonym_secret)).scalar_one()
        students = conn.execute(select(T.student)).mappings().all()
        guardians = conn.execute(select(T.guardian)).mappings().all()
    assert first == second and len(first) == 51
    assert re.fullmatch(r"[0-9a-f]{64}", secret)
    assert all(re.fullmatch(r"L-[0-9a-f]{12}", row["pseudonym"]) for row in first)
    assert len({row["pseudonym"] for row in first}) == 51
    assert set(first[0]) == {"pseudonym", "klas", "guardians", "tolk_nodig", "talen", "left"}
    assert sum(row["left"] for row in first) == 1
    assert sum(row["tolk_nodig"] for row in first) >= 3
    assert {row["klas"] for row in first} == {"1A", "2B"}
    values = set(strings(first))
    dump = json.dumps(first, ensure_ascii=False)
    for student in students:
        assert student["leerlingnummer"] not in values
        assert student["roepnaam"] not in dump and student["achternaam"] not in dump
    for guardian in guardians:
        for field in ("naam", "email", "telefoon"):
            assert not guardian[field] or guardian[field] not in dump


def test_pseudonyms_differ_per_secret_and_school(demo_school, actor):
    with store.write() as conn:
        before = {row["pseudonym"] for row in privacy.pseudonymised_export(conn, actor)}
        conn.execute(update(T.school).values(pseudonym_secret="0" * 64))
        after = {row["pseudonym"] for row in privacy.pseudonymised_export(conn, actor)}
    assert before.isdisjoint(after)
    assert privacy.pseudonym("a" * 64, 1) != privacy.pseudonym("b" * 64, 1)
    assert privacy.pseudonym("a" * 64, 1) == privacy.pseudonym("a" * 64, 1)


def test_inzage_page_for_a_parent_reads_as_dutch_without_internal_numbers_or_raw_lists(demo_school, actor):
    from stip import gouden_mail, startgesprek

    with store.write() as conn:
        sid = student_id(conn, "240120")
        huda = guardian_id(conn, "Huda Alkhatib")
        gouden_mail.save(
            conn, actor, sid, {"positief": "Hielp opruimen.", "vragen": ["ouders-trots-waarop"]}, None
        )
        present = {"student": True, "guardians": [huda], "tolk": False}
        version = startgesprek.get_conversation(conn, actor, sid)["version"]
        startgesprek.save_conversation(
            conn, actor, sid, {"present": present, "shared_goal": "Plannen"}, version
        )
        startgesprek.save_plan(
            conn, actor, sid, {"vormen": ["telefoon", "mail"], "initiatief": "leerling"}, None
        )
        page = privacy.inzage_html(privacy.inzage(conn, actor, sid, for_guardian_id=huda))
    body = page.split("</style>")[1]
    for heading in ("Gesprekken", "Gouden mail", "Communicatieplan", "Koppelingen tussen leerling en ouders"):
        assert heading in body, heading
    assert "Waar bent u trots op bij uw kind?" in body and "ouders-trots-waarop" not in body
    assert "de leerling, Huda Alkhatib" in body and "telefoon, mail" in body
    assert "nummer in Stip" not in body and "(nummer)" not in body and "versie" not in body
    assert not re.search(r"[{}\[\]]", body), re.findall(r".{40}[{}\[\]].{40}", body)
    for key in ("student_id", "guardian_id", "school_id", "conversations", "gouden_mails", "shared_goal"):
        assert key not in body, key
