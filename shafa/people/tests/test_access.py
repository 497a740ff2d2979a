"""Object-level rules: a student sees only themself, a faculty member their advisees, offices all."""

from __future__ import annotations

import pytest

from shafa.people.access import may_see_national_code
from shafa.people.selectors.students import student_list_visible_to

pytestmark = pytest.mark.django_db


def test_student_sees_only_themself(student_sara, student_reza) -> None:
    user = student_sara.person.user
    assert list(student_list_visible_to(user)) == [student_sara]
    assert user.has_perm("people.view_student", student_sara)
    assert not user.has_perm("people.view_student", student_reza)


def test_faculty_sees_advisees_only(faculty_tehrani, student_sara, student_reza) -> None:
    student_sara.advisor = faculty_tehrani
    student_sara.save()
    user = faculty_tehrani.person.user
    assert list(student_list_visible_to(user)) == [student_sara]
    assert not user.has_perm("people.view_student", student_reza)


def test_offices_see_everyone(registrar_maryam, leader_hosseini, student_sara, student_reza) -> None:
    for user in (registrar_maryam, leader_hosseini):
        assert set(student_list_visible_to(user)) == {student_sara, student_reza}


def test_preceptor_without_placed_learners_sees_no_student(preceptor_karimi, student_sara) -> None:
    assert list(student_list_visible_to(preceptor_karimi.person.user)) == []


def test_national_code_only_for_roles_that_need_it(
    registrar_maryam, leader_hosseini, student_sara, student_reza
) -> None:
    assert may_see_national_code(registrar_maryam, student_sara.person)
    assert not may_see_national_code(leader_hosseini, student_sara.person)
    assert may_see_national_code(student_sara.person.user, student_sara.person)
    assert not may_see_national_code(student_sara.person.user, student_reza.person)


def test_search_accepts_persian_digits_and_arabic_letters(
    registrar_maryam, student_sara, student_reza
) -> None:
    assert list(student_list_visible_to(registrar_maryam, search="۴۰۳۱۱۰۰۰۰۱")) == [student_sara]
    assert list(student_list_visible_to(registrar_maryam, search="كريمي")) == [student_reza]
