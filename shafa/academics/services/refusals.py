"""Why a registration request was refused: a code for machines and a sentence for people."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# HTTP status for each refusal code (the API answers with it; the UI shows the message inline).
# Every other refusal is 409 Conflict: the request is well formed but a rule or the state forbids it.
STATUS_FOR_CODE = {
    "not_found": 404,
    "not_a_student": 403,
    "idempotency_key_reused": 422,
}


class RegistrationRefused(Exception):
    """A rule refused the request; `message` says why in the user's language."""

    def __init__(self, code: str, message: str | Promise, **params: Any) -> None:
        self.code = code
        self.template = message
        self.params = params
        super().__init__(code)

    @property
    def message(self) -> str:
        return str(self.template) % self.params if self.params else str(self.template)

    @property
    def status_code(self) -> int:
        return STATUS_FOR_CODE.get(self.code, 409)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "detail": self.message}


MESSAGES = {
    "no_window": _("Registration is not open for you now."),
    "slot_not_started": _("Your personal registration time starts at %(opens)s."),
    "wrong_term": _("This section is not offered in the term that is open for registration."),
    "section_closed": _("This section is closed for registration."),
    "already_registered": _("You are already registered or waitlisted in this section."),
    "course_taken": _("You already hold another section of %(course)s this term."),
    "already_passed": _("You have already passed %(course)s."),
    "prerequisite_missing": _("Prerequisite not passed: %(courses)s."),
    "corequisite_missing": _("Take %(courses)s in the same term (register for it first)."),
    "corequisite_needed": _("%(courses)s requires this course in the same term; drop that course first."),
    "time_clash": _("Time clash with %(course)s (%(when)s)."),
    "exam_clash": _("Final exam clashes with %(course)s."),
    "credit_cap": _("This would bring you to %(total)s credits; your limit this term is %(cap)s."),
    "below_minimum": _("You must keep at least %(min)s credits; this would leave %(total)s."),
    "section_full": _("This section is full and its waitlist is closed."),
    "not_active": _("This registration is not active."),
    "not_registered": _("Only a registered course can be withdrawn."),
    "withdrawal_used": _("You have already used your emergency withdrawal this term."),
    "idempotency_key_reused": _("This Idempotency-Key was already used for a different request."),
    "not_a_student": _("Only a student can register."),
    "conflict": _("Your request clashed with another change; please try again."),
    "not_found": _("No such section."),
    "reason_required": _("An override needs a reason."),
    "cap_required": _("A credit-limit override needs the new limit."),
    "cap_below_held": _("The new limit is below the credits the student already holds."),
}


def refuse(code: str, **params: Any) -> RegistrationRefused:
    return RegistrationRefused(code, MESSAGES[code], **params)
