"""Model permissions answer for the /admin/ staff only; everyone else's come from roles."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def _user(username: str, **flags: bool):
    user = get_user_model().objects.create_user(username=username, password="x-1234-long-pass", **flags)
    user.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    return get_user_model().objects.get(pk=user.pk)  # a fresh object: no permission cache


def test_staff_keep_their_model_permissions() -> None:
    staff = _user("staff_member", is_staff=True)
    assert staff.has_perm("core.view_auditevent")


def test_others_get_none_from_model_permissions_and_no_query_is_spent() -> None:
    student = _user("plain_user")
    with CaptureQueriesContext(connection) as queries:
        allowed = student.has_perm("core.view_auditevent")
    assert not allowed
    assert not [q for q in queries.captured_queries if "auth_permission" in q["sql"]]
