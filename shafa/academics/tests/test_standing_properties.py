"""Property-based tests of the standing arithmetic: GPA and probation (pure functions, no database)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from shafa.academics.services.standing import (
    REPEAT_ALL_ATTEMPTS,
    REPEAT_LATEST_REPLACES,
    Attempt,
    counted_attempts,
    cumulative_gpa,
    is_probation_term,
    term_gpa,
    weighted_mean,
)

grades = st.integers(min_value=0, max_value=80).map(lambda q: Decimal(q) / 4)
credits = st.sampled_from(
    [Decimal("0.5"), Decimal("1"), Decimal("1.5"), Decimal("2"), Decimal("3"), Decimal("4")]
)
term_codes = st.sampled_from([14021, 14022, 14023, 14031, 14032, 14041])
policies = st.sampled_from([REPEAT_LATEST_REPLACES, REPEAT_ALL_ATTEMPTS])


@st.composite
def attempts(draw, max_size=25):
    items = draw(
        st.lists(
            st.tuples(st.integers(min_value=1, max_value=8), credits, term_codes, grades),
            min_size=0,
            max_size=max_size,
        )
    )
    # A course has one credit value whichever term it is taken in.
    credit_of: dict[int, Decimal] = {}
    result = []
    for course, credit, term, value in items:
        credit_of.setdefault(course, credit)
        result.append(Attempt(course_id=course, credits=credit_of[course], term_code=term, value=value))
    return result


@given(attempts(), policies)
def test_gpa_lies_on_0_20_and_between_the_extreme_grades(items, policy):
    gpa = cumulative_gpa(items, policy)
    if not items:
        assert gpa is None
        return
    counted = counted_attempts(items, policy)
    assert Decimal(0) <= gpa <= Decimal(20)
    assert (
        min(a.value for a in counted) - Decimal("0.005")
        <= gpa
        <= max(a.value for a in counted) + Decimal("0.005")
    )


@given(attempts(), policies, st.randoms(use_true_random=False))
def test_gpa_does_not_depend_on_order(items, policy, rng):
    shuffled = list(items)
    rng.shuffle(shuffled)
    assert cumulative_gpa(items, policy) == cumulative_gpa(shuffled, policy)


@given(attempts(max_size=10))
def test_gpa_is_the_credit_weighted_mean_under_all_attempts(items):
    gpa = cumulative_gpa(items, REPEAT_ALL_ATTEMPTS)
    if not items:
        return
    exact = sum(a.credits * a.value for a in items) / sum(a.credits for a in items)
    assert abs(gpa - exact) <= Decimal("0.005")


@given(grades, grades, credits)
def test_credit_weighting_pulls_towards_the_heavier_course(low, high, credit):
    heavy = Attempt(course_id=1, credits=credit * 3, term_code=14031, value=high)
    light = Attempt(course_id=2, credits=credit, term_code=14031, value=low)
    gpa = weighted_mean([heavy, light])
    assert abs(gpa - (3 * high + low) / 4) <= Decimal("0.005")


@given(attempts(), grades)
def test_latest_attempt_replaces_earlier_ones(items, retake):
    if not items:
        return
    first = items[0]
    later = Attempt(course_id=first.course_id, credits=first.credits, term_code=15001, value=retake)
    with_retake = [*items, later]
    counted = counted_attempts(with_retake, REPEAT_LATEST_REPLACES)
    assert later in counted
    assert sum(1 for a in counted if a.course_id == first.course_id) == 1
    # one attempt per course: the GPA equals that of the courses' latest grades
    assert len(counted) == len({a.course_id for a in with_retake})
    # under "all attempts" the retake is added, not substituted
    assert len(counted_attempts(with_retake, REPEAT_ALL_ATTEMPTS)) == len(with_retake)


@given(attempts(), policies)
def test_a_retake_with_a_better_grade_never_lowers_gpa_when_latest_replaces(items, policy):
    if not items:
        return
    first = items[0]
    best = max(a.value for a in items if a.course_id == first.course_id)
    retake = Attempt(course_id=first.course_id, credits=first.credits, term_code=15001, value=Decimal(20))
    before = cumulative_gpa(items, REPEAT_LATEST_REPLACES)
    after = cumulative_gpa([*items, retake], REPEAT_LATEST_REPLACES)
    assert after >= before or best == 20


@given(attempts(), term_codes, st.sampled_from([Decimal(10), Decimal(12), Decimal(14)]))
@settings(max_examples=200)
def test_probation_is_exactly_term_gpa_below_threshold(items, term, threshold):
    gpa = term_gpa(items, term)
    expected = gpa is not None and gpa < threshold and term % 10 != 3
    assert is_probation_term(items, term, threshold) == expected
    if term % 10 == 3 and gpa is not None:
        assert is_probation_term(items, term, threshold, summer_counts=True) == (gpa < threshold)


@given(st.lists(grades, min_size=1, max_size=8))
def test_all_grades_at_or_above_threshold_never_probation(values):
    items = [
        Attempt(course_id=i, credits=Decimal(2), term_code=14031, value=max(v, Decimal(12)))
        for i, v in enumerate(values)
    ]
    assert not is_probation_term(items, 14031, Decimal(12))
    failing = [
        Attempt(course_id=i, credits=Decimal(2), term_code=14031, value=min(v, Decimal("11.75")))
        for i, v in enumerate(values)
    ]
    assert is_probation_term(failing, 14031, Decimal(12))


def test_pass_fail_courses_do_not_count_in_gpa():
    items = [
        Attempt(course_id=1, credits=Decimal(3), term_code=14031, value=Decimal(18)),
        Attempt(course_id=2, credits=Decimal(2), term_code=14031, value=None, is_pass=False),
    ]
    assert cumulative_gpa(items, REPEAT_ALL_ATTEMPTS) == Decimal("18.00")
