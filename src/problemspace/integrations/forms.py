"""The forms of the integrations pages. They read and shape input; the rules are in
services.py, whose errors the views put back next to the field they name."""

from __future__ import annotations

from typing import Any

from django import forms

from problemspace.hypotheses.forms import AccessibleForm
from problemspace.integrations import events, services
from problemspace.integrations.models import Endpoint, Kind, Status


class EndpointForm(AccessibleForm):
    name = forms.CharField(
        label="Name",
        max_length=services.MAX_NAME,
        help_text="What the endpoint is for, such as “Jira automation” or “#product channel”.",
        error_messages={"required": "Give the endpoint a name."},
    )
    url = forms.CharField(
        label="Address (URL)",
        max_length=services.MAX_URL,
        widget=forms.URLInput(attrs={"placeholder": "https://", "inputmode": "url"}),
        help_text="Where problemspace POSTs each event.",
        error_messages={"required": "Enter the address that should receive the events."},
    )
    kind = forms.ChoiceField(
        label="Format",
        choices=Kind.choices,
        initial=Kind.GENERIC,
        widget=forms.RadioSelect,
        help_text=(
            "Signed JSON for your own services; a chat message for a Slack, Mattermost or "
            "similar incoming-webhook address."
        ),
    )
    events = forms.MultipleChoiceField(
        label="Events",
        choices=list(events.EVENTS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event to send."},
    )
    active = forms.BooleanField(
        label="On (send events to this endpoint)", required=False, initial=True
    )

    def apply_error(self, exc: services.IntegrationError) -> None:
        self.add_error(exc.field if exc.field in self.fields else None, str(exc))
        self.describe_errors()

    @staticmethod
    def initial_for(endpoint: Endpoint) -> dict[str, Any]:
        return {
            "name": endpoint.name,
            "url": endpoint.url,
            "kind": endpoint.kind,
            "events": list(endpoint.events),
            "active": endpoint.active,
        }


class DeliveryFilterForm(forms.Form):
    """The delivery log's filters; a value that is not offered is ignored."""

    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Status.choices]
    )
    event = forms.ChoiceField(
        label="Event",
        required=False,
        choices=[("", "Any event"), *[(name, name) for name in events.ALL_EVENTS]],
    )
    endpoint = forms.TypedChoiceField(
        label="Endpoint", required=False, coerce=int, empty_value=None, choices=[]
    )

    def __init__(self, data: Any, endpoints: list[Endpoint]) -> None:
        super().__init__(data)
        field = self.fields["endpoint"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Any endpoint"), *[(str(e.pk), e.name) for e in endpoints]]
