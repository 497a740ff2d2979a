"""Sign-in and two-step verification forms."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from shafa.core.text import digits_to_ascii


class LoginForm(AuthenticationForm):
    """Username and password; django-axes counts the failures (it sees this form's request)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")
        self.fields["username"].widget.attrs.update(
            {"class": "form-control", "dir": "ltr", "autocomplete": "username"}
        )
        self.fields["password"].widget.attrs.update(
            {"class": "form-control", "dir": "ltr", "autocomplete": "current-password"}
        )
        self.error_messages["invalid_login"] = _(
            "The username or password is not correct. Both are case-sensitive."
        )
        self.error_messages["inactive"] = _("This account is inactive.")


class TokenForm(forms.Form):
    """A six-digit code from an authenticator app (typed in any digit script)."""

    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "dir": "ltr",
                "autofocus": True,
            }
        ),
    )

    def clean_token(self) -> str:
        token = digits_to_ascii(self.cleaned_data["token"]).replace(" ", "")
        if not token.isdigit() or len(token) != 6:
            raise forms.ValidationError(_("Enter the six digits your authenticator app shows."))
        return token
