"""The registration gate: a free slot admits at once, a short bounded wait, then 429."""

from __future__ import annotations

import threading

from shafa.academics.admission import AdmissionGate


def test_without_a_wait_a_full_gate_refuses_at_once() -> None:
    gate = AdmissionGate(2)
    assert gate.try_enter() and gate.try_enter()
    assert not gate.try_enter()
    gate.leave()
    assert gate.try_enter()


def test_a_slot_freed_during_the_wait_admits_the_waiter() -> None:
    gate = AdmissionGate(1, wait_ms=5_000)
    assert gate.try_enter()
    admitted: list[bool] = []
    waiter = threading.Thread(target=lambda: admitted.append(gate.try_enter()))
    waiter.start()
    while gate._waiting == 0:  # the waiter is queued
        pass
    gate.leave()
    waiter.join(timeout=10)
    assert admitted == [True]


def test_the_wait_ends_in_a_refusal_when_no_slot_frees() -> None:
    gate = AdmissionGate(1, wait_ms=20)
    assert gate.try_enter()
    assert not gate.try_enter()
    assert gate._waiting == 0


def test_only_max_waiting_callers_queue_the_rest_are_refused_at_once() -> None:
    gate = AdmissionGate(2, wait_ms=5_000, max_waiting=1)
    assert gate.try_enter() and gate.try_enter()
    results: list[bool] = []
    waiter = threading.Thread(target=lambda: results.append(gate.try_enter()))
    waiter.start()
    while gate._waiting == 0:
        pass
    assert not gate.try_enter()  # the queue is full: refused without waiting five seconds
    gate.leave()
    waiter.join(timeout=10)
    assert results == [True]
