"""Helpers shared by the API tests of every app."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

ROLE_PERSONAS = ("student_sara", "faculty_tehrani", "registrar_maryam", "preceptor_karimi", "admin_amir")


def client_for(user: Any = None, *, language: str = "en") -> APIClient:
    """An API client signed in as `user` (anonymous when None) that asks for `language`."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_authenticate(user=user)
    return client


def user_of(request: pytest.FixtureRequest, persona: str) -> Any:
    """The User behind a named persona fixture (students, faculty, preceptors are records)."""
    value = request.getfixturevalue(persona)
    if hasattr(value, "person"):
        return value.person.user
    return value


def assert_not_signed_in(response: Any) -> None:
    # SessionAuthentication comes first in settings, so DRF answers 403 rather than 401.
    assert response.status_code in (401, 403), response.content
    assert response.json()["code"] == "not_authenticated"
