"""The home dashboard by role (panels registered by this app and others) and the audit log's content."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from shafa.core import jalali
from shafa.core.models import AuditEvent
from shafa.institution.tests.factories import ClinicalSiteFactory
from shafa.people.models import StudentStatus
from shafa.people.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

PERSIAN_DATE = re.compile(r"[۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2}")


@pytest.mark.parametrize(
    ("persona", "panel"),
    [
        ("student_sara", "student"),
        ("registrar_maryam", "registrar"),
        ("faculty_tehrani", "faculty"),
        ("preceptor_karimi", "preceptor"),
        ("coordinator_nazanin", "coordinator"),
        ("leader_hosseini", "leadership"),
        ("admin_amir", "administrator"),
    ],
)
def test_each_role_sees_its_own_dashboard(client, request, persona, panel, django_assert_max_num_queries):
    subject = request.getfixturevalue(persona)
    user = (getattr(subject, "person", None) and subject.person.user) or subject
    StudentFactory.create_batch(3)
    ClinicalSiteFactory.create_batch(2)
    client.force_login(user)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("core:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-panel="{panel}"' in body
    others = {
        "student",
        "registrar",
        "faculty",
        "preceptor",
        "coordinator",
        "leadership",
        "administrator",
    } - {panel}
    assert not any(f'data-panel="{other}"' in body for other in others)


def test_registrar_dashboard_counts_students_by_status_in_persian_digits(client, registrar_maryam):
    StudentFactory.create_batch(12)
    StudentFactory(status=StudentStatus.GRADUATED)
    client.force_login(registrar_maryam)
    body = client.get(reverse("core:home")).content.decode()
    assert '<div class="value">۱۲</div>' in body
    assert '<div class="value">۱</div>' in body


def test_faculty_dashboard_lists_only_their_advisees(client, faculty_tehrani, student_sara, student_reza):
    student_sara.advisor = faculty_tehrani
    student_sara.save()
    client.force_login(faculty_tehrani.person.user)
    body = client.get(reverse("core:home")).content.decode()
    assert "سارا محمدی" in body
    assert "رضا کریمی" not in body


def test_research_and_graduates_offices_have_dashboards(client, make_user):
    StudentFactory(status=StudentStatus.GRADUATED)
    for role, panel in (("research_office", "research"), ("graduates_office", "graduates")):
        client.force_login(make_user(role, role))
        body = client.get(reverse("core:home")).content.decode()
        assert f'data-panel="{panel}"' in body


def test_audit_log_shows_who_when_what_and_why_and_filters(
    client, admin_amir, registrar_maryam, django_assert_max_num_queries
):
    from shafa.people.services.persons import student_update

    student = StudentFactory()
    from shafa.core.audit import audit_context

    with audit_context(actor=registrar_maryam):
        student_update(student=student, reason="مرخصی تحصیلی", status=StudentStatus.ON_LEAVE)
    client.force_login(admin_amir)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("core:audit"), {"record_type": "people.Student", "actor": "maryam"})
    body = response.content.decode()
    assert "مرخصی تحصیلی" in body
    assert "maryam" in body
    assert '<span class="before">active</span> → <span class="after">on_leave</span>' in body
    assert PERSIAN_DATE.search(body)
    assert body.count("data-event=") == 1
    today = jalali.format_jalali_iso(timezone.localdate())
    tomorrow = jalali.format_jalali_iso(timezone.localdate() + dt.timedelta(days=1))
    assert client.get(reverse("core:audit"), {"date_from": today}).content.decode().count("data-event=") >= 1
    assert (
        client.get(reverse("core:audit"), {"date_from": tomorrow}).content.decode().count("data-event=") == 0
    )
    assert AuditEvent.objects.filter(reason="مرخصی تحصیلی").count() == 1
