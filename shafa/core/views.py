"""Home dashboards by role, the public About page and the audit log.

The dashboard panels and the About page's content come from the apps that own the data (see
`shafa.core.dashboard`); core renders them.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .dashboard import about_context, panels_for
from .forms import AuditFilterForm
from .permissions import permission_required_or_403
from .selectors import audit_event_list, audit_record_types


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: one panel for each role the user holds."""
    return render(
        request,
        "core/home.html",
        {
            "panels": panels_for(request.user),
            "today": timezone.localdate(),
            "active_nav": "home",
        },
    )


def about(request: HttpRequest) -> HttpResponse:
    """The university: its names, founding, history, schools, programs and clinical network."""
    return render(request, "core/about.html", {**about_context(), "active_nav": "about"})


@permission_required_or_403("accounts.view_audit")
def audit_log(request: HttpRequest) -> HttpResponse:
    """Who changed what, when and why (administrators only)."""
    form = AuditFilterForm(request.GET or None, record_types=audit_record_types())
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_event_list(
        model_label=filters.get("record_type") or "",
        actor=filters.get("actor") or "",
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(events, 25).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"form": form, "page_obj": page, "active_nav": "audit"})
