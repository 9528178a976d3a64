"""The forms of the evidence pages: quick capture, pasting, importing a file, triage.

They check what a person can get wrong in the browser and say so next to the field; the rules
evidence must obey (dates, channels, accounts) stay in capture() and the importer, whose
errors the views put next to the same fields.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from datetime import date as Day  # the forms have a field called date
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.utils import timezone

from problemspace.evidence import paste as pasting
from problemspace.evidence.importing.errors import ImportFileError
from problemspace.evidence.importing.fields import FIELDS, parse_mapping
from problemspace.evidence.models import (
    MAX_TEXT_LENGTH,
    Channel,
    ImportColumns,
    Kind,
    Provenance,
    ScoreScale,
)
from problemspace.evidence.scores import ScoreError, read_score

# About forty pages of text: more than any email or meeting's notes, and few enough items
# that the preview stays readable. Larger material is a file to import.
MAX_PASTE_CHARACTERS = 200_000
# The preview lists every item with its own box; beyond this a file import is the right tool.
MAX_PASTE_ITEMS = 200
MAX_TAG_LENGTH = 60
_TAG_SPLIT = re.compile(r"[;,]")
# Spreadsheets and documents the importer cannot read, refused before they are uploaded twice.
NOT_IMPORTABLE = {
    ".xlsx": "an Excel spreadsheet",
    ".xls": "an Excel spreadsheet",
    ".numbers": "a Numbers spreadsheet",
    ".ods": "a spreadsheet",
    ".pdf": "a PDF document",
    ".docx": "a Word document",
    ".zip": "a ZIP archive",
    ".gz": "a gzip archive",
}


def today() -> date:
    return timezone.localdate()


def split_tags(value: str) -> list[str]:
    """'Billing, SSO;billing' -> ['billing', 'sso']: tags as the importer stores them."""
    tags: list[str] = []
    for part in _TAG_SPLIT.split(value):
        tag = " ".join(part.split()).lower()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def _clean_tags(value: str) -> str:
    tags = split_tags(value)
    too_long = [t for t in tags if len(t) > MAX_TAG_LENGTH]
    if too_long:
        raise forms.ValidationError(
            f"The tag {too_long[0][:30]!r}… is too long: keep tags to {MAX_TAG_LENGTH} characters."
        )
    return ", ".join(tags)


def occurred_at(day: date, sent_at: datetime | None = None) -> str:
    """When an item captured for `day` happened, as the importer reads dates.

    Today's item happened now; an email keeps the time it was sent; any other day is stored at
    midday in the workspace's time zone, so it stays on that day wherever it is read nearby.
    """
    zone = timezone.get_current_timezone()
    if sent_at is not None:
        aware = sent_at if timezone.is_aware(sent_at) else timezone.make_aware(sent_at, zone)
        if timezone.localtime(aware, zone).date() == day:
            return aware.isoformat()
    if day == today():
        return timezone.now().isoformat()
    return timezone.make_aware(datetime.combine(day, time(12)), zone).isoformat()


class CommonFields(forms.Form):
    """What every item captured at once shares: when, how, from whom, and its tags."""

    date = forms.DateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Say when it was said.",
            "invalid": "Write the date like 2025-03-31.",
        },
    )
    channel = forms.ChoiceField(label="Channel", choices=Channel.choices, initial=Channel.INTERVIEW)
    provenance = forms.ChoiceField(
        label="How did you hear it?",
        choices=[
            (Provenance.FIRST_HAND, "First-hand: from the customer"),
            (Provenance.RELAYED, "Relayed: through a colleague"),
        ],
        initial=Provenance.FIRST_HAND,
        widget=forms.RadioSelect,
    )
    relayed_by = forms.CharField(
        label="Relayed by",
        max_length=200,
        required=False,
        help_text="Who passed it on, e.g. Sam (Sales). Needed for relayed evidence.",
    )
    account = forms.CharField(
        label="Account",
        max_length=200,
        required=False,
        help_text="The customer's organisation; a new name adds an account.",
        widget=forms.TextInput(attrs={"list": "account-names", "autocomplete": "off"}),
    )
    contact_email = forms.EmailField(
        label="Contact email",
        max_length=254,
        required=False,
        error_messages={"invalid": "That is not an email address, like dana@globex.example."},
    )
    contact_name = forms.CharField(label="Contact name", max_length=200, required=False)
    tags = forms.CharField(
        label="Tags",
        max_length=600,
        required=False,
        help_text="Separated by commas.",
    )

    def clean_date(self) -> Day:
        day: Day = self.cleaned_data["date"]
        if day > today():
            raise forms.ValidationError("That date is in the future: when was it said?")
        if day.year < 1990:
            raise forms.ValidationError("That date is too long ago; check the year.")
        return day

    def clean_tags(self) -> str:
        return _clean_tags(self.cleaned_data.get("tags", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("provenance") == Provenance.RELAYED:
            if not data.get("relayed_by", "").strip() and "relayed_by" not in self.errors:
                self.add_error(
                    "relayed_by",
                    "Say who relayed it (for example Sam from Sales), or choose first-hand.",
                )
        else:
            data["relayed_by"] = ""
        return data

    def record(self) -> dict[str, Any]:
        """The shared fields as a capture() record (without the text and date)."""
        data = self.cleaned_data
        return {
            "channel": data["channel"],
            "provenance": data["provenance"],
            "relayed_by": data["relayed_by"].strip(),
            "account": data["account"].strip(),
            "contact_email": data["contact_email"],
            "contact_name": data["contact_name"].strip(),
            "tags": data["tags"],
        }


class ItemForm(CommonFields):
    """One item, typed in."""

    text = forms.CharField(
        label="What the customer said",
        help_text="Their words, as said or written.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_TEXT_LENGTH,
        error_messages={
            "required": "Write what the customer said, in their words.",
            "max_length": f"Keep one item under {MAX_TEXT_LENGTH:,} characters; "
            "split a long conversation into several.",
        },
    )
    source_url = forms.CharField(
        label="Source link",
        max_length=2000,
        required=False,
        help_text="Where it can be found again: the ticket, the call recording…",
        widget=forms.URLInput,
        validators=[
            URLValidator(
                schemes=["http", "https"],
                message="Give a web address starting with https:// or http://.",
            )
        ],
    )

    score = forms.CharField(
        label="Score",
        max_length=40,
        required=False,
        help_text="If they gave one: 4, 4/5 or ★★★★☆.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    score_scale = forms.ChoiceField(
        label="Scale",
        choices=[("", "No score"), *ScoreScale.choices],
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # The importer's own rules (evidence/scores.py), said next to the field at fault.
        try:
            data["score"], data["score_scale"] = read_score(
                data.get("score", ""), data.get("score_scale", "")
            )
        except ScoreError as exc:
            self.add_error(exc.field, _score_sentence(exc))
        return data

    def record(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **super().record(),
            "text": data["text"],
            "occurred_at": occurred_at(data["date"]),
            "source_url": data["source_url"].strip(),
            "score": data["score"],
            "score_scale": data["score_scale"],
        }


def _score_sentence(error: ScoreError) -> str:
    reason = error.reason
    if error.field == "score_scale" and reason.startswith("is empty"):
        return "Choose the scale of the score: stars (1 to 5), NPS (0 to 10) or CSAT (1 to 5)."
    return f"{reason[:1].upper()}{reason[1:]}."


class PasteForm(CommonFields):
    """An email or notes, pasted whole; read into items for a preview."""

    paste = forms.CharField(
        label="Paste an email or notes",
        help_text=f"An email keeps what the customer wrote, without quoted replies or "
        f"signature; notes become one item per paragraph or bullet point. At most "
        f"{MAX_PASTE_CHARACTERS:,} characters.",
        widget=forms.Textarea(attrs={"rows": 12}),
        strip=False,
        error_messages={"required": "Paste an email or some notes first."},
    )
    kind = forms.ChoiceField(
        label="It is",
        choices=[
            (pasting.AUTO, "Work it out"),
            (pasting.EMAIL, "An email"),
            (pasting.NOTES, "Notes"),
        ],
        initial=pasting.AUTO,
        widget=forms.RadioSelect,
    )
    # The email's own Date header, so an item keeps the time it was sent.
    sent_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    def clean_paste(self) -> str:
        text: str = self.cleaned_data["paste"]
        if len(text) > MAX_PASTE_CHARACTERS:
            raise forms.ValidationError(paste_too_long(len(text)))
        if not text.strip():
            raise forms.ValidationError("Paste an email or some notes first.")
        return text


def paste_too_long(length: int) -> str:
    return (
        f"That paste is {length:,} characters long; paste at most {MAX_PASTE_CHARACTERS:,} at "
        "a time (about forty pages), or import it as a file. The first "
        f"{MAX_PASTE_CHARACTERS:,} are kept in the box."
    )


class ImportForm(forms.Form):
    """A file of evidence and how to read it; the import itself runs in the background."""

    file = forms.FileField(
        label="File",
        widget=forms.FileInput(attrs={"accept": ".csv,.tsv,.txt,.jsonl,.ndjson,.json"}),
        error_messages={
            "required": "Choose a CSV, TSV or JSON Lines file to import.",
            "empty": "That file is empty: there is nothing to import.",
            "invalid": "No file arrived; choose it again.",
        },
    )
    channel = forms.ChoiceField(
        label="Channel for rows without one",
        choices=[("", "From the tool the file comes from, else Other"), *Channel.choices],
        initial="",
        required=False,
        help_text="Rows with a channel column keep theirs. A support desk's export is Support "
        "ticket, a review site's Review, a survey's Survey.",
    )
    provenance = forms.ChoiceField(
        label="Provenance for rows without one",
        choices=[
            ("", "From the file (CRM call notes are relayed), else first-hand"),
            (Provenance.FIRST_HAND, "First-hand"),
            (Provenance.RELAYED, "Relayed"),
        ],
        initial="",
        required=False,
        widget=forms.RadioSelect,
    )
    relayed_by = forms.CharField(
        label="Relayed by",
        max_length=200,
        required=False,
        help_text="For relayed rows without a relayed_by column, e.g. Support team.",
    )
    source = forms.CharField(
        label="Source name",
        max_length=64,
        required=False,
        help_text="The system the file comes from, e.g. zendesk. Empty: the file's name. "
        "Importing a newer export of the same source adds only what is new.",
    )
    mapping = forms.CharField(
        label="Columns",
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        required=False,
        help_text="Only for columns not found by name: one field=Column per line, "
        "e.g. text=Body or occurred_at=Created.",
    )
    score_scale = forms.ChoiceField(
        label="Scale of scores",
        choices=[("", "From the column's name"), *ScoreScale.choices],
        required=False,
        help_text="For a column of ratings or scores: a column called rating or stars is read "
        "as stars, nps as NPS, csat or satisfaction as CSAT. Any other needs its scale here.",
    )
    dayfirst = forms.BooleanField(
        label="Dates are day first (31/03/2025)",
        required=False,
    )
    saved = forms.ModelChoiceField(
        label="Columns saved earlier",
        queryset=ImportColumns.objects.none(),
        required=False,
        empty_label="None: read the columns by their names",
        help_text="Read the file as one saved on an earlier import's preview.",
    )

    def __init__(self, *args: Any, workspace_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["saved"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ImportColumns.objects.filter(workspace_id=workspace_id or 0)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        for suffix, kind in NOT_IMPORTABLE.items():
            if name.endswith(suffix):
                raise forms.ValidationError(
                    f"That is {kind}. Save or export it as CSV (UTF-8) and import that."
                )
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(too_large_message(limit))
        return upload

    def clean_source(self) -> str:
        source = self.cleaned_data["source"].strip()
        if source and not re.fullmatch(r"[\w.\- ]+", source):
            raise forms.ValidationError(
                "Use letters, digits, spaces, dots, dashes or underscores in the source name."
            )
        return source

    def clean_mapping(self) -> dict[str, str | list[str]]:
        lines = [line.strip() for line in self.cleaned_data["mapping"].splitlines()]
        lines = [line for line in lines if line and not line.startswith("#")]
        errors = []
        for number, line in enumerate(lines, start=1):
            try:
                parse_mapping([line])
            except ImportFileError as exc:
                # The importer speaks to the command line ("--map ..."); here it is a line.
                errors.append(f"Line {number}: {str(exc).replace('--map ', '')}")
        if errors:
            raise forms.ValidationError(errors)
        return parse_mapping(lines)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("provenance") == Provenance.RELAYED:
            data["relayed_by"] = data.get("relayed_by", "").strip()
        else:
            data["relayed_by"] = ""
        return data

    def options(self) -> dict[str, Any]:
        """What start_import passes on to the import job."""
        data = self.cleaned_data
        options: dict[str, Any] = {
            "channel": data["channel"],
            "provenance": data["provenance"],
            "relayed_by": data["relayed_by"],
            "source": data["source"],
            "mapping": data["mapping"],
            "score_scale": data["score_scale"],
            "dayfirst": True if data["dayfirst"] else None,
        }
        saved = data.get("saved")
        if saved is not None:
            # What was saved comes first; a column typed here still wins.
            options["mapping"] = {**saved.mapping(), **options["mapping"]}
            options["ignore"] = list(saved.ignore)
            if saved.dayfirst is not None and options["dayfirst"] is None:
                options["dayfirst"] = saved.dayfirst
        return options


def too_large_message(limit: int) -> str:
    return (
        f"That file is larger than {_size(limit)}, the most one import takes. Split it into "
        "smaller files, or run `problemspace import FILE` on the server."
    )


def _size(n: int) -> str:
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= scale:
            return f"{round(n / scale, 1):g} {unit}"
    return f"{n:,} bytes"


MAPPING_FIELDS = tuple(FIELDS)
TRIAGE_ACTIONS = ("assign", "tag", "relayed", "first_hand", "kind")


class IdsField(forms.Field):
    """Ids sent as repeated values (ticked checkboxes); which of them the member may touch is
    the view's check, against the member's own workspace."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": "Tick at least one item first.",
        "invalid": "Those items are not known here; reload the page and tick them again.",
        "too_many": "Act on at most %(limit)s items at a time.",
    }

    def __init__(self, *, limit: int = 500, **kwargs: Any) -> None:
        self.limit = limit
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        ids: list[int] = []
        for item in values:
            text = str(item).strip()
            if not text.isdigit() or len(text) > 18:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            if int(text) not in ids:
                ids.append(int(text))
        if len(ids) > self.limit:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"limit": self.limit}
            )
        return ids

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class TriageForm(forms.Form):
    """One action on some evidence items. The items and problem are checked by the view,
    against the member's own workspace."""

    evidence = IdsField()
    action = forms.ChoiceField(
        choices=[(a, a) for a in (*TRIAGE_ACTIONS, "auto")],
        error_messages={"required": "Choose what to do: press the button of an action."},
    )
    problem = forms.IntegerField(required=False, min_value=1)
    tag = forms.CharField(max_length=200, required=False)
    relayed_by = forms.CharField(max_length=200, required=False)
    kind = forms.ChoiceField(choices=[("", ""), *Kind.choices], required=False)

    def clean_tag(self) -> str:
        return _clean_tags(self.cleaned_data.get("tag", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        tag = data.get("tag", "")
        relayed_by = data.get("relayed_by", "").strip()
        data["relayed_by"] = relayed_by
        if action == "auto":
            # Enter in a text box submits the form without saying which button was meant.
            if tag and not relayed_by:
                action = "tag"
            elif relayed_by and not tag:
                action = "relayed"
            else:
                raise forms.ValidationError("Choose what to do: press the button of an action.")
            data["action"] = action
        if action == "assign" and not data.get("problem") and "problem" not in self.errors:
            self.add_error("problem", "Choose the problem to assign the items to.")
        if action == "tag" and not tag and "tag" not in self.errors:
            self.add_error("tag", "Type the tag to add.")
        if action == "relayed" and not relayed_by and "relayed_by" not in self.errors:
            self.add_error("relayed_by", "Say who relayed it, for example Sam from Sales.")
        if action == "kind" and not data.get("kind") and "kind" not in self.errors:
            self.add_error("kind", "Choose what the items are: a problem, a request, praise…")
        return data
