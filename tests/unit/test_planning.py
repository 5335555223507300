"""Startgesprek planning: slots around breaks, placing families, siblings back to back (stip.planning)."""

from __future__ import annotations

import random
import re
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stip.i18n import catalog, t
from stip.planning import Assignment, Family, PlanningError, Slot, adjacent, assign, check, make_slots

DAY = date(2025, 9, 2)
BREAK = (time(19), time(19, 15))
DUTCH = re.compile(r"\b(de|het|een|van|tot|minuten|gesprek|pauze|twee)\b")


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hour, minute))


def hm(slots) -> list[str]:
    return [f"{s.start:%H:%M}" for s in slots]


def evening(mentor: int | None, day: date = DAY, **kwargs) -> list[Slot]:
    return make_slots(
        day, time(17), time(21), 20, [BREAK], mentor=mentor, location=f"lokaal {mentor}", **kwargs
    )


def families_with(pairs, mentor_of) -> list[Family]:
    siblings: dict[int, set[int]] = {s: set() for s in mentor_of}
    for a, b in pairs:
        siblings[a].add(b)
        siblings[b].add(a)
    return [Family(s, mentor_of[s], frozenset(siblings[s])) for s in mentor_of]


# ---------------------------------------------------------------------------------------------- make_slots


def test_make_slots_fills_the_evening_around_the_break():
    slots = evening(7)
    assert hm(slots) == [
        "17:00", "17:20", "17:40", "18:00", "18:20", "18:40",
        "19:15", "19:35", "19:55", "20:15", "20:35",
    ]  # fmt: skip
    assert all(s.end - s.start == timedelta(minutes=20) for s in slots)
    assert all(s.mentor == 7 and s.location == "lokaal 7" for s in slots)
    assert all(not (s.start < at(19, 15) and at(19) < s.end) for s in slots)
    assert slots[-1].end <= at(21)


def test_make_slots_gap_and_a_break_in_the_middle_of_a_slot():
    slots = make_slots(DAY, time(17), time(18, 30), 15, [(time(17, 50), time(18))], gap_minutes=5)
    assert hm(slots) == ["17:00", "17:20", "18:00"]  # 17:40-17:55 would overlap the break
    assert [f"{s.end:%H:%M}" for s in slots] == ["17:15", "17:35", "18:15"]
    assert make_slots(DAY, time(9), time(10), 30) == [Slot(at(9), at(9, 30)), Slot(at(9, 30), at(10))]


def test_make_slots_overlapping_breaks_and_a_break_at_the_end():
    slots = make_slots(DAY, time(17), time(19), 20, [(time(17, 30), time(18)), (time(17, 50), time(18, 10))])
    assert hm(slots) == ["17:00", "18:10", "18:30"]
    assert hm(make_slots(DAY, time(17), time(18), 20, [(time(17, 40), time(18))])) == ["17:00", "17:20"]


@pytest.mark.parametrize(
    "kwargs, key",
    [
        ({"start": time(21), "end": time(17)}, "planning.end_not_after_start"),
        ({"start": time(17), "end": time(17)}, "planning.end_not_after_start"),
        ({"minutes": 4}, "planning.minutes_out_of_range"),
        ({"minutes": 121}, "planning.minutes_out_of_range"),
        ({"gap_minutes": -1}, "planning.gap_out_of_range"),
        ({"gap_minutes": 61}, "planning.gap_out_of_range"),
        ({"breaks": [(time(19, 15), time(19))]}, "planning.break_ends_before_start"),
        ({"breaks": [(time(16, 30), time(17, 15))]}, "planning.break_outside_day"),
        ({"breaks": [(time(20, 50), time(21, 30))]}, "planning.break_outside_day"),
        ({"start": time(17), "end": time(17, 15)}, "planning.no_slot_fits"),
        ({"breaks": [(time(17), time(21))]}, "planning.no_slot_fits"),
    ],
)
def test_make_slots_refuses_bad_input_with_a_dutch_message(kwargs, key):
    arguments = {"day": DAY, "start": time(17), "end": time(21), "minutes": 20, **kwargs}
    with pytest.raises(PlanningError) as info:
        make_slots(**arguments)
    error = info.value
    assert error.message_key == key
    assert key in catalog("nl")
    text = t(error.message_key, **error.values)
    assert text and text != key and "{" not in text and "}" not in text
    assert DUTCH.search(text), text


def test_slots_sort_with_open_and_mentor_slots_at_the_same_time():
    slots = [Slot(at(17), at(17, 20), 2), Slot(at(17), at(17, 20)), Slot(at(16, 40), at(17), 1)]
    assert sorted(slots) == [slots[2], slots[1], slots[0]]
    assert Slot(at(17), at(17, 20)) < Slot(at(17), at(17, 20), 0)


def test_adjacent_means_back_to_back_on_one_day_never_the_same_time():
    a = Slot(at(17), at(17, 20), 1)
    assert adjacent(a, Slot(at(17, 20), at(17, 40), 2))
    assert adjacent(Slot(at(17, 30), at(17, 50), 2), a)  # 10 minutes later still counts
    assert not adjacent(a, Slot(at(17, 31), at(17, 51), 2))
    assert not adjacent(a, Slot(at(17), at(17, 20), 2))  # same time, another room
    assert not adjacent(a, Slot(at(17, 10), at(17, 30), 2))
    assert not adjacent(a, Slot(at(17, 20, DAY + timedelta(days=1)), at(17, 40, DAY + timedelta(days=1)), 1))


# ---------------------------------------------------------------------------------------------- assign


def class_of_32():
    """32 students over 4 mentors (8 each), 6 sibling pairs (2 within a mentor, 4 across)."""
    mentor_of = {s: (s - 1) // 8 + 1 for s in range(1, 33)}
    pairs = [(1, 2), (3, 9), (10, 17), (18, 25), (26, 4), (31, 32)]
    slots = [slot for mentor in (1, 2, 3, 4) for slot in evening(mentor)]
    return families_with(pairs, mentor_of), slots, pairs


def test_class_of_32_every_sibling_pair_back_to_back():
    families, slots, pairs = class_of_32()
    result = assign(families, slots)
    assert check(result, slots, families) == []
    assert result.unplaced == []
    assert (result.siblings_adjacent, result.siblings_apart) == (6, 0)
    for a, b in pairs:
        assert adjacent(result.placed[a], result.placed[b])
    assert sorted(result.pairs) == sorted((min(p), max(p)) for p in pairs)
    # Siblings first: the earliest slots of the evening go to families that come once for two talks.
    assert result.placed[1].start == at(17) and result.placed[2].start == at(17, 20)


def test_no_double_booking_and_mentor_rule():
    families = [Family(s, 1 if s <= 3 else 2) for s in range(1, 7)]
    slots = make_slots(DAY, time(17), time(18), mentor=1) + make_slots(DAY, time(17), time(18), mentor=2)
    result = assign(families, slots)
    assert check(result, slots, families) == []
    assert len(set(result.placed.values())) == len(result.placed) == 6
    assert all(result.placed[s].mentor == f.mentor for s, f in zip(range(1, 7), families, strict=True))


def test_open_slots_take_the_students_whose_mentor_has_run_out():
    families = [Family(s, 1) for s in range(1, 4)] + [Family(9, None)]
    slots = make_slots(DAY, time(17), time(17, 40), mentor=1) + make_slots(DAY, time(17), time(17, 40))
    result = assign(families, slots)
    assert check(result, slots, families) == []
    assert [result.placed[s].mentor for s in (1, 2, 3)] == [1, 1, None]
    assert result.placed[9].mentor is None  # a family without a mentor: open slots are anyone's
    assert result.unplaced == []


def test_a_family_without_mentor_may_take_a_mentor_slot_when_no_open_slot_is_left():
    result = assign([Family(5, None)], make_slots(DAY, time(17), time(17, 20), mentor=3))
    assert result.placed[5].mentor == 3


def test_fixed_placements_are_kept_and_their_slots_taken():
    slots = make_slots(DAY, time(17), time(18), mentor=1)
    families = [Family(s, 1) for s in (1, 2, 3)]
    result = assign(families, slots, fixed={2: slots[0]})
    assert result.placed[2] == slots[0]
    assert sorted(result.placed.values()) == slots
    assert check(result, slots, families) == []
    assert result.unplaced == []


def test_fixed_sibling_is_an_anchor_for_the_other():
    slots = evening(1) + evening(2)
    families = families_with([(1, 20)], {1: 1, 20: 2})
    fixed_slot = next(s for s in slots if s.mentor == 1 and s.start == at(19, 35))
    result = assign(families, slots, fixed={1: fixed_slot})
    assert result.placed[1] == fixed_slot
    assert adjacent(result.placed[20], fixed_slot) and result.placed[20].mentor == 2
    assert result.placed[20].start == at(19, 15)  # the earliest of the two neighbours
    assert (result.siblings_adjacent, result.siblings_apart) == (1, 0)


def test_two_fixed_students_in_one_slot_is_refused():
    slot = Slot(at(17), at(17, 20), 1)
    with pytest.raises(PlanningError) as info:
        assign([Family(1, 1), Family(2, 1)], [slot], fixed={1: slot, 2: slot})
    text = t(info.value.message_key, **info.value.values)
    assert "17:00" in text and "2-9-2025" in text and "{" not in text


def test_siblings_are_never_placed_at_the_same_time():
    slots = [Slot(at(17), at(17, 20), 1), Slot(at(17), at(17, 20), 2)]
    families = families_with([(1, 2)], {1: 1, 2: 2})
    result = assign(families, slots)
    assert len(result.placed) == 1 and len(result.unplaced) == 1
    assert (result.siblings_adjacent, result.siblings_apart) == (0, 1)
    assert check(result, slots, families) == []


def test_siblings_apart_when_no_neighbouring_slot_is_left():
    slots = [Slot(at(17), at(17, 20), 1), Slot(at(19), at(19, 20), 1)]
    families = families_with([(1, 2)], {1: 1, 2: 1})
    result = assign(families, slots)
    assert result.unplaced == [] and (result.siblings_adjacent, result.siblings_apart) == (0, 1)


def test_three_siblings_in_a_row():
    slots = evening(1) + evening(2) + evening(3)
    families = families_with([(1, 2), (2, 3), (1, 3)], {1: 1, 2: 2, 3: 3}) + [Family(9, 2)]
    result = assign(families, slots)
    assert check(result, slots, families) == []
    times = sorted(result.placed[s].start for s in (1, 2, 3))
    assert times == [at(17), at(17, 20), at(17, 40)]
    assert (result.siblings_adjacent, result.siblings_apart) == (2, 1)  # first and last are 20 min apart


def test_too_few_slots_lists_the_unplaced_in_input_order():
    slots = make_slots(DAY, time(17), time(18), mentor=1)  # 3 slots
    families = [Family(s, 1) for s in (5, 3, 8, 1, 7)]
    result = assign(families, slots)
    assert sorted(result.placed) == [3, 5, 8]
    assert result.unplaced == [1, 7]
    assert check(result, slots, families) == []


def test_siblings_of_students_not_being_planned_are_ignored():
    result = assign([Family(1, 1, frozenset({99, 1}))], make_slots(DAY, time(17), time(18), mentor=1))
    assert (result.siblings_adjacent, result.siblings_apart, result.pairs) == (0, 0, [])


def test_deterministic_and_independent_of_slot_order():
    families, slots, _ = class_of_32()
    first = assign(families, slots)
    shuffled = list(slots)
    random.Random(4).shuffle(shuffled)
    again = assign(families, shuffled)
    assert first == again
    assert list(first.placed.items()) == list(again.placed.items())


def test_check_reports_broken_invariants():
    slot, other = Slot(at(17), at(17, 20), 1), Slot(at(17, 20), at(17, 40), 2)
    families = [Family(1, 1), Family(2, 1), Family(3, 1)]
    broken = Assignment({1: slot, 2: slot, 3: other}, [3], 0, 0)
    problems = check(broken, [slot], families)
    assert any("used by students [1, 2]" in p for p in problems)
    assert any("not in slots" in p for p in problems)
    assert any("both placed and unplaced" in p for p in problems)
    assert any("placed with mentor 2" in p for p in problems)


# ---------------------------------------------------------------------------------------------- property


@st.composite
def planning_input(draw):
    mentors = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3, unique=True))
    slots: list[Slot] = []
    for owner in [*mentors, None]:
        for day_offset in draw(st.lists(st.integers(0, 2), max_size=2, unique=True)):
            start = draw(st.integers(16 * 60, 19 * 60))
            minutes = draw(st.sampled_from([10, 15, 20, 30]))
            count = draw(st.integers(1, 8))
            gap = draw(st.sampled_from([0, 0, 5, 15]))
            day = DAY + timedelta(days=day_offset)
            begin = datetime.combine(day, time()) + timedelta(minutes=start)
            for i in range(count):
                slot_start = begin + i * timedelta(minutes=minutes + gap)
                slots.append(Slot(slot_start, slot_start + timedelta(minutes=minutes), owner))
    students = draw(st.lists(st.integers(1, 60), min_size=1, max_size=30, unique=True))
    mentor_of = {s: draw(st.sampled_from([*mentors, None])) for s in students}
    pairs = draw(st.lists(st.tuples(st.sampled_from(students), st.sampled_from(students)), max_size=12))
    families = families_with([(a, b) for a, b in pairs if a != b], mentor_of)
    fixed: dict[int, Slot] = {}
    siblings_of = {f.student: f.siblings for f in families}
    for student in draw(st.lists(st.sampled_from(students), max_size=3, unique=True)):
        allowed = [s for s in slots if s.mentor in (None, mentor_of[student]) or mentor_of[student] is None]
        # A hand-made plan never puts two siblings at the same time (fixed placements are kept as given).
        taken = [fixed[o] for o in siblings_of.get(student, ()) if o in fixed]
        free = [
            s
            for s in allowed
            if s not in fixed.values()
            and not any(
                s.start < o.end and o.start < s.end and s.start.date() == o.start.date() for o in taken
            )
        ]
        if free:
            fixed[student] = draw(st.sampled_from(free))
    return families, slots, fixed


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(planning_input())
def test_property_every_student_once_and_all_invariants_hold(data):
    families, slots, fixed = data
    result = assign(families, slots, fixed)
    assert check(result, slots, families) == []
    students = [f.student for f in families]
    assert sorted([*result.placed, *result.unplaced]) == sorted(students)
    assert all(result.placed[s] == slot for s, slot in fixed.items())
    assert result == assign(families, list(reversed(slots)), fixed)  # deterministic
    # Nobody without siblings is left out while an allowed slot is still free.
    used = set(result.placed.values())
    lonely = {f.student for f in families} - {s for pair in result.pairs for s in pair}
    for family in families:
        if family.student in result.unplaced and family.student in lonely:
            assert not [
                s for s in set(slots) - used if family.mentor is None or s.mentor in (None, family.mentor)
            ]


def test_interpreter_families_go_first_one_language_after_the_other():
    """Issue 14 §4: with fewer slots than families, every family that needs an interpreter gets a
    time, and one interpreter can take consecutive talks."""
    families = [Family(s, 1) for s in range(1, 7)] + [
        Family(7, 1, interpreter="Pools"),
        Family(8, 1, interpreter="Arabisch"),
        Family(9, 1, interpreter="Pools"),
    ]
    slots = make_slots(DAY, time(17), time(18, 40), 20, mentor=1)  # 5 slots for 9 families
    result = assign(families, slots)
    assert check(result, slots, families) == []
    times = [result.placed[s].start.time() for s in (8, 7, 9)]
    assert times == [time(17), time(17, 20), time(17, 40)]  # Arabisch, then both Pools talks
    assert list(result.placed)[3:] == [1, 2] and result.unplaced == [3, 4, 5, 6]
