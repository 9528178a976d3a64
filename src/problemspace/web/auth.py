"""Sign-in and password reset: Django's own views, with rate limits and the site's address.

Authentication itself stays Django's (LoginView, PasswordResetView and the rest); these
subclasses only add what a public server needs on top: a limit on password guessing per
address and per username, a limit on reset emails, and links built from SITE_URL rather than
from whatever Host header a request came with.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy

from problemspace.web.ratelimit import Decision, Limit, client_ip

# Only failed sign-ins spend these, so a person who types the right password is never held
# back. An office behind one address shares the per-address bucket, hence its larger size.
SIGN_IN_PER_USERNAME = Limit("sign-in:username", capacity=10, per_seconds=15 * 60)
SIGN_IN_PER_ADDRESS = Limit("sign-in:address", capacity=30, per_seconds=15 * 60)
# Each reset request sends an email: a few per address an hour is plenty for a person and
# keeps the form from being used to flood someone's inbox.
RESET_PER_EMAIL = Limit("password-reset:email", capacity=3, per_seconds=60 * 60)
RESET_PER_ADDRESS = Limit("password-reset:address", capacity=20, per_seconds=60 * 60)


def _minutes(decision: Decision) -> str:
    n = decision.retry_minutes
    return f"{n} minute{'s' if n != 1 else ''}"


def _first_refusal(*decisions: Decision) -> Decision | None:
    refused = [d for d in decisions if not d.allowed]
    return max(refused, key=lambda d: d.retry_after) if refused else None


def _too_many(response: HttpResponse, decision: Decision) -> HttpResponse:
    response.status_code = 429
    response["Retry-After"] = str(max(1, round(decision.retry_after)))
    return response


class SignInView(auth_views.LoginView):
    """Django's LoginView that stops answering for a while after too many wrong passwords."""

    redirect_authenticated_user = True
    template_name = "registration/login.html"

    def _username(self) -> str:
        return self.request.POST.get("username", "").strip().lower()[:254]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = self._username()
        refusal = _first_refusal(
            SIGN_IN_PER_ADDRESS.peek(client_ip(request)), SIGN_IN_PER_USERNAME.peek(username)
        )
        if refusal is not None:
            # The password is not even checked: the form comes back with what was typed.
            form = AuthenticationForm(request, initial={"username": username})
            message = (
                f"Too many sign-in attempts. Try again in {_minutes(refusal)}, "
                "or reset your password if you have forgotten it."
            )
            context = self.get_context_data(form=form, throttled=message)
            return _too_many(self.render_to_response(context), refusal)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        SIGN_IN_PER_ADDRESS.take(client_ip(self.request))
        SIGN_IN_PER_USERNAME.take(self._username())
        return super().form_invalid(form)


def site_parts() -> tuple[str, str]:
    """SITE_URL's protocol and domain (with port), for links in emails."""
    parts = urlsplit(settings.SITE_URL)
    return parts.scheme or "http", parts.netloc


class PasswordResetRequestView(auth_views.PasswordResetView):
    """Ask for a reset link by email: limited per email and per address, links to SITE_URL."""

    # Names of our own: the admin app ships registration/password_reset_*.html, and it comes
    # first in INSTALLED_APPS, so Django's default names would pick up the admin's pages.
    template_name = "registration/reset_request.html"
    email_template_name = "registration/reset_email.txt"
    html_email_template_name = "registration/reset_email.html"
    subject_template_name = "registration/reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = form.cleaned_data["email"].strip().lower()
        # Both buckets are spent whether or not an account has this email, so the limit
        # tells nobody which addresses have accounts.
        refusal = _first_refusal(
            RESET_PER_ADDRESS.take(client_ip(self.request)), RESET_PER_EMAIL.take(email)
        )
        if refusal is not None:
            form.add_error(
                None,
                "Too many password reset requests. Check your inbox (and spam folder) for the "
                f"emails already sent, or try again in {_minutes(refusal)}.",
            )
            return _too_many(self.render_to_response(self.get_context_data(form=form)), refusal)
        protocol, domain = site_parts()
        form.save(
            domain_override=domain,
            use_https=protocol == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            html_email_template_name=self.html_email_template_name,
            request=self.request,
            extra_email_context={"site_url": settings.SITE_URL.rstrip("/")},
        )
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "registration/reset_sent.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["timeout_days"] = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
        return context


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/reset_complete.html"
