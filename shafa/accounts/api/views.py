"""Token sign-in: username and password (and the one-time code, if the user has a device) → token."""

from __future__ import annotations

from axes.helpers import get_cool_off
from django.contrib.auth import authenticate, user_logged_in
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .errors import LockedOut, bad_credentials, otp_required
from .serializers import TokenObtainInputSerializer, TokenObtainOutputSerializer


class TokenObtainView(APIView):
    # No session authentication here: a sign-in form needs no CSRF token and no prior session.
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_token_obtain",
        summary="Obtain an API token",
        request=TokenObtainInputSerializer,
        responses={
            200: TokenObtainOutputSerializer,
            400: OpenApiResponse(description="Wrong username or password, or a missing one-time code."),
            429: OpenApiResponse(description="Locked out after too many failed attempts (django-axes)."),
        },
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenObtainInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # django-axes counts failures and refuses locked-out users; it needs the Django request.
        django_request = request._request
        user = authenticate(request=django_request, username=data["username"], password=data["password"])
        if getattr(django_request, "axes_locked_out", False):
            # Answer in JSON here; otherwise AxesMiddleware swaps in its HTML lockout page.
            setattr(django_request, "axes_locked_out", False)  # noqa: B010
            cool_off = get_cool_off(django_request)
            raise LockedOut(wait=int(cool_off.total_seconds()) if cool_off else None)
        if user is None or not user.is_active:
            raise bad_credentials()
        from django_otp import match_token, user_has_device

        if user_has_device(user, confirmed=True):
            otp = (data.get("otp_token") or "").strip()
            if not otp or match_token(user, otp) is None:
                raise otp_required()
        token, _created = Token.objects.get_or_create(user=user)
        # A token is a sign-in: axes resets the failure count, last_login is updated.
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        output = TokenObtainOutputSerializer(
            {"token": token.key, "user_id": user.pk, "username": user.get_username()}
        )
        return Response(output.data)
