"""People pages: who sees which student, the national code, admitting a student, changing a status."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shafa.core.models import AuditEvent
from shafa.core.text import digits_to_persian
from shafa.core.validators import national_code_with_check_digit
from shafa.institution.tests.factories import ProgramFactory, TermFactory
from shafa.people.models import Person, Student, StudentStatus
from shafa.people.tests.factories import FacultyMemberFactory, PreceptorFactory, StudentFactory

pytestmark = pytest.mark.django_db


def login(client, subject):
    user = subject.person.user if hasattr(subject, "person") else subject
    client.force_login(user)
    return user


# --- Students: lists and details only through the access scopes ------------------------------------


def test_student_list_needs_login(client):
    assert client.get(reverse("people:student_list")).status_code == 302


def test_a_student_sees_only_themself(client, student_sara, student_reza):
    login(client, student_sara)
    body = client.get(reverse("people:student_list")).content.decode()
    assert "سارا محمدی" in body and "رضا کریمی" not in body
    assert client.get(reverse("people:student_detail", args=[student_sara.pk])).status_code == 200
    assert client.get(reverse("people:student_detail", args=[student_reza.pk])).status_code == 404


def test_faculty_see_their_advisees_only(client, faculty_tehrani, student_sara, student_reza):
    student_sara.advisor = faculty_tehrani
    student_sara.save()
    login(client, faculty_tehrani)
    assert client.get(reverse("people:student_detail", args=[student_sara.pk])).status_code == 200
    assert client.get(reverse("people:student_detail", args=[student_reza.pk])).status_code == 404


@pytest.mark.parametrize(
    "persona", ["registrar_maryam", "admin_amir", "leader_hosseini", "coordinator_nazanin"]
)
def test_offices_see_every_student_in_few_queries(
    client, request, persona, student_sara, django_assert_max_num_queries
):
    StudentFactory.create_batch(30)
    login(client, request.getfixturevalue(persona))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("people:student_list"))
    assert response.status_code == 200
    assert response.content.decode().count("/people/students/") >= 25
    with django_assert_max_num_queries(12):
        assert client.get(reverse("people:student_detail", args=[student_sara.pk])).status_code == 200


def test_student_search_by_number_in_any_digit_script_and_filters(
    client, registrar_maryam, student_sara, student_reza
):
    login(client, registrar_maryam)
    url = reverse("people:student_list")
    body = client.get(url, {"q": "۴۰۳۱۱۰۰۰۰۱"}).content.decode()
    assert "سارا محمدی" in body and "رضا کریمی" not in body
    body = client.get(url, {"q": "كريمي"}).content.decode()  # Arabic kaf and yeh
    assert "رضا کریمی" in body and "سارا محمدی" not in body
    student_reza.status = StudentStatus.ON_LEAVE
    student_reza.save()
    body = client.get(url, {"status": "on_leave"}).content.decode()
    assert "رضا کریمی" in body and "سارا محمدی" not in body
    other = StudentFactory(program=ProgramFactory(code="dds", name_fa="دندانپزشکی"))
    body = client.get(url, {"program": other.program.pk}).content.decode()
    assert digits_to_persian(other.student_number) in body and "سارا محمدی" not in body


def test_national_code_only_for_roles_that_need_it(client, student_sara, registrar_maryam, leader_hosseini):
    code = digits_to_persian(student_sara.person.national_code)
    url = reverse("people:student_detail", args=[student_sara.pk])
    login(client, registrar_maryam)
    assert code in client.get(url).content.decode()
    login(client, leader_hosseini)
    assert code not in client.get(url).content.decode()
    login(client, student_sara)
    assert code in client.get(url).content.decode()  # their own


# --- Admitting a student ---------------------------------------------------------------------------


@pytest.fixture
def admission():
    program, term = ProgramFactory(), TermFactory()
    return {
        "student_number": "۴۰۴۱۱۰۰۰۹۹",
        "national_code": national_code_with_check_digit("001234567"),
        "first_name_fa": "نگار",
        "last_name_fa": "رحيمي",
        "first_name_en": "Negar",
        "last_name_en": "Rahimi",
        "sex": "F",
        "birth_date": "۱۳۸۲/۰۲/۱۱",
        "program": program.pk,
        "entry_term": term.pk,
    }


@pytest.mark.parametrize(
    "persona", ["student_sara", "faculty_tehrani", "leader_hosseini", "preceptor_karimi"]
)
def test_only_the_registrar_admits(client, request, persona):
    login(client, request.getfixturevalue(persona))
    assert client.get(reverse("people:student_admit")).status_code == 403


def test_admit_without_login_goes_to_login(client):
    assert client.get(reverse("people:student_admit")).status_code == 302


def test_registrar_admits_a_student(client, registrar_maryam, admission):
    login(client, registrar_maryam)
    assert client.get(reverse("people:student_admit")).status_code == 200
    response = client.post(reverse("people:student_admit"), admission)
    student = Student.objects.get(student_number="4041100099")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:student_detail", args=[student.pk])
    assert student.person.last_name_fa == "رحیمی"  # normalised
    assert student.person.birth_date.isoformat() == "2003-05-01"


@pytest.mark.parametrize(
    ("change", "field", "persian_words"),
    [
        ({"national_code": "1234567890"}, "national_code", "کد ملی معتبری نیست"),
        ({"birth_date": "1404/12/30"}, "birth_date", "۱۴۰۴/۱۲/۳۰ در تقویم شمسی تاریخی نیست"),
        ({"birth_date": "نمی‌دانم"}, "birth_date", "سال/ماه/روز"),
        ({"student_number": "4031100001"}, "student_number", "از پیش وجود دارد"),
    ],
)
def test_bad_admission_shows_the_error_in_persian_and_saves_nothing(
    client, registrar_maryam, student_sara, admission, change, field, persian_words
):
    login(client, registrar_maryam)
    before = (Person.objects.count(), Student.objects.count())
    response = client.post(reverse("people:student_admit"), {**admission, **change})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert persian_words in response.content.decode()
    assert (Person.objects.count(), Student.objects.count()) == before


def test_bad_admission_in_english(client, registrar_maryam, admission):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    login(client, registrar_maryam)
    response = client.post(reverse("people:student_admit"), {**admission, "national_code": "1234567890"})
    assert "is not a valid national code" in response.content.decode()
    assert not Student.objects.exists()


def test_admission_form_keeps_the_jalali_date_it_was_given(client, registrar_maryam, admission):
    login(client, registrar_maryam)
    response = client.post(reverse("people:student_admit"), {**admission, "national_code": "1"})
    assert "۱۳۸۲/۰۲/۱۱" in response.content.decode()


# --- Changing a student's status -------------------------------------------------------------------


def test_registrar_changes_status_with_a_reason_that_is_audited(client, registrar_maryam, student_sara):
    login(client, registrar_maryam)
    url = reverse("people:student_status", args=[student_sara.pk])
    response = client.post(url, {"status": "on_leave", "reason": "  "})
    assert response.status_code == 400
    student_sara.refresh_from_db()
    assert student_sara.status == StudentStatus.ACTIVE
    response = client.post(url, {"status": "on_leave", "reason": "مرخصی زایمان"})
    assert response.status_code == 302
    student_sara.refresh_from_db()
    assert student_sara.status == StudentStatus.ON_LEAVE
    event = AuditEvent.objects.filter(model_label="people.Student", object_id=str(student_sara.pk)).latest(
        "id"
    )
    assert event.reason == "مرخصی زایمان" and event.actor == registrar_maryam
    assert event.changes["status"] == ["active", "on_leave"]


@pytest.mark.parametrize("persona", ["student_sara", "faculty_tehrani", "leader_hosseini"])
def test_others_cannot_change_status(client, request, persona, student_reza):
    login(client, request.getfixturevalue(persona))
    response = client.post(
        reverse("people:student_status", args=[student_reza.pk]), {"status": "withdrawn", "reason": "x"}
    )
    assert response.status_code == 403
    student_reza.refresh_from_db()
    assert student_reza.status == StudentStatus.ACTIVE


def test_status_form_is_shown_only_to_the_registrar(client, registrar_maryam, student_sara):
    url = reverse("people:student_detail", args=[student_sara.pk])
    login(client, student_sara)
    assert "/status/" not in client.get(url).content.decode()
    login(client, registrar_maryam)
    assert reverse("people:student_status", args=[student_sara.pk]) in client.get(url).content.decode()


# --- Faculty and preceptors ------------------------------------------------------------------------


def test_faculty_list_and_detail_for_signed_in_users(
    client, student_sara, faculty_tehrani, django_assert_max_num_queries
):
    FacultyMemberFactory.create_batch(30)
    assert client.get(reverse("people:faculty_list")).status_code == 302
    login(client, student_sara)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("people:faculty_list"), {"q": "تهرانی"})
    assert "محمد تهرانی" in response.content.decode()
    body = client.get(reverse("people:faculty_detail", args=[faculty_tehrani.pk])).content.decode()
    assert "محمد تهرانی" in body
    assert digits_to_persian(faculty_tehrani.person.national_code) not in body


def test_preceptors_see_colleagues_at_their_site_and_students_see_none(
    client, preceptor_karimi, student_sara, registrar_maryam, django_assert_max_num_queries
):
    colleague = PreceptorFactory(site=preceptor_karimi.site)
    elsewhere = PreceptorFactory()
    login(client, preceptor_karimi)
    with django_assert_max_num_queries(12):
        body = client.get(reverse("people:preceptor_list")).content.decode()
    assert colleague.person.last_name_fa in body and elsewhere.person.last_name_fa not in body
    login(client, student_sara)
    assert "زهرا کریمی" not in client.get(reverse("people:preceptor_list")).content.decode()
    login(client, registrar_maryam)
    body = client.get(reverse("people:preceptor_list")).content.decode()
    assert colleague.person.last_name_fa in body and elsewhere.person.last_name_fa in body


def test_unknown_faculty_member_is_404(client, student_sara):
    login(client, student_sara)
    assert client.get(reverse("people:faculty_detail", args=[999999])).status_code == 404
    assert client.get(reverse("people:student_detail", args=[999999])).status_code == 404
