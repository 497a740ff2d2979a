"""Clinical API: the same rules as the pages (django-rules permissions and access scopes)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shafa.clinical.models import (
    Assignment,
    Block,
    Holiday,
    LearnerEnrollment,
    LearnerLeave,
    RotationGroup,
    RotationPrecedence,
    RotationType,
    SiteAgreement,
    SolverRun,
    SwapRequest,
)
from shafa.clinical.selectors import rotations as rotation_sel
from shafa.clinical.selectors import runs as run_sel
from shafa.clinical.selectors import years as year_sel
from shafa.clinical.services import agreements as agreement_svc
from shafa.clinical.services import learners as learner_svc
from shafa.clinical.services import replan as replan_svc
from shafa.clinical.services import rotations as rotation_svc
from shafa.clinical.services import runs as run_svc
from shafa.clinical.services import swaps as swap_svc
from shafa.clinical.services import years as year_svc
from shafa.core.api.permissions import require_perm
from shafa.institution.models import Program

from . import serializers as s

TAGS = ["clinical"]


def _user(request: Request) -> Any:
    """The signed-in user (every view here requires one)."""
    return request.user


def _year(pk: int) -> Any:
    year = year_sel.year_get(pk)
    if year is None:
        raise NotFound()
    return year


def _run(pk: int) -> SolverRun:
    run = run_sel.run_get(pk)
    if run is None:
        raise NotFound()
    return run


class YearListView(ListAPIView):
    serializer_class = s.YearOutputSerializer

    @extend_schema(tags=TAGS, summary="Clinical years (coordinator)")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_perm(request, "clinical.manage")
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return year_sel.year_list()

    @extend_schema(
        tags=TAGS,
        summary="A new clinical year with its block calendar generated inside the academic year "
        "(coordinator)",
        request=s.YearInputSerializer,
        responses={201: s.YearOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        require_perm(request, "clinical.manage")
        data = s.YearInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        year = year_svc.year_create(actor=request.user, **data.validated_data)
        return Response(
            s.YearOutputSerializer(year_sel.year_list().get(pk=year.pk)).data, status=status.HTTP_201_CREATED
        )


class HolidayListCreateView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Holidays of a clinical year (coordinator)",
        responses=s.HolidaySerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        require_perm(request, "clinical.manage")
        return Response(s.HolidaySerializer(_year(pk).holidays.order_by("date"), many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Mark a day of the calendar as a holiday (coordinator)",
        request=s.HolidaySerializer,
        responses={201: s.HolidaySerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        require_perm(request, "clinical.manage")
        year = _year(pk)
        data = s.HolidaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        holiday = year_svc.holiday_add(year=year, actor=request.user, **data.validated_data)
        return Response(s.HolidaySerializer(holiday).data, status=status.HTTP_201_CREATED)


class HolidayDetailView(APIView):
    @extend_schema(tags=TAGS, summary="Remove a holiday (coordinator)", responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        require_perm(request, "clinical.manage")
        year_svc.holiday_remove(holiday=get_object_or_404(Holiday, pk=pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LearnerListEnrolView(ListAPIView):
    serializer_class = s.LearnerOutputSerializer

    @extend_schema(
        tags=TAGS,
        summary="A year's learners with eligibility and leave; `search` by name or number (coordinator)",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_perm(request, "clinical.manage")
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return year_sel.learners_of_year(
            _year(self.kwargs["pk"]), search=self.request.query_params.get("search", "")
        )

    @extend_schema(
        tags=TAGS,
        summary="Enrol students by number in a phase (coordinator): all or none; already enrolled "
        "numbers are skipped and listed",
        request=s.EnrolInputSerializer,
        responses={201: s.EnrolOutputSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        require_perm(request, "clinical.manage")
        year = _year(pk)
        data = s.EnrolInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done = learner_svc.enrollments_add(year=year, actor=request.user, **data.validated_data)
        added = year_sel.learners_of_year(year).filter(pk__in=[e.pk for e in done.added])
        return Response(
            s.EnrolOutputSerializer({"added": added, "already": done.already}).data,
            status=status.HTTP_201_CREATED,
        )


def _enrollment(pk: int) -> LearnerEnrollment:
    return get_object_or_404(LearnerEnrollment.objects.select_related("student__person"), pk=pk)


def _learner_out(enrollment: LearnerEnrollment) -> Any:
    fresh = year_sel.learners_of_year(enrollment.year).get(pk=enrollment.pk)
    return s.LearnerOutputSerializer(fresh).data


class LearnerEligibilityView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Set a learner's eligibility; ineligibility needs its reason (coordinator)",
        request=s.EligibilityInputSerializer,
        responses=s.LearnerOutputSerializer,
    )
    def put(self, request: Request, pk: int) -> Response:
        require_perm(request, "clinical.manage")
        enrollment = _enrollment(pk)
        data = s.EligibilityInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        learner_svc.enrollment_set_eligibility(
            enrollment=enrollment, actor=request.user, **data.validated_data
        )
        return Response(_learner_out(enrollment))


class LearnerLeaveView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Record a learner's leave in a block not yet placed by the published schedule "
        "(coordinator); after publishing, leave is a re-plan event",
        request=s.LeaveInputSerializer,
        responses={201: s.LearnerOutputSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        require_perm(request, "clinical.manage")
        enrollment = _enrollment(pk)
        data = s.LeaveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        block = Block.objects.filter(year_id=enrollment.year_id, number=data.validated_data["block"]).first()
        if block is None:
            raise NotFound(_("The year has no block %(number)s.") % {"number": data.validated_data["block"]})
        learner_svc.leave_add(
            enrollment=enrollment, block=block, reason=data.validated_data["reason"], actor=request.user
        )
        return Response(_learner_out(enrollment), status=status.HTTP_201_CREATED)


class LeaveDetailView(APIView):
    @extend_schema(tags=TAGS, summary="Remove a leave (coordinator)", responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        require_perm(request, "clinical.manage")
        learner_svc.leave_remove(leave=get_object_or_404(LearnerLeave, pk=pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class BlockListView(ListAPIView):
    serializer_class = s.BlockOutputSerializer
    pagination_class = None

    @extend_schema(tags=TAGS, summary="The block calendar of a clinical year (coordinator)")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_perm(request, "clinical.manage")
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return Block.objects.filter(year=_year(self.kwargs["pk"])).order_by("number")


class OfferingListView(ListAPIView):
    serializer_class = s.OfferingOutputSerializer

    @extend_schema(tags=TAGS, summary="Offerings and capacities of a clinical year (coordinator)")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_perm(request, "clinical.manage")
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return year_sel.offerings_of_year(_year(self.kwargs["pk"]))


class RunListCreateView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Solver runs of a year (coordinator)",
        responses=s.RunProgressOutputSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        require_perm(request, "clinical.manage")
        runs = run_sel.run_list_for_year(_year(pk))
        return Response(s.RunProgressOutputSerializer(runs, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Start a solver run in the background (coordinator); poll its progress",
        request=s.RunInputSerializer,
        responses={202: s.RunCreatedOutputSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        require_perm(request, "clinical.manage")
        year = _year(pk)
        data = s.RunInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = run_svc.run_start(year=year, actor=request.user, **data.validated_data)
        run.refresh_from_db()
        body = {
            "id": run.pk,
            "status": run.status,
            "progress_url": reverse("api:clinical-run-detail", args=[run.pk]),
        }
        return Response(s.RunCreatedOutputSerializer(body).data, status=status.HTTP_202_ACCEPTED)


class RunDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="A run: status, progress, scores and findings (coordinator)",
        responses=s.RunOutputSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        require_perm(request, "clinical.manage")
        return Response(s.RunOutputSerializer(_run(pk)).data)


class RunScheduleView(ListAPIView):
    serializer_class = s.AssignmentOutputSerializer

    @extend_schema(tags=TAGS, summary="The schedule of a run (coordinator)")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_perm(request, "clinical.manage")
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return run_sel.assignments_visible_to(self.request.user, run=_run(self.kwargs["pk"]))


class RunPublishView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Publish a run (coordinator)",
        request=None,
        responses=s.RunProgressOutputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        require_perm(request, "clinical.manage")
        run = run_svc.run_publish(run=_run(pk), actor=request.user)
        return Response(s.RunProgressOutputSerializer(run).data)


class ReplanView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Re-plan the published schedule after an event (coordinator)",
        request=s.ReplanInputSerializer,
        responses={202: s.RunCreatedOutputSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        require_perm(request, "clinical.manage")
        year = _year(pk)
        data = s.ReplanInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        base = run_sel.published_run(year)
        if base is None:
            from django.core.exceptions import ValidationError

            raise ValidationError(_("Publish a schedule before re-planning it."))
        event = replan_svc.replan_start(
            base_run=base,
            kind=v["kind"],
            block=get_object_or_404(Block, year=year, number=v["block"]),
            offering=year.offerings.filter(pk=v.get("offering")).first() if v.get("offering") else None,
            new_capacity=v.get("new_capacity"),
            enrollment=year.enrollments.filter(pk=v.get("enrollment")).first()
            if v.get("enrollment")
            else None,
            reason=v.get("reason", ""),
            time_limit_seconds=v["time_limit_seconds"],
            actor=request.user,
        )
        run = SolverRun.objects.get(replan_sources=event)
        body = {
            "id": run.pk,
            "status": run.status,
            "progress_url": reverse("api:clinical-run-detail", args=[run.pk]),
        }
        return Response(s.RunCreatedOutputSerializer(body).data, status=status.HTTP_202_ACCEPTED)


class MyScheduleView(ListAPIView):
    serializer_class = s.AssignmentOutputSerializer

    @extend_schema(tags=TAGS, summary="My published rotations (learner)")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_perm(request, "clinical.view_my_schedule")
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return run_sel.assignments_visible_to(self.request.user).filter(
            enrollment__student__person__user=_user(self.request), run__published=True
        )


class SiteScheduleView(ListAPIView):
    serializer_class = s.AssignmentOutputSerializer

    @extend_schema(tags=TAGS, summary="Who comes to a site when (its preceptors, the coordinator)")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_perm(request, "clinical.view_site_schedules")
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        site = year_sel.sites_visible_to(self.request.user).filter(pk=self.kwargs["pk"]).first()
        if site is None:
            raise NotFound()
        return run_sel.assignments_visible_to(self.request.user).filter(site=site, run__published=True)


class SwapRequestListCreateView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Swap requests: mine (learner) or all (coordinator)",
        responses=s.SwapRequestOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        qs = SwapRequest.objects.order_by("-created_at")
        if not request.user.has_perm("clinical.manage"):
            qs = qs.filter(enrollment__student__person__user=_user(request))
        return Response(s.SwapRequestOutputSerializer(qs[:200], many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Ask to swap one of my published rotations (learner)",
        request=s.SwapRequestInputSerializer,
        responses={201: s.SwapRequestOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        data = s.SwapRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        assignment = (
            Assignment.objects.select_related("run", "enrollment__student__person")
            .filter(pk=v["assignment"], run__published=True)
            .first()
        )
        if assignment is None or not request.user.has_perm("clinical.view_enrollment", assignment.enrollment):
            raise NotFound()
        require_perm(request, "clinical.request_swap", assignment.enrollment)
        swap_request = swap_svc.swap_request_create(
            enrollment=assignment.enrollment,
            assignment=assignment,
            wanted_start=v.get("wanted_start"),
            wanted_site_id=v.get("wanted_site"),
            note=v.get("note", ""),
            actor=request.user,
        )
        return Response(s.SwapRequestOutputSerializer(swap_request).data, status=status.HTTP_201_CREATED)


class SwapDecisionView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Approve one of the engine's proposals, or reject (coordinator)",
        request=s.SwapDecisionInputSerializer,
        responses=s.SwapRequestOutputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        require_perm(request, "clinical.manage")
        swap_request = get_object_or_404(SwapRequest, pk=pk)
        data = s.SwapDecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data["decision"] == "approve":
            swap_svc.swap_approve(
                request=swap_request, proposal=data.validated_data["proposal"], actor=request.user
            )
        else:
            swap_svc.swap_reject(
                request=swap_request, actor=request.user, reason=data.validated_data["reason"]
            )
        swap_request.refresh_from_db()
        return Response(s.SwapRequestOutputSerializer(swap_request).data)


def _agreement_out(agreement: SiteAgreement) -> dict[str, Any]:
    return s.AgreementOutputSerializer(year_sel.agreement_get(agreement.pk)).data  # type: ignore[return-value]


class AgreementListCreateView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Site agreements with their state, ending soonest first (coordinator)",
        responses=s.AgreementOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        require_perm(request, "clinical.manage")
        return Response(s.AgreementOutputSerializer(year_sel.agreement_list(), many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Record an agreement with a site (coordinator); a renewal is a new agreement",
        request=s.AgreementInputSerializer,
        responses={201: s.AgreementOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        require_perm(request, "clinical.manage")
        data = s.AgreementInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agreement = agreement_svc.agreement_save(agreement=None, actor=request.user, **data.validated_data)
        return Response(_agreement_out(agreement), status=status.HTTP_201_CREATED)


class AgreementDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Correct an agreement (coordinator): every field is given",
        request=s.AgreementInputSerializer,
        responses=s.AgreementOutputSerializer,
    )
    def put(self, request: Request, pk: int) -> Response:
        require_perm(request, "clinical.manage")
        agreement = get_object_or_404(SiteAgreement, pk=pk)
        data = s.AgreementInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agreement = agreement_svc.agreement_save(
            agreement=agreement, actor=request.user, **data.validated_data
        )
        return Response(_agreement_out(agreement))


# --- programs' rotation types, elective groups, precedences ------------------------------------
def _program(pk: int) -> Program:
    return get_object_or_404(Program, pk=pk)


class RotationListCreateView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="A program's rotation types (coordinator)",
        responses=s.RotationTypeSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        require_perm(request, "clinical.manage")
        rotations = rotation_sel.rotations_of_program(_program(pk))
        return Response(s.RotationTypeSerializer(rotations, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Add a rotation type to a program (coordinator); without a group it is required",
        request=s.RotationTypeSerializer,
        responses={201: s.RotationTypeSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        require_perm(request, "clinical.manage")
        program = _program(pk)
        data = s.RotationTypeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rotation = rotation_svc.rotation_save(
            rotation=None, program=program, actor=request.user, **data.validated_data
        )
        return Response(s.RotationTypeSerializer(rotation).data, status=status.HTTP_201_CREATED)


class RotationDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Change a rotation type (coordinator); one placed in runs keeps its phase, duration "
        "and group",
        request=s.RotationTypeSerializer,
        responses=s.RotationTypeSerializer,
    )
    def put(self, request: Request, pk: int) -> Response:
        require_perm(request, "clinical.manage")
        rotation = get_object_or_404(RotationType.objects.select_related("program"), pk=pk)
        data = s.RotationTypeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rotation = rotation_svc.rotation_save(
            rotation=rotation, program=rotation.program, actor=request.user, **data.validated_data
        )
        return Response(s.RotationTypeSerializer(rotation).data)


class RotationGroupListCreateView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="A program's elective groups (coordinator)",
        responses=s.RotationGroupSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        require_perm(request, "clinical.manage")
        return Response(
            s.RotationGroupSerializer(rotation_sel.groups_of_program(_program(pk)), many=True).data
        )

    @extend_schema(
        tags=TAGS,
        summary="Add an elective group to a program (coordinator)",
        request=s.RotationGroupSerializer,
        responses={201: s.RotationGroupSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        require_perm(request, "clinical.manage")
        program = _program(pk)
        data = s.RotationGroupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        group = rotation_svc.group_save(
            group=None, program=program, actor=request.user, **data.validated_data
        )
        return Response(s.RotationGroupSerializer(group).data, status=status.HTTP_201_CREATED)


class RotationGroupDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Change an elective group (coordinator)",
        request=s.RotationGroupSerializer,
        responses=s.RotationGroupSerializer,
    )
    def put(self, request: Request, pk: int) -> Response:
        require_perm(request, "clinical.manage")
        group = get_object_or_404(RotationGroup.objects.select_related("program"), pk=pk)
        data = s.RotationGroupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        group = rotation_svc.group_save(
            group=group, program=group.program, actor=request.user, **data.validated_data
        )
        return Response(s.RotationGroupSerializer(group).data)


class PrecedenceListCreateView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="A program's precedences (coordinator)",
        responses=s.PrecedenceSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        require_perm(request, "clinical.manage")
        return Response(
            s.PrecedenceSerializer(rotation_sel.precedences_of_program(_program(pk)), many=True).data
        )

    @extend_schema(
        tags=TAGS,
        summary="`before` must be completed before `after` starts (coordinator); refused if it "
        "closes a cycle",
        request=s.PrecedenceSerializer,
        responses={201: s.PrecedenceSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        require_perm(request, "clinical.manage")
        program = _program(pk)
        data = s.PrecedenceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        before, after = data.validated_data["before"], data.validated_data["after"]
        if before.program_id != program.pk:
            raise DRFValidationError({"before": [_("The rotation is not of this program.")]})
        precedence = rotation_svc.precedence_add(before=before, after=after, actor=request.user)
        return Response(s.PrecedenceSerializer(precedence).data, status=status.HTTP_201_CREATED)


class PrecedenceDetailView(APIView):
    @extend_schema(tags=TAGS, summary="Remove a precedence (coordinator)", responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        require_perm(request, "clinical.manage")
        rotation_svc.precedence_remove(
            precedence=get_object_or_404(RotationPrecedence, pk=pk), actor=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
