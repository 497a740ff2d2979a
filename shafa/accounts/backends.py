"""Authentication backends: Django's model permissions for the /admin/ staff only."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend


class StaffModelBackend(ModelBackend):
    """Password login as ModelBackend; its model permissions only for staff and superusers.

    Shafa grants what people may do through roles (`shafa.accounts.rules`, the rules backend);
    Django's model permissions serve only the /admin/ site, which only staff can enter. Asking
    ModelBackend about anyone else costs two queries (their own and their groups' permissions)
    for an answer that is always "no" — on every API call that checks a registrar permission
    for a student, registration day's drops among them.
    """

    # ModelBackend's get_all_permissions is the union of these two, so it follows them. (Shafa
    # serves WSGI only: the async variants, unused here, are left as Django has them.)
    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return super().get_user_permissions(user_obj, obj) if _is_staff(user_obj) else set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return super().get_group_permissions(user_obj, obj) if _is_staff(user_obj) else set()


def _is_staff(user_obj: Any) -> bool:
    return bool(getattr(user_obj, "is_staff", False) or getattr(user_obj, "is_superuser", False))
