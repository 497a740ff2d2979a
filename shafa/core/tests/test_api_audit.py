"""The audit trail over the API: administrators only, filtered by record, actor and action."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shafa.core.api.testing import ROLE_PERSONAS, assert_not_signed_in, client_for, user_of
from shafa.core.audit import audit_context, audit_record
from shafa.core.models import AuditEvent

pytestmark = pytest.mark.django_db

AUDIT = reverse("api:core:audit-event-list")


def record(actor, *, label="people.Student", object_id="7", action="update", reason="", changes=None):
    with audit_context(actor=actor, reason=reason):
        audit_record(
            action=action,
            model_label=label,
            object_id=object_id,
            object_repr=f"#{object_id}",
            changes=changes or {},
        )


def test_anonymous_is_refused(db):
    assert_not_signed_in(client_for(None).get(AUDIT))


@pytest.mark.parametrize("persona", [*ROLE_PERSONAS, "leader_hosseini", "coordinator_nazanin"])
def test_only_administrators_read_the_audit_trail(request, persona):
    response = client_for(user_of(request, persona)).get(AUDIT)
    expected = 200 if persona == "admin_amir" else 403
    assert response.status_code == expected
    if expected == 403:
        assert response.json()["code"] == "permission_denied"


def test_filters_by_record_actor_and_action(admin_amir, registrar_maryam, leader_hosseini):
    record(
        registrar_maryam, object_id="7", reason="Leave approved", changes={"status": ["active", "on_leave"]}
    )
    record(registrar_maryam, object_id="8", action="create")
    record(leader_hosseini, label="institution.Program", object_id="7")
    client = client_for(admin_amir)

    rows = client.get(AUDIT, {"model_label": "people.Student", "object_id": "7"}).json()["results"]
    [update] = rows
    assert update["reason"] == "Leave approved"
    assert update["changes"] == {"status": ["active", "on_leave"]}
    assert update["actor"] == {"id": registrar_maryam.pk, "username": "maryam"}
    assert update["action_display"] == "Updated"
    assert update["at_jalali"].startswith("14")

    by_actor = client.get(AUDIT, {"actor": registrar_maryam.pk}).json()["results"]
    assert [row["object_id"] for row in by_actor] == ["8", "7"]  # newest first
    assert client.get(AUDIT, {"model_label": "people.student"}).json()["count"] == 2
    assert client.get(AUDIT, {"action": "create"}).json()["count"] >= 1
    assert {r["model_label"] for r in client.get(AUDIT, {"action": "create"}).json()["results"]} >= {
        "people.Student"
    }
    assert client.get(AUDIT, {"actor": "x"}).status_code == 400
    assert client.get(AUDIT, {"action": "explode"}).status_code == 400


def test_action_label_follows_the_language(admin_amir, registrar_maryam):
    record(registrar_maryam)
    row = (
        client_for(admin_amir, language="fa").get(AUDIT, {"actor": registrar_maryam.pk}).json()["results"][0]
    )
    assert row["action"] == "update"
    assert row["action_display"] != "Updated"


def test_list_does_not_grow_queries_with_rows(
    admin_amir, registrar_maryam, leader_hosseini, django_assert_max_num_queries
):
    for n in range(8):
        record(registrar_maryam if n % 2 else leader_hosseini, object_id=str(n))
    assert AuditEvent.objects.count() >= 8
    # the requester's roles, count, page (actors joined) — not one query per event.
    with django_assert_max_num_queries(3):
        response = client_for(admin_amir).get(AUDIT)
    assert response.status_code == 200
    assert {row["actor"]["username"] for row in response.json()["results"] if row["actor"]} == {
        "maryam",
        "hosseini",
    }
