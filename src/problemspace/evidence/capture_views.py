"""Bringing evidence in from the browser: quick capture (typed or pasted) and file imports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from problemspace.customers.matching import account_for_email, similar_accounts
from problemspace.customers.models import Account
from problemspace.evidence import paste
from problemspace.evidence.capture import CaptureError, capture
from problemspace.evidence.forms import (
    MAPPING_FIELDS,
    MAX_PASTE_CHARACTERS,
    MAX_PASTE_ITEMS,
    CommonFields,
    ImportForm,
    ItemForm,
    PasteForm,
    occurred_at,
    paste_too_long,
    too_large_message,
)
from problemspace.evidence.import_views import start_preview
from problemspace.evidence.importing.report import RowError
from problemspace.evidence.models import Evidence, Provenance
from problemspace.evidence.queries import with_related
from problemspace.jobs.models import Job, Kind
from problemspace.lib.http import AuthenticatedHttpRequest
from problemspace.workspaces.access import get_member
from problemspace.workspaces.models import Member, Role

ACCOUNTS_SUGGESTED = 1000
SAVED_SHOWN = MAX_PASTE_ITEMS
RECENT_IMPORTS = 5
# What the next capture starts from: the person's last choices, kept in their session.
REMEMBERED = ("channel", "provenance", "relayed_by")
SESSION_KEY = "capture_defaults"

# capture()'s field names -> the form's, for errors found after the form was valid.
FORM_FIELDS = {
    "text": "text",
    "occurred_at": "date",
    "channel": "channel",
    "provenance": "provenance",
    "relayed_by": "relayed_by",
    "account": "account",
    "contact_email": "contact_email",
    "contact_name": "contact_name",
    "source_url": "source_url",
    "tags": "tags",
    "score": "score",
    "score_scale": "score_scale",
}
LABELS = {"text": "The text", "date": "The date", "account": "The account name"}


def _sentence(error: RowError, field: str) -> str:
    reason = error.reason.strip().rstrip(".")
    if reason.startswith("is "):
        label = LABELS.get(field, "This")
        return f"{label} {reason}."
    return f"{reason[:1].upper()}{reason[1:]}."


def _initial(request: HttpRequest) -> dict[str, Any]:
    remembered = request.session.get(SESSION_KEY) or {}
    initial: dict[str, Any] = {"date": timezone.localdate()}
    initial.update({k: v for k, v in remembered.items() if k in REMEMBERED})
    return initial


def _remember(request: HttpRequest, form: CommonFields) -> None:
    request.session[SESSION_KEY] = {k: form.cleaned_data.get(k, "") for k in REMEMBERED}


def _account_names(member: Member) -> list[str]:
    return list(
        Account.objects.filter(workspace=member.workspace)
        .order_by("name")
        .values_list("name", flat=True)[:ACCOUNTS_SUGGESTED]
    )


def _saved(member: Member, value: str) -> list[Evidence]:
    """The items just saved, named by the redirect after saving (only this workspace's)."""
    ids = [int(part) for part in value.split(",")[:SAVED_SHOWN] if part.strip().isdigit()]
    if not ids:
        return []
    return list(with_related(Evidence.objects.filter(workspace=member.workspace, pk__in=ids)))


def _add_capture_errors(form: Form, error: CaptureError) -> None:
    for row_error in error.errors:
        field = FORM_FIELDS.get(row_error.field.split(".")[0])
        if field is None and row_error.field.startswith("account_"):
            field = "account"
        if field is None or field not in form.fields:
            form.add_error(None, _sentence(row_error, ""))
        else:
            form.add_error(field, _sentence(row_error, field))


def _after_saving(
    request: HttpRequest,
    member: Member,
    mode: str,
    saved: list[Evidence],
    created: int,
    unchanged: int,
) -> HttpResponse:
    if created and unchanged:
        message = f"Saved {created} new item(s); {unchanged} already in the workspace."
    elif created:
        message = "Saved 1 item." if created == 1 else f"Saved {created} items."
    else:
        message = "Nothing new: " + (
            "that item is already in the workspace."
            if unchanged == 1
            else f"those {unchanged} items are already in the workspace."
        )
    messages.success(request, message)
    url = reverse("evidence:capture", args=[member.workspace.slug])
    ids = ",".join(str(e.pk) for e in saved)
    query = f"?saved={ids}" + ("&mode=paste" if mode == "paste" else "")
    return redirect(url + query)


@login_required
def capture_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Quick capture: one item typed in, or an email or notes pasted and previewed."""
    member = get_member(request, slug, Role.CONTRIBUTOR)
    mode = "paste" if (request.POST or request.GET).get("mode") == "paste" else "one"
    context: dict[str, Any] = {
        "member": member,
        "active": "capture",
        "mode": mode,
        "account_names": _account_names(member),
        "max_items": MAX_PASTE_ITEMS,
        "workspace_url": reverse("workspace", args=[member.workspace.slug]),
    }
    if request.method == "POST":
        if mode == "paste":
            return _paste(request, member, context)
        form = ItemForm(request.POST)
        if form.is_valid():
            try:
                result = capture(member, [form.record()])
            except CaptureError as exc:
                _add_capture_errors(form, exc)
            else:
                _remember(request, form)
                return _after_saving(
                    request, member, mode, result.evidence, result.created, result.unchanged
                )
        context["form"] = form
        return TemplateResponse(request, "evidence/capture.html", context)
    context["saved"] = _saved(member, request.GET.get("saved", ""))
    context["form"] = (PasteForm if mode == "paste" else ItemForm)(initial=_initial(request))
    return TemplateResponse(request, "evidence/capture.html", context)


def _paste(request: HttpRequest, member: Member, context: dict[str, Any]) -> HttpResponse:
    """Three steps on one page: paste, then preview the items found, then save the ticked."""
    step = request.POST.get("step", "preview")
    raw = request.POST.get("paste", "")
    if len(raw) > MAX_PASTE_CHARACTERS:
        # Sending megabytes back into the page helps nobody; the start of it may.
        data = request.POST.copy()
        data["paste"] = raw[:MAX_PASTE_CHARACTERS]
        form = PasteForm(data)
        form.is_valid()
        form.add_error("paste", paste_too_long(len(raw)))
        context["form"] = form
        return TemplateResponse(request, "evidence/capture.html", context)
    form = PasteForm(request.POST)
    context["form"] = form
    if step == "edit" or (not form.is_valid() and "paste" in form.errors):
        return TemplateResponse(request, "evidence/capture.html", context)
    if step == "save":
        return _save_pasted(request, member, form, context)
    pasted = paste.parse(form.data["paste"], form.data.get("kind") or paste.AUTO)
    if not pasted.items:
        form.add_error(
            "paste",
            "No text is left to save once quoted replies and signatures are taken out."
            if pasted.kind == paste.EMAIL
            else "There is no text to save in that paste.",
        )
        return TemplateResponse(request, "evidence/capture.html", context)
    if len(pasted.items) > MAX_PASTE_ITEMS:
        form.add_error(
            "paste",
            f"That paste makes {len(pasted.items):,} items; save at most {MAX_PASTE_ITEMS} at a "
            "time, or import them as a file.",
        )
        return TemplateResponse(request, "evidence/capture.html", context)
    # Fill what the email says and the person left blank; what they chose stays.
    data = request.POST.copy()
    if pasted.sender and not data.get("contact_email") and not data.get("contact_name"):
        data["contact_email"] = pasted.sender.email
        data["contact_name"] = pasted.sender.name
    if pasted.sent_at is not None:
        sent = _aware(pasted.sent_at)
        data["sent_at"] = sent.isoformat()
        data["date"] = timezone.localtime(sent).date().isoformat()
    if pasted.kind == paste.EMAIL and data.get("channel") in ("", None, "interview", "other"):
        data["channel"] = "email"
    if pasted.forwarded_by and data.get("provenance") != Provenance.RELAYED:
        data["provenance"] = Provenance.RELAYED
        data["relayed_by"] = pasted.forwarded_by.label
    sender_email = str(data.get("contact_email") or "")
    if not str(data.get("account") or "").strip() and sender_email:
        # The sender's company, by their address's domain, when the workspace knows it.
        known = account_for_email(member.workspace_id, sender_email)
        if known is not None:
            data["account"] = known.name
    preview = PasteForm(data)
    preview.is_valid()  # so fields show their errors (a future date...) in the preview
    context.update(
        form=preview,
        step="preview",
        pasted=pasted,
        items=[PreviewItem(item.text, item.heading) for item in pasted.items],
        account_alike=_alike(member, str(data.get("account") or "")),
    )
    return TemplateResponse(request, "evidence/capture.html", context)


def _alike(member: Member, name: str) -> list[str]:
    """Accounts a name that is not one yet may be meant as ("Granite Peak")."""
    name = name.strip()
    if not name or Account.objects.filter(workspace=member.workspace, name__iexact=name).exists():
        return []
    return [account.name for account in similar_accounts(member.workspace_id, name)]


@dataclass
class PreviewItem:
    """One item of a paste as the preview shows it: its text, ticked or not, its error."""

    text: str
    heading: str = ""
    keep: bool = True
    error: str = ""

    @property
    def rows(self) -> int:
        """Enough lines of text box to read the item without scrolling, up to a point."""
        lines = sum(1 + len(line) // 90 for line in self.text.splitlines())
        return max(2, min(14, lines))


def _aware(value: datetime) -> datetime:
    if timezone.is_aware(value):
        return value
    return timezone.make_aware(value, timezone.get_current_timezone())


def _save_pasted(
    request: HttpRequest, member: Member, form: PasteForm, context: dict[str, Any]
) -> HttpResponse:
    texts = request.POST.getlist("item")[:MAX_PASTE_ITEMS]
    headings = request.POST.getlist("heading")
    kept = {int(v) for v in request.POST.getlist("keep") if v.isdigit()}
    items = [
        PreviewItem(text, headings[n] if n < len(headings) else "", keep=n in kept)
        for n, text in enumerate(texts)
    ]
    context.update(step="preview", items=items)
    chosen = [item for item in items if item.keep]
    if not chosen:
        form.is_valid()
        form.add_error(None, "Tick at least one item to save.")
        return TemplateResponse(request, "evidence/capture.html", context)
    for item in chosen:
        if not item.text.strip():
            item.error = "This item is empty: write its text or untick it."
    if not form.is_valid() or any(item.error for item in chosen):
        return TemplateResponse(request, "evidence/capture.html", context)
    common = form.record()
    when = occurred_at(form.cleaned_data["date"], form.cleaned_data.get("sent_at"))
    records = [{**common, "text": item.text.strip(), "occurred_at": when} for item in chosen]
    try:
        result = capture(member, records)
    except CaptureError as exc:
        for error in exc.errors:
            if error.field == "text" and 1 <= error.line <= len(chosen):
                chosen[error.line - 1].error = _sentence(error, "text")
            else:
                _add_capture_errors(form, CaptureError([error]))
        return TemplateResponse(request, "evidence/capture.html", context)
    _remember(request, form)
    return _after_saving(
        request, member, "paste", result.evidence, result.created, result.unchanged
    )


# --- importing a file ---------------------------------------------------------------------


class LimitedUpload(FileUploadHandler):
    """Refuses a file larger than the import limit without writing it anywhere.

    The form's other fields come before the file (see import.html), so they, the CSRF token
    among them, are read as usual and the page can say what went wrong and keep them.
    """

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.too_large = False

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: Any,
        encoding: str | None = None,
    ) -> None:
        # The other fields take a few kilobytes; a body this much larger holds a larger file.
        self.too_large = content_length > self.limit + 256 * 1024

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if self.too_large or start + len(raw_data) > self.limit:
            self.too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@csrf_exempt
def import_page(request: HttpRequest, slug: str) -> HttpResponse:
    # The size guard must be in place before anything reads the body, CSRF's check included:
    # so CSRF is checked by csrf_protect below, after the handler is added.
    guard = LimitedUpload(request, settings.IMPORT_MAX_BYTES)
    if request.method == "POST":
        request.upload_handlers = [guard, *request.upload_handlers]
    return _import_page(cast(AuthenticatedHttpRequest, request), slug, guard)


@csrf_protect
@login_required
def _import_page(
    request: AuthenticatedHttpRequest, slug: str, guard: LimitedUpload
) -> HttpResponse:
    member = get_member(request, slug, Role.CONTRIBUTOR)
    context: dict[str, Any] = {
        "member": member,
        "active": "import",
        "mapping_fields": MAPPING_FIELDS,
        "max_bytes": settings.IMPORT_MAX_BYTES,
        "recent": list(
            Job.objects.filter(workspace_id=member.workspace_id, kind=Kind.IMPORT).select_related(
                "requested_by__user"
            )[:RECENT_IMPORTS]
        ),
    }
    if request.method != "POST":
        context["form"] = ImportForm(workspace_id=member.workspace_id)
        return TemplateResponse(request, "evidence/import.html", context)
    form = ImportForm(request.POST, request.FILES, workspace_id=member.workspace_id)
    valid = form.is_valid()
    if guard.too_large:
        form.errors.pop("file", None)
        form.add_error("file", too_large_message(settings.IMPORT_MAX_BYTES))
        valid = False
    if not valid:
        context["form"] = form
        return TemplateResponse(request, "evidence/import.html", context)
    # Nothing is read into the workspace before the person has seen how each column is read.
    return redirect(start_preview(member, form.cleaned_data["file"], form.options()))
