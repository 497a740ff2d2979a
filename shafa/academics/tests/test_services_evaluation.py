"""Teacher evaluation: once per student and section, anonymous, aggregated only from 5 answers."""
# ruff: noqa: F811  (pytest fixtures imported from grades_fixtures are redefined as arguments)

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from shafa.academics.models import EvaluationAnswer, EvaluationReceipt, EvaluationResponse, RegistrationStatus
from shafa.academics.selectors.evaluation import evaluation_summary, questionnaire_for, sections_to_evaluate
from shafa.academics.services.evaluation import evaluation_submit
from shafa.academics.services.grades import GradingRefused
from shafa.people.tests.factories import StudentFactory

from .grades_fixtures import answers_for, enrol, grade_term, questionnaire, taught_section  # noqa: F401


def test_a_student_answers_once(taught_section, student_sara, questionnaire):
    enrol(student_sara, taught_section)
    assert sections_to_evaluate(student_sara) == [taught_section]
    evaluation_submit(
        student=student_sara, section=taught_section, answers=answers_for(questionnaire, 5), comment="عالی"
    )
    assert sections_to_evaluate(student_sara) == []
    with pytest.raises(GradingRefused) as refused:
        evaluation_submit(student=student_sara, section=taught_section, answers=answers_for(questionnaire, 1))
    assert refused.value.code == "already_evaluated"
    assert EvaluationResponse.objects.count() == 1
    assert EvaluationAnswer.objects.filter(score=1).count() == 0


def test_the_database_holds_one_receipt_per_student_and_section(taught_section, student_sara):
    import datetime as dt

    EvaluationReceipt.objects.create(
        student=student_sara, section=taught_section, submitted_on=dt.date.today()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        EvaluationReceipt.objects.create(
            student=student_sara, section=taught_section, submitted_on=dt.date.today()
        )


def test_answers_carry_no_student(taught_section, student_sara, questionnaire):
    enrol(student_sara, taught_section)
    evaluation_submit(student=student_sara, section=taught_section, answers=answers_for(questionnaire))
    response_fields = {f.name for f in EvaluationResponse._meta.get_fields()}
    answer_fields = {f.name for f in EvaluationAnswer._meta.get_fields()}
    assert not {"student", "user", "registration", "created_at", "submitted_on"} & (
        response_fields | answer_fields
    )
    # random keys: the order of responses says nothing about the order of receipts
    assert EvaluationResponse._meta.pk.get_internal_type() == "UUIDField"
    assert EvaluationAnswer._meta.pk.get_internal_type() == "UUIDField"
    receipt_fields = {f.name for f in EvaluationReceipt._meta.get_fields()}
    assert "response" not in receipt_fields


def test_only_registered_students_answer_and_every_question(
    taught_section, student_sara, student_reza, questionnaire
):
    enrol(student_reza, taught_section, status=RegistrationStatus.DROPPED)
    with pytest.raises(GradingRefused) as refused:
        evaluation_submit(student=student_reza, section=taught_section, answers=answers_for(questionnaire))
    assert refused.value.code == "not_in_section"
    enrol(student_sara, taught_section)
    partial = answers_for(questionnaire)
    partial.pop(next(iter(partial)))
    for bad in (
        partial,
        {pk: 6 for pk in answers_for(questionnaire)},
        {pk: "x" for pk in answers_for(questionnaire)},
    ):
        with pytest.raises(GradingRefused) as refused:
            evaluation_submit(student=student_sara, section=taught_section, answers=bad)
        assert refused.value.code == "answers_incomplete"
    assert not EvaluationReceipt.objects.exists()


def test_aggregate_shown_only_from_five_answers(taught_section, questionnaire):
    students = [StudentFactory() for _ in range(5)]
    for student in students:
        enrol(student, taught_section)
    for index, student in enumerate(students[:4]):
        evaluation_submit(
            student=student, section=taught_section, answers=answers_for(questionnaire, 1 + index)
        )
    summary = evaluation_summary(taught_section)
    assert summary.responses == 4 and not summary.shown and summary.questions == []
    evaluation_submit(student=students[4], section=taught_section, answers=answers_for(questionnaire, 5))
    summary = evaluation_summary(taught_section)
    assert summary.shown and summary.responses == 5
    # scores 1,2,3,4,5 → mean 3 on every question
    assert [str(q.mean) for q in summary.questions] == ["3.00", "3.00", "3.00"]
    assert str(summary.overall) == "3.00"


def test_a_section_may_have_its_own_questionnaire(taught_section, questionnaire):
    from shafa.academics.models import EvaluationQuestionnaire

    assert questionnaire_for(taught_section) == questionnaire
    own = EvaluationQuestionnaire.objects.create(code="clinical", title_fa="ارزشیابی بالینی")
    own.sections.add(taught_section)
    assert questionnaire_for(taught_section) == own
