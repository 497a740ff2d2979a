"""Clinical API: the same rules as the pages (django-rules permissions and access scopes)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shafa.clinical.models import (
    Assignment,
    Block,
    SiteAgreement,
    SolverRun,
    SwapRequest,
)
from shafa.clinical.selectors import runs as run_sel
from shafa.clinical.selectors import years as year_sel
from shafa.clinical.services import agreements as agreement_svc
from shafa.clinical.services import replan as replan_svc
from shafa.clinical.services import runs as run_svc
from shafa.clinical.services import swaps as swap_svc
from shafa.core.api.permissions import require_perm

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
            from django.utils.translation import gettext as _

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
