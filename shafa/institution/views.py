"""Pages of the institution: schools, departments, programs, terms and clinical sites."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from shafa.core.jalali import jalali_year_of

from . import selectors
from .forms import ProgramFilterForm, SearchForm, SiteFilterForm

PAGE_SIZE = 25


def _page(request: HttpRequest, items):  # type: ignore[no-untyped-def]
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _found(obj):  # type: ignore[no-untyped-def]
    if obj is None:
        raise Http404
    return obj


@login_required
def school_list(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    search = form.cleaned_data.get("q", "") if form.is_valid() else ""
    return render(
        request,
        "institution/school_list.html",
        {
            "form": form,
            "page_obj": _page(request, selectors.school_list(search=search)),
            "active_nav": "schools",
        },
    )


@login_required
def school_detail(request: HttpRequest, pk: int) -> HttpResponse:
    school = _found(selectors.school_get(pk))
    return render(request, "institution/school_detail.html", {"school": school, "active_nav": "schools"})


@login_required
def department_detail(request: HttpRequest, pk: int) -> HttpResponse:
    department = _found(selectors.department_get(pk))
    return render(
        request, "institution/department_detail.html", {"department": department, "active_nav": "schools"}
    )


@login_required
def program_list(request: HttpRequest) -> HttpResponse:
    form = ProgramFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    programs = selectors.program_list(
        search=data.get("q") or "", school_id=data.get("school"), degree_level=data.get("degree_level") or ""
    )
    return render(
        request,
        "institution/program_list.html",
        {"form": form, "page_obj": _page(request, programs), "active_nav": "programs"},
    )


@login_required
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    program = _found(selectors.program_get(pk))
    return render(request, "institution/program_detail.html", {"program": program, "active_nav": "programs"})


@login_required
def term_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "institution/term_list.html",
        {"page_obj": _page(request, selectors.term_list()), "active_nav": "terms"},
    )


@login_required
def site_list(request: HttpRequest) -> HttpResponse:
    form = SiteFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    sites = selectors.clinical_site_list(
        search=data.get("q") or "",
        county_id=data.get("county"),
        kind=data.get("kind") or "",
        governance=data.get("governance") or "",
    )
    return render(
        request,
        "institution/site_list.html",
        {"form": form, "page_obj": _page(request, sites), "active_nav": "sites"},
    )


@login_required
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    site = _found(selectors.clinical_site_get(pk))
    return render(request, "institution/site_detail.html", {"site": site, "active_nav": "sites"})


# --- What this app adds to core's pages (registered in apps.py) ------------------------------------


def coordinator_panel(user: Any) -> dict[str, Any]:
    """Clinical sites by county and kind, for the clinical coordinator's dashboard."""
    return {
        "by_county": selectors.site_counts_by_county_and_kind(),
        "by_kind": selectors.site_counts_by_kind(),
    }


def about_context() -> dict[str, Any]:
    """The About page: names, founding, history, counts and the counties with their sites."""
    university = selectors.university_current()
    return {
        "university": university,
        "founded_jalali_year": jalali_year_of(university.founded_on) if university else None,
        "milestones": list(selectors.milestone_list(university)),
        "counts": selectors.institution_counts(),
        "sites_by_kind": selectors.site_counts_by_kind(),
        "counties": list(selectors.county_list_with_sites()),
    }
