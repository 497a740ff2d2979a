"""Token authentication reads the token, the user and the user's roles in one statement."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from shafa.accounts.api.authentication import TokenAuthentication
from shafa.accounts.models import Role, RoleAssignment

pytestmark = pytest.mark.django_db

ME = reverse("api:people:me")


def test_the_token_user_comes_with_every_role(registrar_maryam):
    RoleAssignment.objects.create(user=registrar_maryam, role=Role.LEADERSHIP)
    token = Token.objects.create(user=registrar_maryam)
    with CaptureQueriesContext(connection) as queries:
        user, authenticated = TokenAuthentication().authenticate_credentials(token.key)
        assert user.role_set == frozenset({Role.REGISTRAR, Role.LEADERSHIP})
        assert user.has_role(Role.LEADERSHIP) and not user.has_role(Role.STUDENT)
    assert len(queries) == 1
    assert (user.pk, user.username, authenticated.key) == (registrar_maryam.pk, "maryam", token.key)


def test_a_user_without_roles_has_none(make_user):
    user = make_user("norole")
    RoleAssignment.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    assert TokenAuthentication().authenticate_credentials(token.key)[0].role_set == frozenset()


def test_an_inactive_users_token_is_refused(registrar_maryam):
    token = Token.objects.create(user=registrar_maryam)
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get(ME).status_code == 200
    registrar_maryam.is_active = False
    registrar_maryam.save()
    response = client.get(ME)
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "authentication_failed"
