"""The forms of the problem pages: each says what is wrong next to its field and keeps what
was typed. The edits themselves are in problems/edits.py; these only read and check input."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from problemspace.lib.ids import MAX_KEY
from problemspace.problems.edits import MAX_STATEMENT, MAX_TITLE
from problemspace.problems.models import Problem, Status


class EvidenceIdsField(forms.Field):
    """Ticked evidence: several `evidence` values, each an id."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        try:
            ids = list(dict.fromkeys(int(v) for v in values))
        except (TypeError, ValueError):
            ids = [0]
        if not all(0 < pk <= MAX_KEY for pk in ids):
            raise forms.ValidationError(
                "The ticked evidence could not be read; reload the page and tick it again."
            )
        return ids


def _problem_choices(problems: Sequence[Problem]) -> list[tuple[str, str]]:
    def label(problem: Problem) -> str:
        flag = (
            " (dismissed)"
            if problem.dismissed
            else " (candidate)"
            if problem.candidate
            else " (praise)"
            if problem.praise
            else ""
        )
        return f"{problem.title}{flag}"

    return [("", "Choose a problem…")] + [(str(p.pk), label(p)) for p in problems]


class ProblemChoiceField(forms.TypedChoiceField):
    def __init__(self, problems: Sequence[Problem], **kwargs: Any) -> None:
        super().__init__(
            coerce=int,
            choices=_problem_choices(problems),
            error_messages={
                "required": "Choose a problem.",
                "invalid_choice": "Choose one of this workspace's other problems.",
            },
            **kwargs,
        )


class TextForm(forms.Form):
    """The title and the PM's statement of the problem."""

    title = forms.CharField(
        max_length=MAX_TITLE,
        error_messages={
            "required": "A problem needs a title.",
            "max_length": f"A title can be at most {MAX_TITLE} characters.",
        },
    )
    statement = forms.CharField(
        required=False,
        max_length=MAX_STATEMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"A statement can be at most {MAX_STATEMENT:,} characters."},
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=Status.choices,
        error_messages={"invalid_choice": "Choose one of the statuses in the list."},
    )


class MergeForm(forms.Form):
    def __init__(self, *args: Any, others: Sequence[Problem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"] = ProblemChoiceField(others)


class EvidenceActionForm(forms.Form):
    """Ticked evidence, split off into a new problem or moved to another one."""

    SPLIT, MOVE = "split", "move"

    evidence = EvidenceIdsField(required=False)
    action = forms.ChoiceField(choices=[(SPLIT, "Split off"), (MOVE, "Move")])
    # The words searched for within the problem, and whether to act on every item they match
    # rather than only the ticked ones (which a page of results cannot all show).
    q = forms.CharField(required=False, max_length=200)
    all_matching = forms.BooleanField(required=False)
    title = forms.CharField(
        required=False,
        max_length=MAX_TITLE,
        error_messages={"max_length": f"A title can be at most {MAX_TITLE} characters."},
    )

    def __init__(self, *args: Any, others: Sequence[Problem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"] = ProblemChoiceField(others, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        everything = data.get("all_matching") and data.get("q")
        if action and not everything and not data.get("evidence") and "evidence" not in self.errors:
            verb = "split off" if action == self.SPLIT else "move"
            self.add_error("evidence", f"Tick the evidence to {verb} first.")
        if action == self.MOVE and not data.get("target") and "target" not in self.errors:
            self.add_error("target", "Choose the problem to move the ticked evidence to.")
        return data
