"""Admitting and changing students through the API: bad input refused whole, in the user's language."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shafa.core.api.testing import ROLE_PERSONAS, assert_not_signed_in, client_for, user_of
from shafa.core.models import AuditEvent
from shafa.core.validators import national_code_with_check_digit
from shafa.institution.tests.factories import ProgramFactory, TermFactory
from shafa.people.models import Person, Student
from shafa.people.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

STUDENTS = reverse("api:people:student-list")
VALID_CODE = national_code_with_check_digit("004128935")


@pytest.fixture
def admission(db):
    program = ProgramFactory()
    TermFactory()
    return {
        "student_number": "4041100001",
        "program": program.pk,
        "entry_term": 14041,
        "national_code": VALID_CODE,
        "first_name_fa": "نرگس",
        "last_name_fa": "رحیمی",
        "first_name_en": "Narges",
        "last_name_en": "Rahimi",
        "sex": "F",
        "birth_date_jalali": "1382/02/11",
    }


def rows() -> tuple[int, int, int]:
    return Person.objects.count(), Student.objects.count(), AuditEvent.objects.count()


def post(user, data, language="en"):
    return client_for(user, language=language).post(STUDENTS, data, format="json")


# --- Who may admit ------------------------------------------------------------------------------
def test_anonymous_cannot_admit(admission):
    assert_not_signed_in(client_for(None).post(STUDENTS, admission, format="json"))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("student_sara", 403),
        ("faculty_tehrani", 403),
        ("preceptor_karimi", 403),
        ("leader_hosseini", 403),
        ("registrar_maryam", 201),
        ("admin_amir", 201),
    ],
)
def test_only_registrar_and_administrator_admit(request, persona, status, admission):
    response = post(user_of(request, persona), admission)
    assert response.status_code == status, response.content
    assert Student.objects.filter(student_number="4041100001").exists() is (status == 201)
    if status == 403:
        assert response.json()["code"] == "permission_denied"


# --- Good input ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "birth",
    [
        {"birth_date_jalali": "1382/02/11"},
        {"birth_date_jalali": "۱۳۸۲/۰۲/۱۱"},
        {"birth_date_jalali": "١٣٨٢-٢-١١"},
        {"birth_date": "2003-05-01"},
    ],
)
def test_registrar_admits_a_student_with_a_jalali_or_iso_birth_date(registrar_maryam, admission, birth):
    del admission["birth_date_jalali"]
    admission.update(birth)
    response = post(registrar_maryam, admission)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["student_number"] == "4041100001"
    assert data["person"]["birth_date"] == "2003-05-01"
    assert data["person"]["birth_date_jalali"] == "1382/02/11"
    assert data["person"]["national_code"] == VALID_CODE
    student = Student.objects.get(pk=data["id"])
    assert student.person.last_name_fa == "رحیمی"
    event = AuditEvent.objects.get(model_label="people.Student", object_id=str(student.pk), action="create")
    assert event.actor == registrar_maryam


def test_persian_digits_in_numbers_are_read(registrar_maryam, admission):
    admission["student_number"] = "۴۰۴۱۱۰۰۰۰۹"
    admission["national_code"] = VALID_CODE.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    response = post(registrar_maryam, admission)
    assert response.status_code == 201, response.content
    assert Student.objects.get(student_number="4041100009").person.national_code == VALID_CODE


def test_leap_year_esfand_30_exists(registrar_maryam, admission):
    admission["birth_date_jalali"] = "1403/12/30"
    response = post(registrar_maryam, admission)
    assert response.status_code == 201, response.content
    assert response.json()["person"]["birth_date"] == "2025-03-20"


# --- Bad input: 400, field errors in the request's language, nothing saved -----------------------
BAD_INPUTS = {
    "wrong national code": (
        {"national_code": "0041289351"},
        "national_code",
        "not a valid national code",
        "کد ملی",
    ),
    "impossible jalali date": (
        {"birth_date_jalali": "1404/12/30"},
        "birth_date_jalali",
        "1404/12/30 is not a date in the Jalali calendar",
        "۱۴۰۴/۱۲/۳۰ در تقویم شمسی",
    ),
    "unreadable jalali date": (
        {"birth_date_jalali": "11 Ordibehesht"},
        "birth_date_jalali",
        "Enter a Jalali date",
        "سال/ماه/روز",
    ),
    "future birth date": (
        {"birth_date_jalali": "1499/01/01"},
        "birth_date_jalali",
        "in the future",
        "تاریخ تولد در آینده است",
    ),
    "unknown program": ({"program": 999999}, "program", "Invalid pk", None),
    "unknown term": ({"entry_term": 13001}, "entry_term", "does not exist", None),
    "missing persian name": ({"last_name_fa": ""}, "last_name_fa", "may not be blank", None),
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_is_refused_whole_in_english(registrar_maryam, admission, case):
    change, field, english, _persian = BAD_INPUTS[case]
    admission.update(change)
    before = rows()
    response = post(registrar_maryam, admission, language="en")
    assert response.status_code == 400, response.content
    assert english in " ".join(response.json()[field]), response.json()
    assert rows() == before


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_is_refused_whole_in_persian(registrar_maryam, admission, case):
    change, field, english, persian = BAD_INPUTS[case]
    admission.update(change)
    before = rows()
    response = post(registrar_maryam, admission, language="fa")
    assert response.status_code == 400, response.content
    message = " ".join(response.json()[field])
    assert english not in message, message
    assert any("\u0600" <= char <= "\u06ff" for char in message), message
    if persian:
        assert persian in message
    assert rows() == before


@pytest.mark.parametrize("language", ["en", "fa"])
def test_duplicate_student_number_is_refused_and_nothing_half_saved(registrar_maryam, admission, language):
    StudentFactory(student_number="4041100001")
    before = rows()
    response = post(registrar_maryam, admission, language=language)
    assert response.status_code == 400
    message = response.json()["student_number"][0]
    assert "4041100001" in message
    if language == "en":
        assert message == "A student with number 4041100001 already exists."
    else:
        assert "already exists" not in message and "دانشجو" in message
    assert rows() == before


def test_duplicate_national_code_is_refused(registrar_maryam, admission, student_sara):
    admission["national_code"] = student_sara.person.national_code
    before = rows()
    response = post(registrar_maryam, admission)
    assert response.status_code == 400
    assert "national_code" in response.json()
    assert rows() == before


def test_birth_date_is_required_in_one_calendar(registrar_maryam, admission):
    del admission["birth_date_jalali"]
    response = post(registrar_maryam, admission)
    assert response.status_code == 400
    assert "birth_date_jalali" in response.json()
    admission.update({"birth_date": "2003-05-02", "birth_date_jalali": "1382/02/11"})
    response = post(registrar_maryam, admission)
    assert response.status_code == 400
    assert "birth_date_jalali" in response.json()


def test_several_errors_are_reported_together(registrar_maryam, admission):
    admission.update({"national_code": "123", "birth_date_jalali": "1404/12/30", "sex": "X"})
    response = post(registrar_maryam, admission)
    assert response.status_code == 400
    assert {"birth_date_jalali", "sex"} <= set(response.json())


# --- PATCH: status with a required reason -------------------------------------------------------
def patch(user, student, data, language="en"):
    url = reverse("api:people:student-detail", args=[student.pk])
    return client_for(user, language=language).patch(url, data, format="json")


def test_registrar_changes_status_with_a_reason_that_is_audited(registrar_maryam, student_sara):
    response = patch(
        registrar_maryam, student_sara, {"status": "on_leave", "reason": "Medical leave, letter 12"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "on_leave"
    student_sara.refresh_from_db()
    assert student_sara.status == "on_leave"
    event = AuditEvent.objects.filter(
        model_label="people.Student", object_id=str(student_sara.pk), action="update"
    ).latest("id")
    assert event.reason == "Medical leave, letter 12"
    assert event.changes["status"] == ["active", "on_leave"]
    assert event.actor == registrar_maryam


@pytest.mark.parametrize("language", ["en", "fa"])
@pytest.mark.parametrize("reason", [None, "", "   "])
def test_status_change_without_reason_is_refused(registrar_maryam, student_sara, language, reason):
    data = {"status": "withdrawn"} if reason is None else {"status": "withdrawn", "reason": reason}
    before = AuditEvent.objects.count()
    response = patch(registrar_maryam, student_sara, data, language=language)
    assert response.status_code == 400
    message = response.json()["reason"][0]
    assert ("This field" in message) is (language == "en")
    student_sara.refresh_from_db()
    assert student_sara.status == "active"
    assert AuditEvent.objects.count() == before


def test_unknown_status_is_refused(registrar_maryam, student_sara):
    response = patch(registrar_maryam, student_sara, {"status": "expelled", "reason": "x"})
    assert response.status_code == 400
    assert "status" in response.json()


def test_student_cannot_change_own_status_and_others_are_invisible(student_sara, student_reza):
    user = student_sara.person.user
    assert patch(user, student_sara, {"status": "graduated", "reason": "done"}).status_code == 403
    assert patch(user, student_reza, {"status": "graduated", "reason": "done"}).status_code == 404
    student_sara.refresh_from_db()
    assert student_sara.status == "active"


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
def test_put_and_delete_are_not_offered(request, persona, student_sara):
    client = client_for(user_of(request, persona))
    url = reverse("api:people:student-detail", args=[student_sara.pk])
    assert client.put(url, {}, format="json").status_code in (404, 405)
    assert client.delete(url).status_code in (404, 405)
    assert Student.objects.filter(pk=student_sara.pk).exists()
