"""The public sign-up page of a campaign, /r/<token>/: no sign-in, meant to be posted anywhere.

Spam is held off by a rate limit per address and a honeypot field; answers are stored exactly
as written and only ever shown escaped. Someone screened in goes straight to the booking page
(and gets its link by email, to come back to).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from problemspace.recruiting import invites
from problemspace.recruiting.booking_link import booking_url
from problemspace.recruiting.models import Campaign, CandidateStatus, QuestionKind
from problemspace.recruiting.screening import Answer, answer_key
from problemspace.recruiting.signup import Outcome, SignUp, SignUpError, sign_up
from problemspace.web.ratelimit import Limit, client_ip

SIGNUPS_PER_IP = Limit("recruiting:signup", capacity=10, per_seconds=60 * 60)
HONEYPOT = "website"


def _form_context(
    campaign: Campaign, values: dict[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    questions = [
        {
            "question": q,
            "key": answer_key(q),
            "value": values.get(answer_key(q), [] if q.kind == QuestionKind.MULTI else ""),
            "error": errors.get(answer_key(q), ""),
        }
        for q in campaign.questions.all()
    ]
    return {
        "campaign": campaign,
        "questions": questions,
        "segments": [q.segment for q in campaign.quotas.all()],
        "values": values,
        "errors": errors,
        "honeypot": HONEYPOT,
    }


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest, token: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("workspace"), token=token)
    if not campaign.is_open:
        return TemplateResponse(
            request, "recruiting/public/closed.html", {"campaign": campaign}, status=410
        )
    if request.method == "GET":
        values: dict[str, Any] = {"i": request.GET.get("i", "")[:200]}
        invited = invites.invited_candidate(campaign, values["i"]) if values["i"] else None
        if invited is not None:
            contact = invited.contact
            values.update(
                name=contact.name,
                email=contact.email or "",
                company=contact.account.name if contact.account else "",
                role=contact.role,
            )
        return TemplateResponse(
            request, "recruiting/public/signup.html", _form_context(campaign, values, {})
        )
    decision = SIGNUPS_PER_IP.take(client_ip(request))
    if not decision.allowed:
        response = TemplateResponse(
            request,
            "booking/public/limited.html",
            {"minutes": decision.retry_minutes},
            status=429,
        )
        response["Retry-After"] = str(int(decision.retry_after) + 1)
        return response
    if request.POST.get(HONEYPOT):
        # Only bots fill the hidden field: they are thanked, and nothing is stored.
        return TemplateResponse(
            request, "recruiting/public/thanks.html", {"campaign": campaign, "outcome": "out"}
        )
    post = request.POST
    answers: dict[str, Answer] = {}
    for question in campaign.questions.all():
        key = answer_key(question)
        if question.kind == QuestionKind.MULTI:
            answers[key] = [v[:300] for v in post.getlist(key)][:50]
        else:
            answers[key] = post.get(key, "")[:5000]
    data = SignUp(
        name=post.get("name", "")[:300],
        email=post.get("email", "")[:300],
        company=post.get("company", "")[:300],
        role=post.get("role", "")[:300],
        segment=post.get("segment", "")[:80],
        answers=answers,
        consent=post.get("consent") == "yes",
    )
    try:
        result = sign_up(campaign, data)
    except SignUpError as error:
        values = {**data.__dict__, **answers, "i": post.get("i", "")[:200]}
        return TemplateResponse(
            request,
            "recruiting/public/signup.html",
            _form_context(campaign, values, error.errors),
            status=400,
        )
    if result.outcome == Outcome.CLOSED:
        return TemplateResponse(
            request, "recruiting/public/closed.html", {"campaign": campaign}, status=410
        )
    candidate = result.candidate
    if candidate is not None and candidate.status == CandidateStatus.SCREENED_IN:
        # Emailed, not only shown: the link reaches only the owner of the address.
        invites.send_booking_link(candidate)
        url = booking_url(candidate, absolute=False)
        if result.outcome == Outcome.SCREENED_IN and url:
            return HttpResponseRedirect(url)
    return TemplateResponse(
        request,
        "recruiting/public/thanks.html",
        {"campaign": campaign, "outcome": result.outcome.value},
    )
