"""StudentPicker and match_students: find a student by name, number or class."""

from widgets.components.student_picker import LIMIT, StudentPicker, match_students, student_label


def student(id, nummer, roepnaam, achternaam, klas, tussenvoegsel=""):
    return {
        "id": id,
        "leerlingnummer": nummer,
        "roepnaam": roepnaam,
        "tussenvoegsel": tussenvoegsel,
        "achternaam": achternaam,
        "klas": klas,
    }


STUDENTS = [
    student(1, "240101", "Ayşe", "Öztürk", "1A"),
    student(2, "240102", "Daan", "Berg", "1A", "van den"),
    student(3, "230555", "Noor", "Jansen", "2B"),
    student(4, "240177", "Émile", "Dubois", "1B"),
]


def ids(found):
    return [s["id"] for s in found]


def test_accents_and_case_do_not_matter():
    assert ids(match_students(STUDENTS, "ozturk")) == [1]
    assert ids(match_students(STUDENTS, "AYSE")) == [1]
    assert ids(match_students(STUDENTS, "emile")) == [4]
    assert ids(match_students(STUDENTS, "Öztürk")) == [1]


def test_class_and_leerlingnummer_prefix():
    assert ids(match_students(STUDENTS, "1a")) == [2, 1]  # sorted by achternaam: Berg, Öztürk
    assert ids(match_students(STUDENTS, "2401")) == [2, 4, 1]
    assert ids(match_students(STUDENTS, "240177")) == [4]
    assert match_students(STUDENTS, "0555") == []  # numbers match from the start only


def test_every_word_must_match_somewhere():
    assert ids(match_students(STUDENTS, "1a daan")) == [2]
    assert ids(match_students(STUDENTS, "van den berg")) == [2]
    assert ids(match_students(STUDENTS, "turk")) == [1]  # anywhere in the name
    assert match_students(STUDENTS, "1b daan") == []


def test_empty_query_finds_everyone_sorted():
    assert ids(match_students(STUDENTS, "  ")) == [2, 4, 3, 1]


def test_label_is_plain_text():
    assert student_label(STUDENTS[1]) == "Berg, Daan van den — 1A (240102)"
    assert student_label(STUDENTS[0]) == "Öztürk, Ayşe — 1A (240101)"


def test_picker_story():
    picker = StudentPicker(options=STUDENTS)
    assert picker.search.placeholder == "Zoek op naam, leerlingnummer of klas"
    assert picker.count.value == "4 leerlingen"
    assert picker.value is None and picker.select.value is None

    picker.search.value = "ozturk"
    assert picker.count.value == "1 leerling"
    assert picker.select.options == (("Öztürk, Ayşe — 1A (240101)", 1),)
    assert picker.value is None  # nothing chosen by itself

    picker.select.value = 1
    assert picker.value == 1

    picker.search.value = "1a"  # still in the list: stays chosen
    assert picker.value == 1 and picker.count.value == "2 leerlingen"

    picker.search.value = "xyz"
    assert picker.count.value == "Geen leerling gevonden"
    assert picker.value is None and picker.select.options == ()


def test_setting_value_shows_that_student():
    picker = StudentPicker(options=STUDENTS)
    picker.search.value = "jansen"
    picker.value = 4
    assert picker.select.value == 4 and picker.value == 4
    assert picker.search.value == "" and picker.count.value == "4 leerlingen"
    picker.value = 999  # unknown id
    assert picker.value is None


def test_value_in_constructor():
    picker = StudentPicker(options=STUDENTS, value=3)
    assert picker.value == 3 and picker.select.value == 3


def test_at_most_fifty_shown_and_html_stays_text():
    many = [student(i, f"25{i:04d}", "Kim", f"Achter{i:03d}", "3C") for i in range(1, 121)]
    many.append(student(500, "259999", "<img src=x onerror=alert(1)>", "Hack", "3C"))
    picker = StudentPicker(options=many)
    assert len(picker.select.options) == LIMIT
    assert picker.count.value == "121 leerlingen. De eerste 50 staan in de lijst; typ meer om te zoeken."
    picker.search.value = "hack"
    assert picker.select.options[0][0] == "Hack, <img src=x onerror=alert(1)> — 3C (259999)"
    picker.search.value = "kim"
    picker.value = 120  # not among the first 50: the search narrows to that student
    assert picker.search.value == "250120" and picker.select.value == 120


def test_options_change_drops_a_student_that_is_gone():
    picker = StudentPicker(options=STUDENTS, value=2)
    picker.options = STUDENTS[2:]
    assert picker.value is None
    assert picker.count.value == "2 leerlingen"
