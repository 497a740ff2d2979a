"""Property-based tests (hypothesis) for the credit cap and the clash arithmetic."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from shafa.academics.models import Meeting, RegistrationPolicy
from shafa.academics.services.registration import cap_for

policies = st.builds(
    lambda lo, extra, probation, final_extra: RegistrationPolicy(
        min_credits=lo,
        max_credits=lo + extra,
        probation_max_credits=min(probation, lo + extra),
        final_term_max_credits=lo + extra + final_extra,
    ),
    st.integers(0, 20),
    st.integers(0, 10),
    st.integers(1, 30),
    st.integers(0, 8),
)
credits = st.decimals(min_value=0, max_value=300, places=1)


@given(policies, st.booleans(), credits)
def test_probation_cap_wins_and_never_exceeds_the_normal_cap(policy, on_probation, remaining):
    cap = cap_for(policy, on_probation=on_probation, remaining_credits=remaining)
    if on_probation:
        assert cap == policy.probation_max_credits <= policy.max_credits
    else:
        assert cap in (policy.max_credits, policy.final_term_max_credits)
        assert cap >= policy.max_credits


@given(policies, credits, credits)
def test_final_term_cap_applies_exactly_when_the_rest_fits(policy, remaining, more):
    cap = cap_for(policy, on_probation=False, remaining_credits=remaining)
    assert (cap == policy.final_term_max_credits) == (
        remaining <= policy.final_term_max_credits or policy.final_term_max_credits == policy.max_credits
    )
    # Having more left to study never raises the cap.
    assert cap_for(policy, on_probation=False, remaining_credits=remaining + more) <= cap


times = st.integers(7 * 4, 20 * 4).map(lambda q: dt.time(q // 4, (q % 4) * 15))
meetings = st.builds(
    lambda day, start, minutes, weeks: Meeting(
        weekday=day,
        start_time=start,
        end_time=(dt.datetime.combine(dt.date(2000, 1, 1), start) + dt.timedelta(minutes=minutes)).time(),
        weeks=weeks,
    ),
    st.integers(0, 6),
    times,
    st.sampled_from([30, 60, 90, 120, 180]),
    st.sampled_from(["every", "odd", "even"]),
)


def minutes(meeting: Meeting) -> set[tuple[int, int, int]]:
    weeks = {"every": {0, 1}, "odd": {1}, "even": {0}}[meeting.weeks]
    start = meeting.start_time.hour * 60 + meeting.start_time.minute
    end = meeting.end_time.hour * 60 + meeting.end_time.minute
    return {(meeting.weekday, week, m) for week in weeks for m in range(start, end)}


@given(meetings, meetings)
def test_meetings_clash_exactly_when_they_share_a_minute(a, b):
    assert a.overlaps(b) == b.overlaps(a) == bool(minutes(a) & minutes(b))


def test_credits_property_sanity():
    policy = RegistrationPolicy()
    assert cap_for(policy, on_probation=False, remaining_credits=Decimal(100)) == 20
    assert cap_for(policy, on_probation=True, remaining_credits=Decimal(10)) == 14
    assert cap_for(policy, on_probation=False, remaining_credits=Decimal(24)) == 24
