"""The forms of the assumption pages. They read and shape input; the rules are in
services.py, whose errors the views put back next to the field they name."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms

from problemspace.hypotheses.models import (
    MAX_CARD_TEXT,
    MAX_STATEMENT,
    SCORE_MAX,
    SCORE_MIN,
    Kind,
    Outcome,
    Status,
)
from problemspace.problems.models import Problem
from problemspace.workspaces.models import Member

SCORES = [(str(n), str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]
# "12", "#12" or an evidence page's address ending in /evidence/12/.
_EVIDENCE_REF = re.compile(r"#?(\d{1,18})|.*/evidence/(\d{1,18})/?")


class AccessibleForm(forms.Form):
    """Ties each error to its field for screen readers, as the hint already is."""

    def full_clean(self) -> None:
        super().full_clean()
        self.describe_errors()

    def describe_errors(self) -> None:
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                error_id = f"{self[name].auto_id}_error"
                described = attrs.get("aria-describedby", "")
                if error_id not in described:
                    attrs["aria-describedby"] = f"{described} {error_id}".strip()
                attrs["aria-invalid"] = "true"


def _score(label: str, help_text: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={
            "required": f"Choose a score from {SCORE_MIN} to {SCORE_MAX}.",
            "invalid_choice": f"Choose a score from {SCORE_MIN} to {SCORE_MAX}.",
        },
    )


class EvidenceRefsField(forms.CharField):
    """Evidence by number: "12, 40" or pasted addresses of evidence pages."""

    def to_python(self, value: Any) -> list[int]:  # type: ignore[override]
        text = super().to_python(value) or ""
        ids: list[int] = []
        for token in re.split(r"[\s,;]+", text):
            if not token:
                continue
            match = _EVIDENCE_REF.fullmatch(token)
            if match is None:
                raise forms.ValidationError(
                    f"“{token[:40]}” is not an evidence number; give numbers such as 12, 40, "
                    "or paste the addresses of evidence pages."
                )
            ids.append(int(match.group(1) or match.group(2)))
        return list(dict.fromkeys(ids))


def evidence_refs(ids: Sequence[int]) -> str:
    return ", ".join(str(pk) for pk in ids)


class HypothesisForm(AccessibleForm):
    statement = forms.CharField(
        label="We believe…",
        max_length=MAX_STATEMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One assumption your bet rests on, stated so that it could turn out false.",
        error_messages={
            "required": "Write what you believe.",
            "max_length": f"This can be at most {MAX_STATEMENT:,} characters.",
        },
    )
    kind = forms.ChoiceField(
        label="Kind",
        choices=Kind.choices,
        error_messages={"invalid_choice": "Choose one of the kinds in the list."},
    )
    importance = _score("Importance", "1: a detail. 5: the bet fails if this is wrong.")
    evidence_strength = _score(
        "Evidence strength", "How much is known already. 1: a guess. 5: shown again and again."
    )
    owner = forms.TypedChoiceField(
        label="Owner",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a member of this workspace."},
    )
    problems = forms.TypedMultipleChoiceField(
        label="Customer problems it is about",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose among this workspace's problems."},
    )
    evidence = EvidenceRefsField(
        label="Evidence behind it",
        required=False,
        max_length=4_000,
        help_text="Evidence numbers, such as 12, 40, or addresses of evidence pages.",
    )

    def __init__(
        self, *args: Any, members: Sequence[Member], problems: Sequence[Problem], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.TypedChoiceField)
        owner.choices = [("", "Nobody yet")] + [(m.pk, m.display_name) for m in members]
        linked = self.fields["problems"]
        assert isinstance(linked, forms.TypedMultipleChoiceField)
        linked.choices = [(p.pk, p.title) for p in problems]


class ExperimentForm(AccessibleForm):
    test = forms.CharField(
        label="To verify that, we will…",
        max_length=MAX_CARD_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The test: interviews, a landing page, a concierge run, a prototype…",
        error_messages={"required": "Write how you will test it."},
    )
    metric = forms.CharField(
        label="And measure…",
        required=False,
        max_length=MAX_CARD_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    criterion = forms.CharField(
        label="We are right if…",
        required=False,
        max_length=MAX_CARD_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Decide it before the test: the result cannot be recorded without it.",
    )
    cost = forms.CharField(label="Cost", required=False, max_length=120)
    duration_days = forms.IntegerField(
        label="Duration in days",
        required=False,
        min_value=1,
        max_value=3650,
        error_messages={
            "invalid": "Give the duration as a whole number of days.",
            "min_value": "Give the duration as a number of days, from 1 to 3,650.",
            "max_value": "Give the duration as a number of days, from 1 to 3,650.",
        },
    )


class ResultForm(AccessibleForm):
    observation = forms.CharField(
        label="We observed…",
        max_length=MAX_CARD_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What happened, with the figures you measured.",
        error_messages={"required": "Write what you observed."},
    )
    learning = forms.CharField(
        label="From that we learned…",
        required=False,
        max_length=MAX_CARD_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    decision = forms.CharField(
        label="Therefore, we will…",
        required=False,
        max_length=MAX_CARD_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    outcome = forms.ChoiceField(
        label="So the assumption is",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the outcome: validated, invalidated or inconclusive.",
            "invalid_choice": "Choose the outcome: validated, invalidated or inconclusive.",
        },
    )
    evidence = EvidenceRefsField(
        label="Evidence it cites",
        required=False,
        max_length=4_000,
        help_text="Evidence numbers, such as 12, 40, or addresses of evidence pages.",
    )


class MoveForm(forms.Form):
    status = forms.ChoiceField(
        choices=Status.choices,
        error_messages={"invalid_choice": "Choose one of the statuses on the board."},
    )


class ListFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "Any kind"), *Kind.choices], required=False)
    status = forms.ChoiceField(choices=[("", "Any status"), *Status.choices], required=False)
