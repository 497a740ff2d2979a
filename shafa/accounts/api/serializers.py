"""Token sign-in for API clients."""

from __future__ import annotations

from rest_framework import serializers


class TokenObtainInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(write_only=True, trim_whitespace=False, style={"input_type": "password"})
    otp_token = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=16,
        help_text="The one-time code from the authenticator app; required when the user has one.",
    )


class TokenObtainOutputSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`.")
    user_id = serializers.IntegerField()
    username = serializers.CharField()
