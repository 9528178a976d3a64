"""The import preview's choices: for each column of the file, the field it fills or "left out".

The form starts from the layout the importer decided (the recognised tool, the names of the
columns), so confirming it unchanged imports exactly what the preview showed; any change
becomes an explicit mapping and list of left-out columns for the import job, and can be saved
by name for the tool's next export.
"""

from __future__ import annotations

from typing import Any

from django import forms

from problemspace.evidence.importing.fields import FIELDS, MULTI_COLUMN
from problemspace.evidence.importing.layout import Layout
from problemspace.evidence.importing.saved import save_columns
from problemspace.evidence.models import ImportColumns
from problemspace.workspaces.models import Member

LEFT_OUT = ""
AS_TAG = "tags:prefix"
SKIPS = "rows:skip"
DATE_ORDERS = [("", "As read from the dates"), ("day", "Day first"), ("month", "Month first")]


class ColumnsForm(forms.Form):
    dayfirst = forms.ChoiceField(label="Date order", choices=DATE_ORDERS, required=False)
    save_as = forms.CharField(
        label="Save these columns as",
        max_length=80,
        required=False,
        help_text="A name, e.g. Zendesk tickets: the next file can be read the same way.",
    )

    def __init__(self, layout: Layout, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.layout = layout
        self.names: list[tuple[str, str]] = []  # (form field name, column)
        for n, column in enumerate(layout.columns):
            choices = [(LEFT_OUT, "left out"), *((name, name) for name in FIELDS)]
            initial = _initial(layout, column)
            if column in layout.tag_columns:
                choices.insert(1, (AS_TAG, f'tags ("{layout.tag_columns[column]}: …")'))
            if column in layout.skip:
                choices.insert(1, (SKIPS, f"rows {layout.skip[column][1]} are skipped"))
            name = f"column_{n}"
            self.fields[name] = forms.ChoiceField(
                label=column, choices=choices, initial=initial, required=False
            )
            self.names.append((name, column))

    def rows(self) -> list[tuple[forms.BoundField, list[str]]]:
        """Each column's choice with its first values, in the file's order."""
        return [(self[name], self.layout.samples.get(column, [])) for name, column in self.names]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen: dict[str, list[str]] = {}
        for name, column in self.names:
            field = data.get(name) or LEFT_OUT
            if field not in (LEFT_OUT, AS_TAG, SKIPS):
                chosen.setdefault(field, []).append(column)
        for field, columns in chosen.items():
            if len(columns) > 1 and field not in MULTI_COLUMN:
                for name, column in self.names:
                    if column in columns[1:]:
                        self.add_error(
                            name,
                            f"{columns[0]!r} already fills {field}; one column fills it "
                            "(only text and contact_name can put several together).",
                        )
        if "text" not in chosen and "title" not in chosen:
            raise forms.ValidationError(
                "No column is the text: choose the one holding what the customer said."
            )
        data["chosen"] = chosen
        return data

    def import_options(self) -> dict[str, Any]:
        """The mapping and left-out columns that read the file as chosen here."""
        chosen: dict[str, list[str]] = self.cleaned_data["chosen"]
        layout = self.layout
        mapping = {
            field: columns if len(columns) > 1 else columns[0]
            for field, columns in chosen.items()
            if layout.fields.get(field) != columns
        }
        kept = {c for columns in chosen.values() for c in columns}
        kept |= {
            column for name, column in self.names if self.cleaned_data.get(name) in (AS_TAG, SKIPS)
        }
        ignore = [column for column in layout.columns if column not in kept]
        order = self.cleaned_data.get("dayfirst") or ""
        return {
            "mapping": mapping,
            "ignore": ignore,
            "dayfirst": {"day": True, "month": False}.get(order),
        }

    def save_columns(self, member: Member) -> ImportColumns | None:
        name = (self.cleaned_data.get("save_as") or "").strip()
        if not name:
            return None
        options = self.import_options()
        return save_columns(
            member.workspace_id,
            name,
            self.cleaned_data["chosen"],
            options["ignore"],
            options["dayfirst"],
            member,
        )


def _initial(layout: Layout, column: str) -> str:
    if column in layout.skip:
        return SKIPS
    if column in layout.tag_columns:
        return AS_TAG
    for name, columns in layout.fields.items():
        if column in columns:
            return name
    return LEFT_OUT
