"""Planning the startgesprekken: time slots per mentor and placing families in them.

Domain only: no widgets, no database (the caller stores and loads). Times are naive datetimes on the
Europe/Amsterdam wall clock.

- `make_slots(...)` cuts one evening (or afternoon) into consecutive slots around breaks.
- `assign(families, slots, fixed)` places every student in a free slot of their own mentor (or an open
  slot, mentor None), keeps the placements planned by hand, and puts siblings back to back so a family
  comes once. `check(...)` lists broken invariants (for tests and as a guard before storing).

Rules and choices (where the brief left room):
- Back to back (`adjacent`): one slot starts 0..10 minutes after the other ends, on the same day. Two
  slots at the same (or an overlapping) time are never adjacent, and siblings are never placed at
  overlapping times at all (the parents cannot be in two rooms): a sibling who only fits at the same
  time as a brother or sister stays unplaced, for the mentor to solve by hand.
- Who may sit where: a family with a mentor only in that mentor's slots or open slots; a family without a
  mentor in any slot (open slots preferred). Everyone prefers their own mentor's slots over open slots, so
  open slots stay free for students whose mentor has run out of slots.
- `fixed` (planned by hand) is kept as given, also when it breaks the mentor rule or its slot is not in
  `slots` (the hand decision wins; `check` will report it). Two fixed students in one slot is a
  contradiction: `PlanningError("planning.fixed_double_booked")`. Fixed siblings are anchors: the others
  of the family are placed next to them.
- Identical slots in `slots` count once. A student listed twice in `families`: the first entry counts.
- Sibling links are made symmetric and only count between students in `families` or `fixed`. A sibling
  pair counts once; it is "apart" when the two are not adjacent, also when one of them is unplaced.
- Deterministic: slots are sorted internally, groups and students are handled in a fixed order, every
  tie is broken by time, then slot, then student id. The input order of `families` only matters for the
  order in which students without siblings get the earliest slots, and for `unplaced`.

The method (simple on purpose; a class of 32 takes under a millisecond):
1. Sibling groups (connected through sibling links) go first, largest first. For each group we try every
   (member, free slot) as a seed, grow the rest greedily (each step: the member/slot with the most
   already-placed siblings back to back, then own mentor before open slot, then earliest), and keep the
   best trial: most members placed, most pairs adjacent, fewest open slots, earliest times. The search
   stops early once a trial cannot be beaten (everyone placed, every pair adjacent, only own slots).
2. Students without siblings — families needing an interpreter first, grouped by language so one
   interpreter can take consecutive talks, then in input order: earliest free slot of their own mentor;
   then the ones left over take open slots; then families without a mentor take what is left (open
   slots first). Giving the most flexible students the last choice places as many students as the slots
   allow.
Known limit: a sibling group may take an open slot for adjacency that a later student needed, when open
slots are scarce; own-mentor slots are always preferred, so this needs a tight, mixed slot set.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from stip import timefmt

__all__ = [
    "ADJACENT_WITHIN",
    "Assignment",
    "Family",
    "PlanningError",
    "Slot",
    "adjacent",
    "assign",
    "check",
    "make_slots",
]

MINUTES_RANGE = (5, 120)  # length of one conversation
GAP_RANGE = (0, 60)  # minutes between two conversations
ADJACENT_WITHIN = timedelta(minutes=10)  # "back to back": the next slot starts at most this long after


class PlanningError(Exception):
    """A planning input the mentor has to correct; the Dutch text is `t(message_key, **values)`."""

    def __init__(self, message_key: str, **values: object) -> None:
        super().__init__(message_key)
        self.message_key = message_key
        self.values = values


@dataclass(frozen=True)
class Slot:
    """One conversation slot; `mentor` None is an open slot (anyone may be placed there).

    Ordered by (start, end, mentor, location) like `order=True`, except that an open slot (mentor None)
    sorts before a mentor's slot at the same time instead of raising TypeError when sorting a mix.
    """

    start: datetime
    end: datetime
    mentor: int | None = None
    location: str = ""

    def sort_key(self) -> tuple:
        return (self.start, self.end, self.mentor is not None, self.mentor or 0, self.location)

    def __lt__(self, other: object) -> bool:
        return self.sort_key() < other.sort_key() if isinstance(other, Slot) else NotImplemented

    def __le__(self, other: object) -> bool:
        return self.sort_key() <= other.sort_key() if isinstance(other, Slot) else NotImplemented

    def __gt__(self, other: object) -> bool:
        return self.sort_key() > other.sort_key() if isinstance(other, Slot) else NotImplemented

    def __ge__(self, other: object) -> bool:
        return self.sort_key() >= other.sort_key() if isinstance(other, Slot) else NotImplemented


@dataclass(frozen=True)
class Family:
    """A student to plan; `siblings` are the student ids of brothers and sisters (any class or mentor);
    `interpreter` is the language of the interpreter the family needs ("" when the language is not
    known yet), None when it needs none."""

    student: int
    mentor: int | None
    siblings: frozenset[int] = frozenset()
    interpreter: str | None = None


@dataclass
class Assignment:
    placed: dict[int, Slot]  # student -> slot, sorted by slot time
    unplaced: list[int]  # students that fit nowhere, in the order of `families`
    siblings_adjacent: int  # sibling pairs back to back
    siblings_apart: int  # sibling pairs not back to back (or one of them unplaced)
    pairs: list[tuple[int, int]] = field(default_factory=list)  # the sibling pairs counted, (low, high)


# ---------------------------------------------------------------------------------------------- slots


def _hm(moment: time | datetime) -> str:
    return timefmt.format_time(moment)


def make_slots(
    day: date,
    start: time,
    end: time,
    minutes: int = 20,
    breaks: Sequence[tuple[time, time]] = (),
    gap_minutes: int = 0,
    mentor: int | None = None,
    location: str = "",
) -> list[Slot]:
    """Consecutive slots of `minutes` from `start` until `end` on `day`, never overlapping a break.

    A slot that would overlap a break starts when the break ends; `gap_minutes` lies between two slots
    (not after a break). The last slot ends at or before `end`.
    """
    if end <= start:
        raise PlanningError("planning.end_not_after_start", start=_hm(start), end=_hm(end))
    if not MINUTES_RANGE[0] <= minutes <= MINUTES_RANGE[1]:
        raise PlanningError(
            "planning.minutes_out_of_range", minutes=minutes, low=MINUTES_RANGE[0], high=MINUTES_RANGE[1]
        )
    if not GAP_RANGE[0] <= gap_minutes <= GAP_RANGE[1]:
        raise PlanningError("planning.gap_out_of_range", gap=gap_minutes, low=GAP_RANGE[0], high=GAP_RANGE[1])
    for break_start, break_end in breaks:
        if break_end <= break_start:
            raise PlanningError(
                "planning.break_ends_before_start", start=_hm(break_start), end=_hm(break_end)
            )
        if break_start < start or break_end > end:
            raise PlanningError(
                "planning.break_outside_day",
                start=_hm(break_start),
                end=_hm(break_end),
                day_start=_hm(start),
                day_end=_hm(end),
            )

    length, gap = timedelta(minutes=minutes), timedelta(minutes=gap_minutes)
    day_end = datetime.combine(day, end)
    pauses = sorted((datetime.combine(day, a), datetime.combine(day, b)) for a, b in breaks)
    slots: list[Slot] = []
    cursor = datetime.combine(day, start)
    while cursor + length <= day_end:
        slot_end = cursor + length
        overlapping = [b for a, b in pauses if a < slot_end and cursor < b]
        if overlapping:  # start again when the (last overlapping) break is over
            cursor = max(overlapping)
            continue
        slots.append(Slot(cursor, slot_end, mentor, location))
        cursor = slot_end + gap
    if not slots:
        raise PlanningError("planning.no_slot_fits", minutes=minutes, start=_hm(start), end=_hm(end))
    return slots


def adjacent(a: Slot, b: Slot) -> bool:
    """True when one slot starts 0..10 minutes after the other ends, on the same day (never overlapping)."""
    if a.start.date() != b.start.date():
        return False
    first, second = (a, b) if a.start <= b.start else (b, a)
    return timedelta(0) <= second.start - first.end <= ADJACENT_WITHIN


def _overlap(a: Slot, b: Slot) -> bool:
    return a.start < b.end and b.start < a.end


# ---------------------------------------------------------------------------------------------- assign


def _rank(family: Family | None, slot: Slot) -> int | None:
    """How much `family` wants `slot`: 0 own mentor, 1 open, 2 another mentor's slot; None: not allowed."""
    if family is None:  # a fixed student we know nothing about: only anchors, never placed by us
        return None
    if slot.mentor is None:
        return 1
    if family.mentor is None:
        return 2
    return 0 if slot.mentor == family.mentor else None


def _sibling_pairs(families: Mapping[int, Family], known: Iterable[int]) -> list[tuple[int, int]]:
    """Every sibling pair once, (low, high), between known students; links made symmetric."""
    known = set(known)
    pairs = {
        (min(f.student, s), max(f.student, s))
        for f in families.values()
        for s in f.siblings
        if s != f.student and s in known
    }
    return sorted(pairs)


def _groups(pairs: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Connected sibling groups (sorted ids), largest first, then by lowest id."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members: dict[int, list[int]] = defaultdict(list)
    for x in sorted(parent):
        members[root(x)].append(x)
    return sorted(members.values(), key=lambda g: (-len(g), g[0]))


class _GroupPlacer:
    """Places one sibling group next to each other (see the module docstring, step 1)."""

    def __init__(
        self,
        to_place: list[int],
        anchors: dict[int, Slot],
        neighbours: Mapping[int, set[int]],
        families: Mapping[int, Family],
        free: list[Slot],
    ) -> None:
        self.to_place = to_place
        self.anchors = anchors
        self.neighbours = neighbours
        # Candidate slots per member, own mentor first then earliest (free is already sorted by time).
        self.candidates: dict[int, list[tuple[int, Slot]]] = {}
        for student in to_place:
            ranked = [(r, s) for s in free if (r := _rank(families[student], s)) is not None]
            ranked = [(r, s) for r, s in ranked if not any(_overlap(s, a) for a in anchors.values())]
            self.candidates[student] = sorted(ranked, key=lambda rs: (rs[0], rs[1].sort_key()))
        # Pairs this group can make adjacent: every pair with at least one member still to place.
        self.pair_count = len(
            {(min(s, n), max(s, n)) for s in to_place for n in neighbours[s] if n in anchors or n in to_place}
        )

    def gain(self, student: int, slot: Slot, chosen: Mapping[int, Slot]) -> int:
        return sum(1 for n in self.neighbours[student] if n in chosen and adjacent(slot, chosen[n]))

    def grow(self, seed: tuple[int, int, Slot] | None) -> tuple[dict[int, Slot], int, int]:
        """Grow the group from `seed` (member, rank, slot) greedily: (placement, adjacent pairs, rank sum)."""
        chosen: dict[int, Slot] = dict(self.anchors)
        placement: dict[int, Slot] = {}
        adjacent_pairs = ranks = 0
        remaining = list(self.to_place)
        if seed is not None:
            student, rank, slot = seed
            chosen[student] = placement[student] = slot
            adjacent_pairs += self.gain(student, slot, self.anchors)
            ranks += rank
            remaining.remove(student)
        while remaining:
            best = None
            for student in remaining:
                for rank, slot in self.candidates[student]:
                    if any(_overlap(slot, other) for other in chosen.values()):
                        continue  # also excludes slots already taken in this trial
                    key = (-self.gain(student, slot, chosen), rank, slot.sort_key(), student)
                    if best is None or key < best[0]:
                        best = (key, student, rank, slot)
            if best is None:
                break  # the remaining members fit nowhere next to their family
            key, student, rank, slot = best
            chosen[student] = placement[student] = slot
            adjacent_pairs -= key[0]
            ranks += rank
            remaining.remove(student)
        return placement, adjacent_pairs, ranks

    def best(self) -> dict[int, Slot]:
        best_score, best_placement = None, {}
        # The best score a trial could reach: everyone placed, every pair adjacent, lowest ranks.
        bound_ranks = sum(self.candidates[s][0][0] for s in self.to_place if self.candidates[s])
        seeds = [None] + sorted(
            ((student, rank, slot) for student in self.to_place for rank, slot in self.candidates[student]),
            key=lambda seed: (seed[2].sort_key(), seed[1], seed[0]),
        )
        for seed in seeds:
            placement, adjacent_pairs, ranks = self.grow(seed)
            score = (
                -len(placement),
                -adjacent_pairs,
                ranks,
                sorted(slot.sort_key() for slot in placement.values()),
            )
            if best_score is None or score < best_score:
                best_score, best_placement = score, placement
            if len(placement) == len(self.to_place) and adjacent_pairs == self.pair_count:
                if ranks == bound_ranks:
                    break  # cannot be beaten except by earlier times; seeds come earliest first
        return best_placement


def assign(
    families: Sequence[Family], slots: Sequence[Slot], fixed: Mapping[int, Slot] | None = None
) -> Assignment:
    """Place every family in a free slot; siblings back to back where possible (see the module docstring)."""
    by_student: dict[int, Family] = {}
    for family in families:
        by_student.setdefault(family.student, family)
    fixed = dict(fixed or {})

    holder: dict[Slot, int] = {}
    for student in sorted(fixed):
        slot = fixed[student]
        if slot in holder:
            raise PlanningError(
                "planning.fixed_double_booked",
                day=f"{slot.start.day}-{slot.start.month}-{slot.start.year}",
                time=_hm(slot.start),
            )
        holder[slot] = student

    placed: dict[int, Slot] = dict(fixed)
    free = sorted(set(slots) - set(holder), key=Slot.sort_key)
    pairs = _sibling_pairs(by_student, set(by_student) | set(fixed))
    neighbours: dict[int, set[int]] = defaultdict(set)
    for a, b in pairs:
        neighbours[a].add(b)
        neighbours[b].add(a)

    # 1. Sibling groups first.
    in_group: set[int] = set()
    for group in _groups(pairs):
        in_group.update(group)
        to_place = [s for s in group if s not in fixed]
        if not to_place:
            continue
        anchors = {s: fixed[s] for s in group if s in fixed}
        placement = _GroupPlacer(to_place, anchors, neighbours, by_student, free).best()
        placed.update(placement)
        taken = set(placement.values())
        free = [s for s in free if s not in taken]

    # 2. Everyone else: families needing an interpreter first, one language after the other (so an
    # interpreter can take consecutive talks), then in input order; own mentor's slots, then open slots,
    # then families without a mentor.
    order = {s: i for i, s in enumerate(by_student)}

    def interpreter_first(student: int) -> tuple:
        language = by_student[student].interpreter
        return (language is None, (language or "").casefold(), order[student])

    singles = sorted((s for s in by_student if s not in in_group and s not in placed), key=interpreter_first)
    with_mentor = [s for s in singles if by_student[s].mentor is not None]
    without_mentor = [s for s in singles if by_student[s].mentor is None]
    for students, wanted in (
        (with_mentor, lambda f, slot: slot.mentor == f.mentor),
        (with_mentor, lambda f, slot: slot.mentor is None),
        (without_mentor, lambda f, slot: slot.mentor is None),
        (without_mentor, lambda f, slot: True),
    ):
        for student in students:
            if student in placed:
                continue
            slot = next((s for s in free if wanted(by_student[student], s)), None)
            if slot is not None:
                placed[student] = slot
                free.remove(slot)

    unplaced = [s for s in by_student if s not in placed]
    together = sum(1 for a, b in pairs if a in placed and b in placed and adjacent(placed[a], placed[b]))
    ordered = dict(sorted(placed.items(), key=lambda item: (item[1].sort_key(), item[0])))
    return Assignment(ordered, unplaced, together, len(pairs) - together, pairs)


# ---------------------------------------------------------------------------------------------- check


def check(assignment: Assignment, slots: Sequence[Slot], families: Sequence[Family] = ()) -> list[str]:
    """Broken invariants as English sentences; [] when all hold.

    Always: no slot used twice, every placed slot is in `slots`, no student both placed and unplaced.
    With `families` also: the mentor rule, every student placed or unplaced exactly once, siblings never
    at overlapping times, and the sibling counts.
    """
    problems: list[str] = []
    known = set(slots)
    for slot, count in Counter(assignment.placed.values()).items():
        if count > 1:
            users = sorted(s for s, used in assignment.placed.items() if used == slot)
            problems.append(
                f"slot {slot.start:%Y-%m-%d %H:%M} (mentor {slot.mentor}) used by students {users}"
            )
    for student, slot in assignment.placed.items():
        if slot not in known:
            problems.append(f"student {student} placed in a slot that is not in slots: {slot}")
    for student, count in Counter(assignment.unplaced).items():
        if student in assignment.placed:
            problems.append(f"student {student} is both placed and unplaced")
        if count > 1:
            problems.append(f"student {student} is unplaced {count} times")
    if not families:
        return problems

    by_student: dict[int, Family] = {}
    for family in families:
        by_student.setdefault(family.student, family)
    for student, family in by_student.items():
        slot = assignment.placed.get(student)
        if slot is None and student not in assignment.unplaced:
            problems.append(f"student {student} is neither placed nor unplaced")
        if slot is not None and family.mentor is not None and slot.mentor not in (None, family.mentor):
            problems.append(f"student {student} of mentor {family.mentor} placed with mentor {slot.mentor}")
    for student in assignment.unplaced:
        if student not in by_student:
            problems.append(f"unplaced student {student} is not in families")
    pairs = _sibling_pairs(by_student, set(by_student) | set(assignment.placed))
    together = 0
    for a, b in pairs:
        slot_a, slot_b = assignment.placed.get(a), assignment.placed.get(b)
        if slot_a is None or slot_b is None:
            continue
        if _overlap(slot_a, slot_b):
            problems.append(f"siblings {a} and {b} placed at overlapping times")
        together += adjacent(slot_a, slot_b)
    if (assignment.siblings_adjacent, assignment.siblings_apart) != (together, len(pairs) - together):
        problems.append(
            f"sibling counts {assignment.siblings_adjacent}/{assignment.siblings_apart} "
            f"!= recomputed {together}/{len(pairs) - together}"
        )
    return problems
