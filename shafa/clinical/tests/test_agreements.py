"""Site agreements: the coordinator records, renews and corrects them; the rules and the audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from shafa.clinical.models import RotationType, SiteAgreement
from shafa.clinical.selectors.years import agreement_list
from shafa.clinical.services.agreements import agreement_save
from shafa.clinical.services.years import offering_add
from shafa.core.api.testing import assert_not_signed_in, client_for
from shafa.core.models import AuditEvent
from shafa.institution.tests.factories import ClinicalSiteFactory, ProgramFactory

from .factories import make_tiny_year

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 26)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _save(**changes):
    site = changes.pop("site", None) or ClinicalSiteFactory()
    values = {
        "agreement": None,
        "site": site,
        "reference": "QUMS-1405-17",
        "starts_on": dt.date(2026, 3, 21),
        "ends_on": dt.date(2027, 3, 20),
        "rotations": [],
        "default_capacity": 6,
    }
    values.update(changes)
    return agreement_save(**values)


def test_an_agreement_is_saved_with_its_rotations_and_audited(coordinator_nazanin) -> None:
    tiny = make_tiny_year(n_sites=1)
    agreement = _save(
        site=tiny.sites[0], reference=" QUMS-۱۴۰۵-۱۷ ", rotations=tiny.rotations, actor=coordinator_nazanin
    )
    assert agreement.reference == "QUMS-1405-17"  # Persian digits and stray spaces normalised
    assert set(agreement.rotations.all()) == set(tiny.rotations)
    events = AuditEvent.objects.filter(model_label="clinical.SiteAgreement", object_id=str(agreement.pk))
    assert events.filter(action="create").exists()
    (rotations_changed,) = [e for e in events.filter(action="update") if "rotations" in e.changes]
    assert rotations_changed.changes["rotations"] == [[], sorted(r.pk for r in tiny.rotations)]
    assert rotations_changed.actor == coordinator_nazanin

    _save(agreement=agreement, site=tiny.sites[0], ends_on=dt.date(2027, 9, 22), rotations=tiny.rotations[:1])
    agreement.refresh_from_db()
    assert agreement.ends_on == dt.date(2027, 9, 22)
    assert list(agreement.rotations.all()) == tiny.rotations[:1]


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"ends_on": dt.date(2026, 3, 21)}, "ends_on"),  # ends the day it starts
        ({"reference": "   "}, "reference"),
        ({"default_capacity": 0}, "default_capacity"),
    ],
)
def test_a_bad_agreement_is_refused_in_persian_and_nothing_is_saved(changes, field) -> None:
    with translation.override("fa"), pytest.raises(ValidationError) as refused:
        _save(**changes)
    assert field in refused.value.message_dict
    assert all(any("\u0600" <= ch <= "\u06ff" for ch in m) for m in refused.value.message_dict[field])
    assert not SiteAgreement.objects.exists()


def test_one_reference_per_site_but_other_sites_may_reuse_it() -> None:
    first = _save()
    with pytest.raises(ValidationError) as refused:
        _save(site=first.site)
    assert "reference" in refused.value.message_dict
    assert _save().reference == first.reference  # another site, the same number: fine
    # editing an agreement keeps its own reference
    assert _save(agreement=first, site=first.site, default_capacity=8).default_capacity == 8


def test_states_follow_the_dates() -> None:
    site = ClinicalSiteFactory()
    for reference, starts, ends in [
        ("ended", dt.date(2025, 3, 21), dt.date(2026, 3, 20)),
        ("ending", dt.date(2025, 12, 22), dt.date(2027, 1, 20)),
        ("active", dt.date(2026, 3, 21), dt.date(2027, 9, 22)),
        ("future", dt.date(2027, 3, 21), dt.date(2028, 3, 20)),
    ]:
        _save(site=site, reference=reference, starts_on=starts, ends_on=ends)
    states = {a.reference: a.state for a in agreement_list(warn_days=90, today=TODAY)}
    assert states == {"ended": "ended", "ending": "ending", "active": "active", "future": "future"}


def test_the_coordinator_lists_creates_and_edits_agreements(coordinator_nazanin) -> None:
    tiny = make_tiny_year(n_sites=1)
    client = _client(coordinator_nazanin)
    page = client.get(reverse("clinical:agreement_list"))
    assert page.status_code == 200 and 'data-testid="agreement-form"' in page.content.decode()

    form = {
        "site": tiny.sites[0].pk,
        "reference": "۱۴۰۵/۲۲",
        "starts_on": "1405/01/01",
        "ends_on": "1405/12/29",
        "rotations": [r.pk for r in tiny.rotations],
        "default_capacity": "۵",
        "notes": "",
    }
    response = client.post(reverse("clinical:agreement_list"), form)
    assert response.status_code == 302
    agreement = SiteAgreement.objects.get()
    assert (agreement.reference, agreement.default_capacity) == ("1405/22", 5)
    assert agreement.starts_on == dt.date(2026, 3, 21) and agreement.rotations.count() == 2

    listed = client.get(reverse("clinical:agreement_list")).content.decode()
    assert f'data-testid="agreement-{agreement.pk}"' in listed
    assert '<bdi dir="ltr" class="text-nowrap">1405/22</bdi>' in listed  # a reference is shown as written

    edit = reverse("clinical:agreement_edit", args=[agreement.pk])
    assert client.get(edit).status_code == 200
    refused = client.post(edit, {**form, "ends_on": "1404/12/29"})  # before it starts
    assert refused.status_code == 400
    assert "بعد از شروع" in refused.content.decode() or "after it starts" in refused.content.decode()
    agreement.refresh_from_db()
    assert agreement.ends_on == dt.date(2027, 3, 20)  # nothing half-saved

    assert client.post(edit, {**form, "default_capacity": "7"}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.default_capacity == 7


@pytest.mark.parametrize(
    "persona", ["student_sara", "preceptor_karimi", "registrar_maryam", "faculty_tehrani"]
)
def test_only_clinical_managers_see_or_change_agreements(request, persona) -> None:
    agreement = _save()
    value = request.getfixturevalue(persona)
    client = _client((getattr(value, "person", None) and value.person.user) or value)
    assert client.get(reverse("clinical:agreement_list")).status_code == 403
    assert client.get(reverse("clinical:agreement_edit", args=[agreement.pk])).status_code == 403
    response = client.post(
        reverse("clinical:agreement_edit", args=[agreement.pk]),
        {
            "site": agreement.site_id,
            "reference": "X",
            "starts_on": "1405/01/01",
            "ends_on": "1406/01/01",
            "default_capacity": 9,
        },
    )
    assert response.status_code == 403
    agreement.refresh_from_db()
    assert agreement.reference == "QUMS-1405-17" and agreement.default_capacity == 6


def test_the_api_records_and_corrects_agreements_with_the_same_rules(
    coordinator_nazanin, student_sara
) -> None:
    tiny = make_tiny_year(n_sites=1)
    url = reverse("api:clinical-agreements")
    body = {
        "site": tiny.sites[0].pk,
        "reference": "QUMS-1405-30",
        "starts_on": "2026-03-21",
        "ends_on": "2027-03-20",
        "rotations": [r.pk for r in tiny.rotations],
        "default_capacity": 4,
    }
    learner = client_for(student_sara.person.user)
    assert learner.get(url).status_code == 403
    assert learner.post(url, body, format="json").status_code == 403
    assert not SiteAgreement.objects.exists()
    assert_not_signed_in(client_for(None).get(url))

    client = client_for(coordinator_nazanin)
    created = client.post(url, body, format="json")
    assert created.status_code == 201, created.json()
    out = created.json()
    assert out["reference"] == "QUMS-1405-30" and out["rotations"] == sorted(r.pk for r in tiny.rotations)
    assert out["starts_on_jalali"] == "1405/01/01" and out["state"] in ("active", "ending", "ended")

    again = client.post(url, body, format="json")  # the same reference at the same site
    assert again.status_code == 400 and "reference" in again.json()
    backwards = client.post(url, {**body, "reference": "other", "ends_on": "2026-01-01"}, format="json")
    assert backwards.status_code == 400 and "ends_on" in backwards.json()
    assert SiteAgreement.objects.count() == 1

    detail = reverse("api:clinical-agreement-detail", args=[out["id"]])
    assert learner.put(detail, {**body, "default_capacity": 9}, format="json").status_code == 403
    changed = client.put(detail, {**body, "default_capacity": 9, "rotations": []}, format="json")
    assert changed.status_code == 200
    assert changed.json()["default_capacity"] == 9 and changed.json()["rotations"] == []
    assert [a["id"] for a in client.get(url).json()] == [out["id"]]


def test_an_offering_is_added_under_the_sites_agreement_in_force(coordinator_nazanin, student_sara) -> None:
    tiny = make_tiny_year(n_sites=0, n_rotations=2)
    site = ClinicalSiteFactory()
    first_block = tiny.blocks[0].start_date
    in_force = _save(
        site=site,
        reference="in-force",
        starts_on=first_block - dt.timedelta(days=10),
        ends_on=first_block + dt.timedelta(days=300),
        rotations=tiny.rotations[:1],
    )
    _save(site=site, reference="old", starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2021, 1, 1))
    url = reverse("clinical:offering_add", args=[tiny.year.pk])
    form = {
        "rotation": tiny.rotations[0].pk,
        "site": site.pk,
        "agreement": "",
        "min_learners": 1,
        "max_learners": 3,
    }
    assert _client(student_sara.person.user).post(url, form).status_code == 403
    assert not tiny.year.offerings.exists()

    client = _client(coordinator_nazanin)
    assert client.post(url, form).status_code == 302
    offering = tiny.year.offerings.get(site=site)
    assert (offering.agreement, offering.min_learners, offering.max_learners) == (in_force, 1, 3)
    assert AuditEvent.objects.filter(model_label="clinical.Offering", object_id=str(offering.pk)).exists()
    elsewhere = RotationType.objects.create(
        program=ProgramFactory(code="bsn", name_fa="پرستاری", name_en="Nursing"),
        code="other",
        phase=tiny.rotations[0].phase,
        name_fa="دیگر",
        name_en="Other",
    )
    assert client.post(url, {**form, "rotation": elsewhere.pk}).status_code == 302  # the form refuses it
    assert tiny.year.offerings.count() == 1


@pytest.mark.parametrize(
    "case,field",
    [
        ("offered already", "site"),
        ("not in the agreement", "agreement"),
        ("minimum above maximum", "max_learners"),
        ("another program's rotation", "rotation"),
        ("another site's agreement", "agreement"),
    ],
)
def test_an_offering_is_refused_with_its_reason(case, field) -> None:
    tiny = make_tiny_year(n_sites=1, n_rotations=2)  # every rotation offered at the one site
    site, (first, second) = tiny.sites[0], tiny.rotations
    agreement = _save(site=site, rotations=[first])
    values = {"year": tiny.year, "rotation": first, "site": site, "min_learners": 0, "max_learners": 2}
    if case == "not in the agreement":
        tiny.year.offerings.filter(rotation=second).delete()
        values.update(rotation=second, agreement=agreement)
    elif case == "minimum above maximum":
        tiny.year.offerings.filter(rotation=second).delete()
        values.update(rotation=second, min_learners=3)
    elif case == "another program's rotation":
        nursing = ProgramFactory(code="bsn", name_fa="پرستاری", name_en="Nursing")
        values.update(
            rotation=RotationType.objects.create(program=nursing, code="x", phase=first.phase, name_fa="x")
        )
    elif case == "another site's agreement":
        tiny.year.offerings.filter(rotation=second).delete()
        values.update(rotation=second, agreement=_save(reference="elsewhere"))  # a new site's
    before = tiny.year.offerings.count()
    with translation.override("fa"), pytest.raises(ValidationError) as refused:
        offering_add(**values)
    assert field in refused.value.message_dict
    assert any("\u0600" <= ch <= "\u06ff" for ch in refused.value.message_dict[field][0])
    assert tiny.year.offerings.count() == before
