"""Every create, update and delete of institution and people records is audited: who, when, what, why."""

from __future__ import annotations

import pytest

from shafa.core.audit import audit_context
from shafa.core.models import AuditEvent
from shafa.institution.models import County


@pytest.mark.django_db
def test_create_update_delete_are_recorded_with_actor_changes_and_reason(registrar_maryam) -> None:
    with audit_context(actor=registrar_maryam, reason="new county"):
        county = County.objects.create(name_fa="آبيك", province_fa="قزوین")
    created = AuditEvent.objects.get(model_label="institution.County", action="create")
    assert created.actor == registrar_maryam
    assert created.reason == "new county"
    assert created.changes["name_fa"] == [None, "آبیک"]  # stored normalised

    with audit_context(actor=registrar_maryam, reason="English name"):
        county.name_en = "Abyek"
        county.save()
    updated = AuditEvent.objects.get(model_label="institution.County", action="update")
    assert updated.changes == {"name_en": ["", "Abyek"]}
    assert updated.reason == "English name"

    pk = county.pk
    with audit_context(actor=registrar_maryam, reason="duplicate"):
        county.delete()
    deleted = AuditEvent.objects.get(model_label="institution.County", action="delete")
    assert deleted.object_id == str(pk)
    assert deleted.changes["name_en"] == ["Abyek", None]


@pytest.mark.django_db
def test_a_save_without_changes_records_nothing() -> None:
    county = County.objects.create(name_fa="تاکستان", province_fa="قزوین")
    fresh = County.objects.get(pk=county.pk)
    fresh.save()
    assert AuditEvent.objects.filter(model_label="institution.County", action="update").count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_audit_row_rolls_back_with_a_failed_change() -> None:
    from django.db import IntegrityError, transaction

    County.objects.create(name_fa="قزوین", province_fa="قزوین")
    before = AuditEvent.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        County.objects.create(name_fa="البرز", province_fa="قزوین")
        County.objects.create(name_fa="قزوین", province_fa="قزوین")
    assert AuditEvent.objects.count() == before
    assert not County.objects.filter(name_fa="البرز").exists()
