"""The audit trail, read by administrators."""

from __future__ import annotations

from rest_framework import serializers

from shafa.core.api.fields import JalaliDateTimeDisplayField
from shafa.core.models import AuditEvent


class AuditEventListInputSerializer(serializers.Serializer):
    model_label = serializers.CharField(required=False, max_length=100, help_text="e.g. people.Student")
    object_id = serializers.CharField(required=False, max_length=64)
    actor = serializers.IntegerField(required=False, min_value=1, help_text="The acting user's id.")
    action = serializers.ChoiceField(choices=AuditEvent.Action.choices, required=False)


class AuditActorOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class AuditEventOutputSerializer(serializers.ModelSerializer):
    at_jalali = JalaliDateTimeDisplayField(source="at")
    actor = AuditActorOutputSerializer(allow_null=True)
    action_display = serializers.CharField(source="get_action_display")
    changes = serializers.DictField(child=serializers.JSONField(), help_text="field: [before, after]")

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "at_jalali",
            "actor",
            "action",
            "action_display",
            "model_label",
            "object_id",
            "object_repr",
            "changes",
            "reason",
        ]
        read_only_fields = fields
