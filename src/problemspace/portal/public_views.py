"""The customer portal's public pages, /p/<workspace>/: no team account needed.

A portal that is switched off, or a workspace that has none, is a 404. A sign-in-only portal
shows nothing until the visitor confirms their email by a link (identity.py). Spam is held off
by rate limits per network address and per email, a honeypot field, length limits, and
moderation before anything appears; everything customers write is rendered escaped.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from problemspace.customers.models import Contact
from problemspace.portal import identity, notify, queries, services
from problemspace.portal.identity import Visitor
from problemspace.portal.models import (
    MAX_BODY,
    MAX_COMMENT,
    MAX_TITLE,
    CommentStatus,
    Kind,
    PortalSettings,
    Post,
    PostStatus,
    Vote,
)
from problemspace.portal.similar import similar_posts
from problemspace.web.ratelimit import Decision, Limit, client_ip
from problemspace.workspaces.models import Workspace

PER_PAGE = 20
HOUR = 60 * 60
HONEYPOT = "website"
SUBMITS_PER_IP = Limit("portal:submit:ip", capacity=10, per_seconds=HOUR)
SUBMITS_PER_EMAIL = Limit("portal:submit:email", capacity=5, per_seconds=HOUR)
VOTES_PER_IP = Limit("portal:vote:ip", capacity=60, per_seconds=HOUR)
VOTES_PER_EMAIL = Limit("portal:vote:email", capacity=30, per_seconds=HOUR)
COMMENTS_PER_IP = Limit("portal:comment:ip", capacity=20, per_seconds=HOUR)
COMMENTS_PER_EMAIL = Limit("portal:comment:email", capacity=10, per_seconds=HOUR)
SIMILAR_PER_IP = Limit("portal:similar:ip", capacity=120, per_seconds=10 * 60)
SIGN_INS_PER_IP = Limit("portal:sign-in:ip", capacity=10, per_seconds=HOUR)
SIGN_INS_PER_EMAIL = Limit("portal:sign-in:email", capacity=3, per_seconds=HOUR)


class _Portal:
    """The portal asked for, and who is visiting it."""

    def __init__(self, request: HttpRequest, settings: PortalSettings) -> None:
        self.settings = settings
        self.workspace: Workspace = settings.workspace
        self.visitor = identity.current(request, self.workspace)
        self.heading = settings.heading(self.workspace)

    @property
    def needs_sign_in(self) -> bool:
        return not self.settings.is_public and not (self.visitor and self.visitor.confirmed)

    def context(self, **extra: Any) -> dict[str, Any]:
        return {
            "portal": self.settings,
            "workspace": self.workspace,
            "heading": self.heading,
            "visitor": self.visitor,
            "honeypot": HONEYPOT,
            **extra,
        }


def _portal(request: HttpRequest, slug: str, *, enabled: bool = True) -> _Portal:
    settings = PortalSettings.objects.select_related("workspace").filter(workspace__slug=slug)
    if enabled:
        settings = settings.filter(enabled=True)
    found = settings.first()
    if found is None:
        raise Http404("No such portal.")
    return _Portal(request, found)


def _sign_in_redirect(portal: _Portal, request: HttpRequest) -> HttpResponse:
    url = reverse("portal_public:sign_in", args=[portal.workspace.slug])
    return HttpResponseRedirect(f"{url}?{urlencode({'next': request.get_full_path()})}")


def _limited(request: HttpRequest, decision: Decision) -> HttpResponse:
    response = TemplateResponse(
        request, "booking/public/limited.html", {"minutes": decision.retry_minutes}, status=429
    )
    response["Retry-After"] = str(int(decision.retry_after) + 1)
    return response


def _take(
    request: HttpRequest, portal: _Portal, by_ip: Limit, by_email: Limit, email: str
) -> Decision | None:
    """The refusal, when this network or this address has been too busy; None when allowed."""
    decision = by_ip.take(f"{portal.workspace.pk}:{client_ip(request)}")
    if decision.allowed and email.strip():
        decision = by_email.take(f"{portal.workspace.pk}:{email.strip().lower()}")
    return None if decision.allowed else decision


def _author(request: HttpRequest, portal: _Portal) -> services.Author:
    """Who is acting: the confirmed visitor, or what the form says (public portals)."""
    visitor = portal.visitor
    if visitor is not None and visitor.confirmed:
        return services.Author(visitor.email, visitor.name, visitor.company)
    post = request.POST
    return services.Author(
        email=post.get("email", "")[:300] or (visitor.email if visitor else ""),
        name=post.get("name", "")[:300] or (visitor.name if visitor else ""),
        company=post.get("company", "")[:300] or (visitor.company if visitor else ""),
    )


def _remember(request: HttpRequest, portal: _Portal, author: services.Author) -> None:
    identity.remember(
        request, portal.workspace, Visitor(author.email.strip(), author.name, author.company)
    )


@require_GET
def index(request: HttpRequest, slug: str) -> HttpResponse:
    portal = _portal(request, slug)
    if portal.needs_sign_in:
        return _sign_in_redirect(portal, request)
    sort = "new" if request.GET.get("sort") == "new" else "top"
    page = Paginator(queries.published(portal.workspace, sort), PER_PAGE).get_page(
        request.GET.get("page")
    )
    posts = list(page.object_list)
    return TemplateResponse(
        request,
        "portal/public/index.html",
        portal.context(
            page=page, posts=posts, sort=sort, voted=_voted(portal, posts), active="list"
        ),
    )


def _voted(portal: _Portal, posts: list[Post]) -> set[int]:
    if portal.visitor is None or not posts:
        return set()
    return set(
        Vote.objects.filter(
            post__in=posts, contact__email__iexact=portal.visitor.email
        ).values_list("post_id", flat=True)
    )


def _published_post(portal: _Portal, pk: int) -> Post:
    post = (
        Post.objects.filter(
            workspace=portal.workspace, pk=pk, status__in=[PostStatus.PUBLISHED, PostStatus.MERGED]
        )
        .select_related("merged_into", "contact")
        .first()
    )
    if post is None:
        raise Http404("No such post.")
    return post


def _post_page(
    request: HttpRequest,
    portal: _Portal,
    post: Post,
    *,
    form: str = "",
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
    notice: str = "",
) -> TemplateResponse:
    """The post's page; `form` ("vote" or "comment") is the form `errors` and `values` are
    for."""
    context = portal.context(
        post=post,
        comments=list(queries.published_comments(post)),
        voted=bool(_voted(portal, [post])),
        vote_errors=errors if form == "vote" else {},
        vote_values=values if form == "vote" else {},
        comment_errors=errors if form == "comment" else {},
        comment_values=values if form == "comment" else {},
        notice=notice,
        max_comment=MAX_COMMENT,
    )
    return TemplateResponse(request, "portal/public/post.html", context, status=status)


@require_GET
def post_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    portal = _portal(request, slug)
    if portal.needs_sign_in:
        return _sign_in_redirect(portal, request)
    post = _published_post(portal, pk)
    if post.status == PostStatus.MERGED and post.merged_into_id is not None:
        return HttpResponseRedirect(reverse("portal_public:post", args=[slug, post.merged_into_id]))
    notice = {
        "voted": "Thank you: your vote counts.",
        "again": "You had voted for this already; it counts once.",
        "commented": "Thank you. Your comment appears once the team has read it.",
        "comment-live": "Thank you: your comment is up.",
    }.get(request.GET.get("done", ""), "")
    return _post_page(request, portal, post, notice=notice)


@require_POST
def vote(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    portal = _portal(request, slug)
    if portal.needs_sign_in:
        return _sign_in_redirect(portal, request)
    post = _published_post(portal, pk)
    back = reverse("portal_public:post", args=[slug, post.pk])
    if request.POST.get(HONEYPOT):
        return HttpResponseRedirect(back)
    author = _author(request, portal)
    refused = _take(request, portal, VOTES_PER_IP, VOTES_PER_EMAIL, author.email)
    if refused is not None:
        return _limited(request, refused)
    try:
        counted = services.vote(post, author)
    except services.PortalError as error:
        values = {"email": author.email, "name": author.name, "company": author.company}
        return _post_page(
            request, portal, post, form="vote", errors=error.errors, values=values, status=400
        )
    _remember(request, portal, author)
    return HttpResponseRedirect(f"{back}?done={'voted' if counted else 'again'}")


@require_POST
def comment(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    portal = _portal(request, slug)
    if portal.needs_sign_in:
        return _sign_in_redirect(portal, request)
    post = _published_post(portal, pk)
    back = reverse("portal_public:post", args=[slug, post.pk])
    if request.POST.get(HONEYPOT):
        return HttpResponseRedirect(f"{back}?done=commented")
    author = _author(request, portal)
    refused = _take(request, portal, COMMENTS_PER_IP, COMMENTS_PER_EMAIL, author.email)
    if refused is not None:
        return _limited(request, refused)
    body = request.POST.get("comment", "")[: MAX_COMMENT * 2]
    try:
        made = services.add_comment(post, author, body)
    except services.PortalError as error:
        values = {
            "email": author.email,
            "name": author.name,
            "company": author.company,
            "comment": body,
        }
        return _post_page(
            request, portal, post, form="comment", errors=error.errors, values=values, status=400
        )
    _remember(request, portal, author)
    done = "comment-live" if made.status == CommentStatus.PUBLISHED else "commented"
    return HttpResponseRedirect(f"{back}?done={done}#comments")


def _form_context(
    portal: _Portal, values: dict[str, str], errors: dict[str, str], **extra: Any
) -> dict[str, Any]:
    return portal.context(
        values=values,
        errors=errors,
        kinds=Kind.choices,
        max_title=MAX_TITLE,
        max_body=MAX_BODY,
        similar_url=reverse("portal_public:similar", args=[portal.workspace.slug]),
        active="submit",
        **extra,
    )


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, slug: str) -> HttpResponse:
    """The form for a new post. Without script, a first send shows similar posts (if any)
    before storing; the script shows them while typing and marks the form reviewed."""
    portal = _portal(request, slug)
    if portal.needs_sign_in:
        return _sign_in_redirect(portal, request)
    template = "portal/public/submit.html"
    if request.method == "GET":
        values = {"kind": request.GET.get("kind", Kind.PROBLEM)}
        return TemplateResponse(request, template, _form_context(portal, values, {}))
    if request.POST.get(HONEYPOT):
        # Only bots fill the hidden field: they are thanked, and nothing is stored.
        return TemplateResponse(request, "portal/public/received.html", portal.context())
    author = _author(request, portal)
    data = request.POST
    values = {
        "title": data.get("title", "")[: MAX_TITLE * 2],
        "body": data.get("body", "")[: MAX_BODY * 2],
        "kind": data.get("kind", "")[:20],
        "email": author.email,
        "name": author.name,
        "company": author.company,
    }
    if data.get("reviewed") != "1":
        errors = services.check_post(values["title"], values["body"], values["kind"])
        services.check_author(author, errors)
        similar = [] if errors else _similar(request, portal, values["title"], values["body"])
        if errors or similar:
            context = _form_context(portal, values, errors, similar=similar, preview=not errors)
            return TemplateResponse(request, template, context, status=400 if errors else 200)
    refused = _take(request, portal, SUBMITS_PER_IP, SUBMITS_PER_EMAIL, author.email)
    if refused is not None:
        return _limited(request, refused)
    try:
        post = services.submit_post(
            portal.workspace,
            author,
            title=values["title"],
            body=values["body"],
            kind=values["kind"],
        )
    except services.PortalError as error:
        return TemplateResponse(
            request, template, _form_context(portal, values, error.errors), status=400
        )
    _remember(request, portal, author)
    if post.status == PostStatus.PUBLISHED:
        return HttpResponseRedirect(reverse("portal_public:post", args=[slug, post.pk]))
    return TemplateResponse(request, "portal/public/received.html", portal.context(post=post))


def _similar(request: HttpRequest, portal: _Portal, title: str, body: str) -> list[Post]:
    decision = SIMILAR_PER_IP.take(f"{portal.workspace.pk}:{client_ip(request)}")
    if not decision.allowed:
        return []
    found = similar_posts(portal.workspace, f"{title}\n\n{body}")
    return [s.post for s in found]


@require_GET
def similar(request: HttpRequest, slug: str) -> JsonResponse:
    """Published posts like the text typed so far, for the submit form's script."""
    portal = _portal(request, slug)
    if portal.needs_sign_in:
        return JsonResponse({"detail": "Sign in to this portal first."}, status=403)
    decision = SIMILAR_PER_IP.take(f"{portal.workspace.pk}:{client_ip(request)}")
    if not decision.allowed:
        response = JsonResponse({"detail": "Too many requests; wait a moment."}, status=429)
        response["Retry-After"] = str(int(decision.retry_after) + 1)
        return response
    found = similar_posts(portal.workspace, request.GET.get("q", "")[:2000])
    return JsonResponse(
        {
            "posts": [
                {
                    "id": s.post.pk,
                    "title": s.post.title,
                    "kind": s.post.get_kind_display(),
                    "votes": s.post.vote_count,
                    "url": reverse("portal_public:post", args=[slug, s.post.pk]),
                    "matched_by": s.matched_by,
                }
                for s in found
            ]
        }
    )


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask for a sign-in link by email (sign-in-only portals; public ones accept it too)."""
    portal = _portal(request, slug)
    next_path = identity.safe_next(
        request, portal.workspace, request.POST.get("next") or request.GET.get("next", "")
    )
    template = "portal/public/sign_in.html"
    values = {"email": "", "name": "", "company": ""}
    if request.method == "GET":
        context = portal.context(values=values, errors={}, next=next_path, active="sign_in")
        return TemplateResponse(request, template, context)
    if request.POST.get(HONEYPOT):
        return TemplateResponse(request, "portal/public/link_sent.html", portal.context())
    author = services.Author(
        request.POST.get("email", "")[:300],
        request.POST.get("name", "")[:300],
        request.POST.get("company", "")[:300],
    )
    errors: dict[str, str] = {}
    author = services.check_author(author, errors)
    if errors:
        values = {"email": author.email, "name": author.name, "company": author.company}
        context = portal.context(values=values, errors=errors, next=next_path, active="sign_in")
        return TemplateResponse(request, template, context, status=400)
    refused = _take(request, portal, SIGN_INS_PER_IP, SIGN_INS_PER_EMAIL, author.email)
    if refused is not None:
        return _limited(request, refused)
    identity.send_sign_in_link(
        portal.workspace,
        portal.heading,
        Visitor(author.email, author.name, author.company),
        next_path,
    )
    # The same answer whether or not the address is known: nothing to learn from it.
    return TemplateResponse(
        request, "portal/public/link_sent.html", portal.context(email=author.email)
    )


@require_GET
def confirm(request: HttpRequest, slug: str) -> HttpResponse:
    """The link from the sign-in email: the session now knows the confirmed address."""
    portal = _portal(request, slug)
    visitor = identity.read_link(portal.workspace, request.GET.get("t", ""))
    if visitor is None:
        return TemplateResponse(
            request, "portal/public/link_expired.html", portal.context(), status=400
        )
    # A fresh session: whoever had this browser before is not carried into the new identity.
    request.session.cycle_key()
    identity.remember(request, portal.workspace, visitor)
    return HttpResponseRedirect(
        identity.safe_next(request, portal.workspace, request.GET.get("next", ""))
    )


@require_POST
def sign_out(request: HttpRequest, slug: str) -> HttpResponse:
    portal = _portal(request, slug)
    identity.forget(request, portal.workspace)
    return HttpResponseRedirect(reverse("portal_public:index", args=[slug]))


@csrf_exempt  # mail clients' one-click unsubscribe (RFC 8058) posts without a CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, slug: str) -> HttpResponse:
    """Stop portal emails: about one post or all of them, by the signed link in each email.

    Works while the portal is switched off too: people must always be able to stop email.
    """
    portal = _portal(request, slug, enabled=False)
    token = request.GET.get("t", "") or request.POST.get("t", "")
    wanted = notify.read_unsubscribe(token)
    contact = (
        Contact.objects.filter(pk=wanted.contact_id, workspace=portal.workspace).first()
        if wanted
        else None
    )
    if wanted is None or contact is None or not wanted.names(contact):
        raise Http404("This unsubscribe link does not work.")
    post = (
        Post.objects.filter(pk=wanted.post_id, workspace=portal.workspace).first()
        if wanted.post_id
        else None
    )
    context = portal.context(token=token, post=post, done="")
    if request.method == "POST":
        everything = post is None or request.POST.get("scope") == "all"
        notify.opt_out(contact, None if everything else post)
        context["done"] = "all" if everything else "post"
    return TemplateResponse(request, "portal/public/unsubscribe.html", context)
