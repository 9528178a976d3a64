"""The forms of the settings pages, the invitation page and the API keys page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from problemspace.workspaces.models import Role
from problemspace.workspaces.services import WORKSPACE_NAME_MAX

ROLE_CHOICES = [(role.value, role.label) for role in reversed(Role)]


class WorkspaceNameForm(forms.Form):
    name = forms.CharField(
        max_length=WORKSPACE_NAME_MAX,
        error_messages={
            "required": "A workspace needs a name.",
            "max_length": f"Keep the name to {WORKSPACE_NAME_MAX} characters or fewer.",
        },
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        max_length=254,
        error_messages={
            "required": "Type the email address of the person to invite.",
            "invalid": "That is not an email address; check it and try again.",
        },
    )
    role = forms.ChoiceField(
        choices=ROLE_CHOICES,
        initial=Role.CONTRIBUTOR.value,
        error_messages={"invalid_choice": "Choose one of the roles in the list."},
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=ROLE_CHOICES,
        error_messages={"invalid_choice": "Choose one of the roles in the list."},
    )


class AcceptInvitationForm(forms.Form):
    """A new person's name and password, checked with the site's password validators."""

    name = forms.CharField(
        max_length=150,
        error_messages={"required": "Type your name, as your colleagues will see it."},
    )
    password1 = forms.CharField(strip=False, error_messages={"required": "Choose a password."})
    password2 = forms.CharField(
        strip=False, error_messages={"required": "Type the password a second time."}
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1 = cleaned.get("password1")
        password2 = cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords differ; type the same one twice.")
        # Checked even when the two differ, so every problem is told at once.
        if password1:
            first, _, last = cleaned.get("name", "").strip().partition(" ")
            # An unsaved user lets the similarity check compare with the name and email.
            candidate = get_user_model()(
                username=self.email, email=self.email, first_name=first, last_name=last
            )
            try:
                validate_password(password1, user=candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        max_length=80,
        error_messages={
            "required": "Name the key after where it will be used, e.g. “Support desk webhook”.",
            "max_length": "Keep the name to 80 characters or fewer.",
        },
    )
