"""A program's rotation types, elective groups and precedences: rules, pages and who may."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from shafa.clinical.models import RotationGroup, RotationPrecedence, RotationType
from shafa.clinical.selectors.problem import problem_for_year
from shafa.clinical.services.rotations import group_save, precedence_add, precedence_remove, rotation_save
from shafa.core.api.testing import client_for, user_of
from shafa.core.models import AuditEvent
from shafa.institution.tests.factories import ProgramFactory

from .factories import make_tiny_year

pytestmark = pytest.mark.django_db


def _rotation(program, code="surgery", **kwargs) -> RotationType:
    fields = {"name_fa": "جراحی", "phase": "externship", "duration_blocks": 2, **kwargs}
    return rotation_save(rotation=None, program=program, code=code, **fields)


def test_rotation_saved_and_used_by_the_engine(coordinator_nazanin) -> None:
    tiny = make_tiny_year(n_learners=1)
    group = group_save(
        group=None,
        program=tiny.year.program,
        code="ext-elective",
        name_fa="اختیاری",
        phase="externship",
        required_count=1,
        actor=coordinator_nazanin,
    )
    rotation = rotation_save(
        rotation=None,
        program=tiny.year.program,
        code=" ENT ",
        name_fa="گوش و حلق و بینی",
        name_en="ENT",
        phase="externship",
        duration_blocks=1,
        group=group,
        school_preference=3,
        actor=coordinator_nazanin,
    )
    assert rotation.code == "ent" and not rotation.is_required
    problem = problem_for_year(tiny.year).problem
    engine_rotation = next(r for r in problem.rotations if r.id == rotation.pk)
    assert engine_rotation.duration == 1 and engine_rotation.school_pref == 3
    event = AuditEvent.objects.get(model_label="clinical.RotationType", object_id=str(rotation.pk))
    assert event.actor == coordinator_nazanin


def test_rotation_rules() -> None:
    program = ProgramFactory()
    _rotation(program)
    other_phase = group_save(
        group=None, program=program, code="int", name_fa="کارورزی", phase="internship", required_count=1
    )
    with pytest.raises(ValidationError) as caught:
        _rotation(program, code="SURGERY", name_fa=" ", duration_blocks=27, group=other_phase)
    assert set(caught.value.message_dict) == {"code", "name_fa", "duration_blocks", "group"}
    assert RotationType.objects.filter(program=program).count() == 1


def test_a_scheduled_rotation_keeps_its_duration_phase_and_group(placed) -> None:
    rotation = placed.tiny.rotations[0]  # placed in the published run
    kept = {"program": rotation.program, "code": rotation.code, "phase": rotation.phase}
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        rotation_save(rotation=rotation, name_fa=rotation.name_fa, duration_blocks=2, **kept)
    assert "already placed in solver runs" in caught.value.message_dict["__all__"][0]
    renamed = rotation_save(
        rotation=rotation, name_fa="داخلی ۱", duration_blocks=1, school_preference=2, **kept
    )
    renamed.refresh_from_db()
    assert renamed.name_fa == "داخلی ۱" and renamed.duration_blocks == 1 and renamed.school_preference == 2


def test_group_rules() -> None:
    program = ProgramFactory()
    group = group_save(
        group=None, program=program, code="el", name_fa="اختیاری", phase="externship", required_count=1
    )
    _rotation(program, code="derm", group=group)
    with pytest.raises(ValidationError) as caught:
        group_save(
            group=group, program=program, code="el", name_fa="اختیاری", phase="internship", required_count=0
        )
    assert set(caught.value.message_dict) == {"phase", "required_count"}
    with pytest.raises(ValidationError) as caught:
        group_save(group=None, program=program, code="el", name_fa="دو", phase="externship", required_count=1)
    assert "code" in caught.value.message_dict


def test_precedences_refuse_cycles_duplicates_and_other_programs() -> None:
    program = ProgramFactory()
    a, b, c = (_rotation(program, code=code) for code in ("a", "b", "c"))
    precedence_add(before=a, after=b)
    ab_c = precedence_add(before=b, after=c)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        precedence_add(before=c, after=a)
    assert "cycle" in caught.value.messages[0]
    for before, after in ((a, b), (a, a)):
        with pytest.raises(ValidationError):
            precedence_add(before=before, after=after)
    stranger = _rotation(ProgramFactory(code="dds"), code="a")
    with pytest.raises(ValidationError):
        precedence_add(before=a, after=stranger)
    precedence_remove(precedence=ab_c)
    precedence_add(before=c, after=a)  # no longer a cycle
    assert RotationPrecedence.objects.count() == 2


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "persona", ["student_sara", "preceptor_karimi", "registrar_maryam", "faculty_tehrani"]
)
def test_rotation_pages_refused_to_others(request, placed, persona) -> None:
    value = request.getfixturevalue(persona)
    client = _client((getattr(value, "person", None) and value.person.user) or value)
    program = placed.tiny.year.program
    a, b = placed.tiny.rotations
    precedence = RotationPrecedence.objects.create(before=a, after=b)
    assert client.get(reverse("clinical:program_list")).status_code == 403
    assert client.get(reverse("clinical:program_rotations", args=[program.pk])).status_code == 403
    for url, data in (
        (reverse("clinical:program_rotations", args=[program.pk]), {"code": "x", "name_fa": "x"}),
        (reverse("clinical:program_group", args=[program.pk]), {"code": "x", "name_fa": "x"}),
        (reverse("clinical:precedence_add", args=[program.pk]), {"before": b.pk, "after": a.pk}),
        (reverse("clinical:precedence_remove", args=[precedence.pk]), {}),
    ):
        assert client.post(url, data).status_code == 403, url
    assert RotationPrecedence.objects.filter(pk=precedence.pk).exists()
    assert RotationType.objects.filter(program=program).count() == 2


def test_coordinator_edits_a_programs_rotations(placed, coordinator_nazanin) -> None:
    client = _client(coordinator_nazanin)
    program = placed.tiny.year.program
    url = reverse("clinical:program_rotations", args=[program.pk])
    assert client.get(reverse("clinical:program_list")).status_code == 200
    page = client.get(url, {"edit": placed.tiny.rotations[0].pk})
    assert page.status_code == 200 and page.context["editing"]
    group = client.post(
        reverse("clinical:program_group", args=[program.pk]),
        {"code": "el", "name_fa": "اختیاری", "phase": "externship", "required_count": "۱"},
    )
    assert group.status_code == 302
    group_pk = RotationGroup.objects.get(program=program, code="el").pk
    added = client.post(
        url,
        {
            "code": "derm",
            "name_fa": "پوست",
            "phase": "externship",
            "duration_blocks": "1",
            "group": group_pk,
            "school_preference": "0",
        },
    )
    assert added.status_code == 302
    derm = RotationType.objects.get(program=program, code="derm")
    assert derm.group_id == group_pk
    refused = client.post(
        url,
        {
            "rotation": placed.tiny.rotations[0].pk,
            "code": placed.tiny.rotations[0].code,
            "name_fa": "داخلی",
            "phase": "externship",
            "duration_blocks": "3",
            "school_preference": "0",
        },
    )
    assert refused.status_code == 400
    assert "در اجراهای حل‌کننده" in refused.content.decode()
    a, b = placed.tiny.rotations
    client.post(reverse("clinical:precedence_add", args=[program.pk]), {"before": a.pk, "after": b.pk})
    precedence = RotationPrecedence.objects.get(before=a, after=b)
    client.post(reverse("clinical:precedence_add", args=[program.pk]), {"before": b.pk, "after": a.pk})
    assert RotationPrecedence.objects.count() == 1  # the cycle was refused
    client.post(reverse("clinical:precedence_remove", args=[precedence.pk]))
    assert not RotationPrecedence.objects.exists()


def test_rotations_through_the_api(placed, coordinator_nazanin) -> None:
    client = client_for(coordinator_nazanin)
    program = placed.tiny.year.program
    groups_url = reverse("api:clinical-program-groups", args=[program.pk])
    group = client.post(
        groups_url,
        {"code": "el", "name_fa": "اختیاری", "phase": "externship", "required_count": 1},
        format="json",
    )
    assert group.status_code == 201
    url = reverse("api:clinical-program-rotations", args=[program.pk])
    body = {
        "code": "derm",
        "name_fa": "پوست",
        "phase": "externship",
        "duration_blocks": 1,
        "group": group.json()["id"],
    }
    created = client.post(url, body, format="json")
    assert created.status_code == 201 and created.json()["group"] == group.json()["id"]
    assert client.post(url, body, format="json").status_code == 400  # the code is taken
    assert len(client.get(url).json()) == 3
    scheduled = placed.tiny.rotations[0]
    change = {"code": scheduled.code, "name_fa": "داخلی", "phase": "externship", "duration_blocks": 2}
    refused = client.put(reverse("api:clinical-rotation-detail", args=[scheduled.pk]), change, format="json")
    assert refused.status_code == 400 and "already placed" in str(refused.json())
    change["duration_blocks"] = 1
    assert (
        client.put(
            reverse("api:clinical-rotation-detail", args=[scheduled.pk]), change, format="json"
        ).status_code
        == 200
    )
    edited = client.put(
        reverse("api:clinical-group-detail", args=[group.json()["id"]]),
        {"code": "el", "name_fa": "اختیاری", "phase": "externship", "required_count": 2},
        format="json",
    )
    assert edited.status_code == 200 and edited.json()["required_count"] == 2
    a, b = placed.tiny.rotations
    precedences = reverse("api:clinical-program-precedences", args=[program.pk])
    first = client.post(precedences, {"before": a.pk, "after": b.pk}, format="json")
    assert first.status_code == 201
    cycle = client.post(precedences, {"before": b.pk, "after": a.pk}, format="json")
    assert cycle.status_code == 400 and "cycle" in str(cycle.json())
    assert client.get(precedences).json() == [{"id": first.json()["id"], "before": a.pk, "after": b.pk}]
    assert (
        client.delete(reverse("api:clinical-precedence-detail", args=[first.json()["id"]])).status_code == 204
    )


@pytest.mark.parametrize(
    "persona", ["student_sara", "preceptor_karimi", "registrar_maryam", "faculty_tehrani"]
)
def test_rotation_endpoints_refused_to_others(request, placed, persona) -> None:
    client = client_for(user_of(request, persona))
    program = placed.tiny.year.program
    a, b = placed.tiny.rotations
    precedence = RotationPrecedence.objects.create(before=a, after=b)
    group = RotationGroup.objects.create(program=program, code="g", name_fa="گ", phase="externship")
    for method, url in (
        ("get", reverse("api:clinical-program-rotations", args=[program.pk])),
        ("post", reverse("api:clinical-program-rotations", args=[program.pk])),
        ("put", reverse("api:clinical-rotation-detail", args=[a.pk])),
        ("get", reverse("api:clinical-program-groups", args=[program.pk])),
        ("post", reverse("api:clinical-program-groups", args=[program.pk])),
        ("put", reverse("api:clinical-group-detail", args=[group.pk])),
        ("get", reverse("api:clinical-program-precedences", args=[program.pk])),
        ("post", reverse("api:clinical-program-precedences", args=[program.pk])),
        ("delete", reverse("api:clinical-precedence-detail", args=[precedence.pk])),
    ):
        assert getattr(client, method)(url, {}, format="json").status_code == 403, (method, url)
    assert RotationPrecedence.objects.filter(pk=precedence.pk).exists()
