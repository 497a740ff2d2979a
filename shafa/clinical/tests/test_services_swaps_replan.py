"""Swaps on the published schedule and re-plans after an event."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from shafa.clinical.models import Assignment, ReplanKind, RunStatus, SolverRun, SwapStatus
from shafa.clinical.services.replan import replan_start
from shafa.clinical.services.runs import run_publish, run_start
from shafa.clinical.services.swaps import swap_approve, swap_request_create
from shafa.core.models import AuditEvent

from .factories import make_tiny_year

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sync_jobs():
    with override_settings(SHAFA_JOBS_MODE="sync"):
        yield


def _published(tiny, actor, **kw):
    run = run_start(year=tiny.year, variant_label="A", seed=3, time_limit_seconds=2, actor=actor, **kw)
    return run_publish(run=run, actor=actor)


def _placement(run, enrollment):
    return {
        (a.rotation_id, a.site_id, a.start) for a in Assignment.objects.filter(run=run, enrollment=enrollment)
    }


def test_two_learners_swap_blocks(coordinator_nazanin, student_sara, student_reza) -> None:
    # two learners, two rotations, two blocks, one seat per rotation and block: they must alternate
    tiny = make_tiny_year(
        students=[student_sara, student_reza], n_learners=2, n_blocks=2, capacity=1, n_sites=1
    )
    run = _published(tiny, coordinator_nazanin)
    sara, reza = tiny.enrollments
    mine = Assignment.objects.get(run=run, enrollment=sara, rotation=tiny.rotations[0])
    other_block = 3 - mine.start
    request = swap_request_create(
        enrollment=sara, assignment=mine, wanted_start=other_block, actor=student_sara.person.user
    )
    kinds = [p["kind"] for p in request.proposals]
    assert kinds == ["swap"], request.proposals  # no free seat: only a swap with Reza fits
    assert {m["learner"] for m in request.proposals[0]["moves"]} == {sara.pk, reza.pk}
    assert len(request.proposals[0]["moves"]) == 4  # each learner's other rotation trades blocks too
    swap = swap_approve(request=request, proposal=0, actor=coordinator_nazanin)
    mine.refresh_from_db()
    assert mine.start == other_block
    request.refresh_from_db()
    assert request.status == SwapStatus.APPROVED
    # Reza now does rotation 0 in Sara's old block, and his other rotation moved with it
    assert (
        Assignment.objects.get(run=run, enrollment=reza, rotation=tiny.rotations[0]).start == 3 - other_block
    )
    assert AuditEvent.objects.filter(model_label="clinical.Swap", object_id=str(swap.pk)).exists()
    assert AuditEvent.objects.filter(
        model_label="clinical.Assignment", object_id=str(mine.pk), action="update"
    ).exists()


def test_swap_that_breaks_a_rule_is_not_proposed(coordinator_nazanin, student_sara, student_reza) -> None:
    tiny = make_tiny_year(
        students=[student_sara, student_reza], n_learners=2, n_blocks=2, capacity=1, n_sites=1
    )
    run = _published(tiny, coordinator_nazanin)
    sara = tiny.enrollments[0]
    mine = Assignment.objects.get(run=run, enrollment=sara, rotation=tiny.rotations[0])
    other = Assignment.objects.get(run=run, enrollment=sara, rotation=tiny.rotations[1])
    # Swapping only rotation 0 would put Sara in two places; the full exchange needs both rotations,
    # which is the swap above; a request for a block beyond the calendar finds nothing.
    request = swap_request_create(
        enrollment=sara, assignment=mine, wanted_start=5, actor=student_sara.person.user
    )
    assert request.proposals == []
    assert other.start != mine.start


def test_learner_cannot_request_a_swap_of_someone_else(
    coordinator_nazanin, student_sara, student_reza
) -> None:
    tiny = make_tiny_year(
        students=[student_sara, student_reza], n_learners=2, n_blocks=2, capacity=1, n_sites=1
    )
    run = _published(tiny, coordinator_nazanin)
    rezas = Assignment.objects.filter(run=run, enrollment=tiny.enrollments[1]).first()
    with pytest.raises(ValidationError):
        swap_request_create(enrollment=tiny.enrollments[0], assignment=rezas, wanted_start=1)


def test_replan_after_leave_keeps_unaffected_learners(coordinator_nazanin) -> None:
    tiny = make_tiny_year(n_learners=6, n_blocks=4, capacity=2, n_sites=2)
    base = _published(tiny, coordinator_nazanin)
    before = {e.pk: _placement(base, e) for e in tiny.enrollments}
    on_leave = tiny.enrollments[0]
    busy_block = Assignment.objects.filter(run=base, enrollment=on_leave).order_by("start").first().start
    event = replan_start(
        base_run=base,
        kind=ReplanKind.LEAVE,
        block=tiny.blocks[busy_block - 1],
        enrollment=on_leave,
        reason="sick leave",
        time_limit_seconds=3,
        actor=coordinator_nazanin,
    )
    new = SolverRun.objects.get(pk=event.result_run_id)
    assert new.status in (RunStatus.OPTIMAL, RunStatus.FEASIBLE), new.explanations
    assert new.parent_id == base.pk and not new.published
    after = {e.pk: _placement(new, e) for e in tiny.enrollments}
    assert busy_block not in {start for (_r, _s, start) in after[on_leave.pk]}
    for enr in tiny.enrollments[1:]:
        assert after[enr.pk] == before[enr.pk], "unaffected learners stay where they were"
    assert {m["learner"] for m in new.moved} == {on_leave.pk}
    run_publish(run=new, actor=coordinator_nazanin)
    base.refresh_from_db()
    assert not base.published


def test_replan_after_lost_capacity_moves_only_the_excess(coordinator_nazanin) -> None:
    tiny = make_tiny_year(n_learners=6, n_blocks=4, capacity=2, n_sites=2)
    base = _published(tiny, coordinator_nazanin)
    before = {e.pk: _placement(base, e) for e in tiny.enrollments}
    # the busiest cell of the published schedule loses one place
    cell = max(
        {(a.rotation_id, a.site_id, a.start) for a in base.assignments.all()},
        key=lambda c: base.assignments.filter(rotation_id=c[0], site_id=c[1], start=c[2]).count(),
    )
    there = base.assignments.filter(rotation_id=cell[0], site_id=cell[1], start=cell[2]).count()
    offering = next(o for o in tiny.offerings if (o.rotation_id, o.site_id) == cell[:2])
    event = replan_start(
        base_run=base,
        kind=ReplanKind.CAPACITY,
        block=tiny.blocks[cell[2] - 1],
        offering=offering,
        new_capacity=there - 1,
        time_limit_seconds=3,
        actor=coordinator_nazanin,
    )
    new = SolverRun.objects.get(pk=event.result_run_id)
    assert new.status in (RunStatus.OPTIMAL, RunStatus.FEASIBLE), new.explanations
    assert new.assignments.filter(rotation_id=cell[0], site_id=cell[1], start=cell[2]).count() <= there - 1
    unchanged = sum(1 for e in tiny.enrollments if _placement(new, e) == before[e.pk])
    assert unchanged >= len(tiny.enrollments) - 1
    assert len({m["learner"] for m in new.moved}) == 1


def test_replan_needs_a_published_schedule(coordinator_nazanin) -> None:
    tiny = make_tiny_year()
    draft = run_start(year=tiny.year, variant_label="A", time_limit_seconds=2, actor=coordinator_nazanin)
    with pytest.raises(ValidationError):
        replan_start(
            base_run=draft, kind=ReplanKind.LEAVE, block=tiny.blocks[0], enrollment=tiny.enrollments[0]
        )


def test_swap_cycle_of_three_found_by_the_engine(coordinator_nazanin) -> None:
    # one rotation, one seat per block: three learners, each wants the next one's block
    tiny = make_tiny_year(n_learners=3, n_blocks=3, capacity=1, n_rotations=1, n_sites=1)
    run = _published(tiny, coordinator_nazanin)
    rows = {a.enrollment_id: a for a in Assignment.objects.filter(run=run)}
    order = sorted(rows.values(), key=lambda a: a.start)  # learners in blocks 1, 2, 3
    requests = []
    for i, row in enumerate(order):
        wanted = order[(i + 1) % 3].start
        requests.append(swap_request_create(enrollment=row.enrollment, assignment=row, wanted_start=wanted))
    last = requests[-1]
    cycle = next(p for p in last.proposals if p["kind"] == "cycle" and len(p["moves"]) == 3)
    index = last.proposals.index(cycle)
    swap_approve(request=last, proposal=index, actor=coordinator_nazanin)
    for i, row in enumerate(order):
        row.refresh_from_db()
        assert row.start == (i + 1) % 3 + 1, "everyone got the block they asked for"
    for request in requests:
        request.refresh_from_db()
        assert request.status == SwapStatus.APPROVED
