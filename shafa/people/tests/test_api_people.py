"""People endpoints: the same object-level rules as the UI, national codes only where allowed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shafa.core.api.testing import ROLE_PERSONAS, assert_not_signed_in, client_for, user_of
from shafa.people.models import Student
from shafa.people.tests.factories import (
    FacultyMemberFactory,
    PersonFactory,
    PreceptorFactory,
    StudentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

STUDENTS = reverse("api:people:student-list")


def student_url(student: Student) -> str:
    return reverse("api:people:student-detail", args=[student.pk])


def numbers(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["student_number"] for row in response.json()["results"]}


@pytest.fixture
def cohort(student_sara, student_reza, faculty_tehrani):
    """Reza is Dr Tehrani's advisee; Sara is not."""
    student_reza.advisor = faculty_tehrani
    student_reza.save()
    return {"sara": student_sara, "reza": student_reza}


# --- Who gets in -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "route",
    ["api:people:student-list", "api:people:faculty-list", "api:people:preceptor-list", "api:people:me"],
)
def test_anonymous_is_refused(route, db):
    assert_not_signed_in(client_for(None).get(reverse(route)))


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
@pytest.mark.parametrize(
    "route",
    ["api:people:student-list", "api:people:faculty-list", "api:people:preceptor-list", "api:people:me"],
)
def test_every_role_may_ask_and_gets_its_own_scope(request, persona, route, cohort):
    assert client_for(user_of(request, persona)).get(reverse(route)).status_code == 200


# --- Students: object-level visibility ----------------------------------------------------------
def test_a_student_sees_only_themself(cohort):
    client = client_for(cohort["sara"].person.user)
    assert numbers(client.get(STUDENTS)) == {"4031100001"}
    assert client.get(student_url(cohort["sara"])).status_code == 200
    response = client.get(student_url(cohort["reza"]))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_faculty_sees_advisees_only(cohort, faculty_tehrani):
    client = client_for(faculty_tehrani.person.user)
    assert numbers(client.get(STUDENTS)) == {"4031100002"}
    assert client.get(student_url(cohort["reza"])).status_code == 200
    assert client.get(student_url(cohort["sara"])).status_code == 404


def test_preceptor_without_learners_sees_no_student(cohort, preceptor_karimi):
    client = client_for(preceptor_karimi.person.user)
    assert numbers(client.get(STUDENTS)) == set()
    assert client.get(student_url(cohort["sara"])).status_code == 404


@pytest.mark.parametrize(
    "persona", ["registrar_maryam", "admin_amir", "leader_hosseini", "coordinator_nazanin"]
)
def test_offices_see_every_student(request, persona, cohort):
    assert numbers(client_for(user_of(request, persona)).get(STUDENTS)) == {"4031100001", "4031100002"}


def test_student_filters(registrar_maryam, cohort):
    client = client_for(registrar_maryam)
    cohort["reza"].status = "on_leave"
    cohort["reza"].save()
    assert numbers(client.get(STUDENTS, {"status": "on_leave"})) == {"4031100002"}
    assert numbers(client.get(STUDENTS, {"search": "محمدی"})) == {"4031100001"}
    assert numbers(client.get(STUDENTS, {"search": "Karimi"})) == {"4031100002"}
    assert numbers(client.get(STUDENTS, {"search": "۴۰۳۱۱۰۰۰۰۲"})) == {"4031100002"}
    assert numbers(client.get(STUDENTS, {"program": cohort["sara"].program_id})) == {
        "4031100001",
        "4031100002",
    }
    assert numbers(client.get(STUDENTS, {"program": 999999})) == set()
    assert client.get(STUDENTS, {"status": "expelled"}).status_code == 400


def test_student_record_has_bilingual_names_and_jalali_birth_date(registrar_maryam, cohort):
    data = client_for(registrar_maryam).get(student_url(cohort["sara"])).json()
    person = data["person"]
    assert (person["first_name_fa"], person["last_name_fa"]) == ("سارا", "محمدی")
    assert (person["first_name_en"], person["last_name_en"]) == ("Sara", "Mohammadi")
    assert person["birth_date"] == "2003-05-01"
    assert person["birth_date_jalali"] == "1382/02/11"
    assert data["program"]["code"] == "md"
    assert data["entry_term"]["code"] == 14041


# --- National code: shown only where may_see_national_code allows -------------------------------
@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("registrar_maryam", True),
        ("admin_amir", True),
        ("leader_hosseini", False),
        ("coordinator_nazanin", False),
    ],
)
def test_national_code_only_for_roles_that_need_it(request, persona, shown, cohort):
    data = client_for(user_of(request, persona)).get(student_url(cohort["reza"])).json()
    assert ("national_code" in data["person"]) is shown
    if shown:
        assert data["person"]["national_code"] == cohort["reza"].person.national_code


def test_national_code_shown_to_its_owner_not_to_their_advisor(cohort, faculty_tehrani):
    own = client_for(cohort["reza"].person.user).get(student_url(cohort["reza"])).json()
    assert own["person"]["national_code"] == cohort["reza"].person.national_code
    advisor_view = client_for(faculty_tehrani.person.user).get(student_url(cohort["reza"])).json()
    assert "national_code" not in advisor_view["person"]


# --- Faculty and preceptors ---------------------------------------------------------------------
def test_faculty_list_is_public_to_members_but_without_personal_details(student_sara, faculty_tehrani):
    data = client_for(student_sara.person.user).get(reverse("api:people:faculty-list")).json()
    [row] = data["results"]
    assert row["person"]["last_name_en"] == "Tehrani"
    assert row["rank"] == "assistant_professor"
    for private in ("national_code", "birth_date", "mobile", "email"):
        assert private not in row["person"]


def test_faculty_filter_by_department(registrar_maryam, faculty_tehrani):
    other = FacultyMemberFactory()
    url = reverse("api:people:faculty-list")
    rows = client_for(registrar_maryam).get(url, {"department": other.department_id}).json()["results"]
    assert [row["id"] for row in rows] == [other.pk]


def test_preceptors_see_colleagues_at_their_own_site_only(preceptor_karimi, student_sara):
    colleague = PreceptorFactory(site=preceptor_karimi.site)
    elsewhere = PreceptorFactory()
    url = reverse("api:people:preceptor-list")
    ids = {row["id"] for row in client_for(preceptor_karimi.person.user).get(url).json()["results"]}
    assert ids == {preceptor_karimi.pk, colleague.pk}
    response = client_for(preceptor_karimi.person.user).get(
        reverse("api:people:preceptor-detail", args=[elsewhere.pk])
    )
    assert response.status_code == 404
    assert client_for(student_sara.person.user).get(url).json()["count"] == 0


def test_coordinator_sees_every_preceptor_and_filters_by_site(coordinator_nazanin, preceptor_karimi):
    other = PreceptorFactory()
    url = reverse("api:people:preceptor-list")
    client = client_for(coordinator_nazanin)
    assert client.get(url).json()["count"] == 2
    rows = client.get(url, {"site": other.site_id}).json()["results"]
    assert [row["id"] for row in rows] == [other.pk]


# --- /me ----------------------------------------------------------------------------------------
def test_me_for_a_student(student_sara):
    data = client_for(student_sara.person.user).get(reverse("api:people:me")).json()
    assert data["username"] == "sara"
    assert data["roles"] == ["student"]
    assert data["primary_role"] == "student"
    assert data["student"]["student_number"] == "4031100001"
    assert data["faculty"] is None
    assert data["person"]["national_code"] == student_sara.person.national_code
    assert data["person"]["birth_date_jalali"] == "1382/02/11"


def test_me_for_faculty_and_preceptor(faculty_tehrani, preceptor_karimi):
    data = client_for(faculty_tehrani.person.user).get(reverse("api:people:me")).json()
    assert data["faculty"]["id"] == faculty_tehrani.pk
    assert data["student"] is None
    data = client_for(preceptor_karimi.person.user).get(reverse("api:people:me")).json()
    assert [p["site"]["id"] for p in data["preceptorships"]] == [preceptor_karimi.site_id]
    assert data["person"]["last_name_en"] == "Karimi"


def test_me_for_an_office_without_a_person(registrar_maryam):
    data = client_for(registrar_maryam).get(reverse("api:people:me")).json()
    assert data["roles"] == ["registrar"]
    assert data["person"] is None and data["student"] is None and data["preceptorships"] == []


# --- Query counts -------------------------------------------------------------------------------
def test_student_list_does_not_grow_queries_with_rows(
    registrar_maryam, cohort, faculty_tehrani, django_assert_max_num_queries
):
    for _ in range(8):
        StudentFactory(advisor=faculty_tehrani)
    client = client_for(registrar_maryam)
    # roles of the requester, count, page — not one query per student, advisor or person.
    with django_assert_max_num_queries(4):
        response = client.get(STUDENTS)
    assert response.json()["count"] == 10


def test_faculty_and_preceptor_lists_do_not_grow_queries(coordinator_nazanin, django_assert_max_num_queries):
    for _ in range(6):
        FacultyMemberFactory()
        PreceptorFactory()
    client = client_for(coordinator_nazanin)
    with django_assert_max_num_queries(3):
        assert client.get(reverse("api:people:faculty-list")).json()["count"] == 6
    with django_assert_max_num_queries(4):
        assert client.get(reverse("api:people:preceptor-list")).json()["count"] == 6


def test_student_sees_own_record_with_a_bounded_number_of_queries(
    student_sara, django_assert_max_num_queries
):
    client = client_for(student_sara.person.user)
    with django_assert_max_num_queries(4):
        assert client.get(STUDENTS).json()["count"] == 1


def test_token_authenticated_user_gets_the_same_scope(student_sara, student_reza):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    token = Token.objects.create(user=student_sara.person.user)
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert numbers(client.get(STUDENTS)) == {"4031100001"}
    assert client.get(student_url(student_reza)).status_code == 404


def test_unrelated_user_without_role_sees_nobody(cohort):
    nobody = UserFactory(username="nobody")
    PersonFactory(user=nobody)
    assert numbers(client_for(nobody).get(STUDENTS)) == set()
