"""Production settings pass Django's deployment checks; headers; CSRF on every form."""

from __future__ import annotations

import importlib.util
import os
import re
import secrets
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest import mock

from django.core.checks import WARNING, run_checks
from django.http import HttpResponse
from django.template import Context, Template
from django.test import Client, RequestFactory, SimpleTestCase, override_settings
from django.utils.safestring import mark_safe

import problemspace.settings
from problemspace.testing import PASSWORD, BaseTestCase
from problemspace.web.middleware import ContentSecurityPolicyMiddleware
from problemspace.workspaces.models import Invitation
from problemspace.workspaces.tokens import create_token

STRICT = (
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
)

# Settings that depend on the environment and that the deployment checks read. The database,
# apps and templates are left alone: a test cannot swap those, and they do not vary.
CHECKED = re.compile(
    r"^(DEBUG|SECRET_KEY|ALLOWED_HOSTS|SITE_URL|HTTPS|MIDDLEWARE|X_FRAME_OPTIONS)$|^(SECURE|SESSION|CSRF)_"
)


def load_settings(**env: str) -> ModuleType:
    """A fresh copy of problemspace.settings, read under the given environment variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PROBLEMSPACE_")}
    home = tempfile.mkdtemp()
    with mock.patch.dict(os.environ, {**clean, "PROBLEMSPACE_HOME": home, **env}, clear=True):
        spec = importlib.util.spec_from_file_location(
            "settings_under_test", Path(problemspace.settings.__file__)
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module


def deployment_problems(module: ModuleType) -> list[str]:
    overrides: dict[str, Any] = {
        name: getattr(module, name) for name in dir(module) if CHECKED.search(name)
    }
    with override_settings(**overrides):
        messages = run_checks(include_deployment_checks=True)
    return sorted(m.id or "" for m in messages if m.level >= WARNING)


PRODUCTION = {
    "PROBLEMSPACE_HTTPS": "true",
    "PROBLEMSPACE_SECRET_KEY": secrets.token_urlsafe(64),
    "PROBLEMSPACE_ALLOWED_HOSTS": "ps.example.com",
    "PROBLEMSPACE_SITE_URL": "https://ps.example.com",
}


class DeploymentChecksTestCase(SimpleTestCase):
    def test_production_settings_pass_check_deploy(self) -> None:
        self.assertEqual(deployment_problems(load_settings(**PRODUCTION)), [])

    def test_the_checks_see_an_insecure_setup(self) -> None:
        # Plain HTTP, as for trying it on a laptop: the checks say what production must change.
        problems = deployment_problems(load_settings(PROBLEMSPACE_HTTPS="false"))
        for expected in ("security.W004", "security.W008", "security.W012", "security.W016"):
            self.assertIn(expected, problems)

    def test_a_weak_secret_key_is_reported(self) -> None:
        module = load_settings(**{**PRODUCTION, "PROBLEMSPACE_SECRET_KEY": "changeme"})
        self.assertIn("security.W009", deployment_problems(module))

    def test_debug_is_reported(self) -> None:
        module = load_settings(**{**PRODUCTION, "PROBLEMSPACE_DEBUG": "true"})
        self.assertIn("security.W018", deployment_problems(module))

    def test_a_site_url_the_server_does_not_answer_to_is_reported(self) -> None:
        module = load_settings(
            **{**PRODUCTION, "PROBLEMSPACE_SITE_URL": "https://elsewhere.example"}
        )
        self.assertEqual(deployment_problems(module), ["problemspace.W001"])

    def test_an_http_site_url_behind_https_is_reported(self) -> None:
        module = load_settings(**{**PRODUCTION, "PROBLEMSPACE_SITE_URL": "http://ps.example.com"})
        self.assertEqual(deployment_problems(module), ["problemspace.W002"])

    def test_a_site_url_that_is_not_an_address_is_an_error(self) -> None:
        module = load_settings(**{**PRODUCTION, "PROBLEMSPACE_SITE_URL": "ps.example.com"})
        self.assertEqual(deployment_problems(module), ["problemspace.E001"])


class HeadersTestCase(BaseTestCase):
    def test_pages_carry_a_strict_content_security_policy(self) -> None:
        self.client.force_login(self.alice)
        for url in ("/login/", "/w/acme/settings/", "/account/api-keys/", "/w/acme/inbox/"):
            with self.subTest(url=url):
                policy = self.client.get(url)["Content-Security-Policy"]
                directives = [d.strip() for d in policy.split(";")]
                for directive in STRICT:
                    self.assertIn(directive, directives)

    def test_pages_carry_the_other_security_headers(self) -> None:
        response = self.client.get("/login/")
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Referrer-Policy"], "same-origin")
        self.assertEqual(response["Cross-Origin-Opener-Policy"], "same-origin")

    @override_settings(
        SECURE_HSTS_SECONDS=31536000,
        SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
        SESSION_COOKIE_SECURE=True,
        CSRF_COOKIE_SECURE=True,
    )
    def test_over_https_it_asks_for_https_only_and_secure_cookies(self) -> None:
        response = self.client.get("/login/", secure=True)
        self.assertEqual(
            response["Strict-Transport-Security"], "max-age=31536000; includeSubDomains"
        )
        self.assertTrue(response.cookies["csrftoken"]["secure"])
        response = self.client.post(
            "/login/", {"username": "alice@example.org", "password": PASSWORD}, secure=True
        )
        cookie = response.cookies["sessionid"]
        self.assertTrue(cookie["secure"])
        self.assertTrue(cookie["httponly"])

    def test_the_api_docs_work_under_the_same_policy(self) -> None:
        # Swagger UI was checked in Chromium under this policy: its page must keep loading
        # its scripts from files, with its settings in a JSON block that never runs.
        self.client.force_login(self.alice)
        response = self.client.get("/api/docs")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("unsafe-inline", response["Content-Security-Policy"])
        html = response.content.decode()
        scripts = re.findall(r"<script\b[^>]*>", html)
        self.assertTrue(scripts)
        for tag in scripts:
            self.assertTrue("src=" in tag or 'type="application/json"' in tag, tag)
        self.assertIn("swagger-ui-init.js", html)

    def test_my_pages_have_no_inline_script_or_style(self) -> None:
        Invitation.objects.create(
            workspace=self.workspace,
            email="dana@example.org",
            token_hash="0" * 64,
            expires_at="2999-01-01T00:00:00Z",
        )
        token, _ = create_token(self.alice, "k")
        self.client.force_login(self.alice)
        pages = [
            "/w/acme/settings/",
            f"/w/acme/settings/members/{self.member(self.bob).pk}/remove/",
            "/account/api-keys/",
            f"/account/api-keys/{token.pk}/revoke/",
        ]
        anonymous = ["/login/", "/password-reset/", "/password-reset/sent/", "/invitations/x/"]
        for url in pages + anonymous:
            with self.subTest(url=url):
                if url in anonymous:
                    self.client.logout()
                html = self.client.get(url).content.decode()
                self.assertIsNone(re.search(r"<script(?![^>]*\bsrc=)", html))
                self.assertNotIn(" style=", html)
                self.assertNotIn("<style", html)


class CspNonceTestCase(SimpleTestCase):
    def render(self, markup: str) -> tuple[str, str]:
        request = RequestFactory().get("/")
        template = Template("{% load csp %}{{ chart|with_csp_nonce:request }}")

        def view(req: Any) -> HttpResponse:
            return HttpResponse(template.render(Context({"chart": markup, "request": req})))

        response = ContentSecurityPolicyMiddleware(view)(request)
        assert isinstance(response, HttpResponse)
        return response.content.decode(), response["Content-Security-Policy"]

    def test_a_chart_style_gets_the_nonce_the_header_allows(self) -> None:
        html, policy = self.render(mark_safe('<svg><style type="text/css">.a{}</style></svg>'))
        nonce = re.search(r'<style nonce="([\w-]+)"', html)
        assert nonce is not None, html
        self.assertIn(f"style-src 'self' 'nonce-{nonce[1]}'", policy)

    def test_no_nonce_is_offered_when_none_is_used(self) -> None:
        request = RequestFactory().get("/")
        response = ContentSecurityPolicyMiddleware(lambda r: HttpResponse("plain"))(request)
        self.assertIn("style-src 'self';", response["Content-Security-Policy"])


class CsrfTestCase(BaseTestCase):
    """Every form of sign-in, password reset, settings, invitations and API keys needs its token."""

    def setUp(self) -> None:
        self.strict = Client(enforce_csrf_checks=True)

    def test_forms_without_a_token_are_refused(self) -> None:
        invitation = Invitation.objects.create(
            workspace=self.workspace,
            email="dana@example.org",
            token_hash="1" * 64,
            expires_at="2999-01-01T00:00:00Z",
        )
        token, _ = create_token(self.alice, "k")
        bob = self.member(self.bob).pk
        anonymous = {
            "/login/": {"username": "alice@example.org", "password": PASSWORD},
            "/password-reset/": {"email": "alice@example.org"},
            "/invitations/some-token/": {"name": "Dana", "password1": "x", "password2": "x"},
        }
        signed_in = {
            "/w/acme/settings/name/": {"name": "Renamed"},
            "/w/acme/settings/invitations/": {"email": "eve@example.org", "role": "viewer"},
            f"/w/acme/settings/invitations/{invitation.pk}/resend/": {},
            f"/w/acme/settings/invitations/{invitation.pk}/revoke/": {},
            f"/w/acme/settings/members/{bob}/role/": {"role": "viewer"},
            f"/w/acme/settings/members/{bob}/remove/": {},
            "/account/api-keys/": {"name": "new"},
            f"/account/api-keys/{token.pk}/revoke/": {},
            "/logout/": {},
        }
        for url, data in anonymous.items():
            with self.subTest(url=url):
                self.assertEqual(self.strict.post(url, data).status_code, 403)
        self.strict.force_login(self.alice)
        for url, data in signed_in.items():
            with self.subTest(url=url):
                self.assertEqual(self.strict.post(url, data).status_code, 403)
        self.workspace.refresh_from_db()
        self.assertEqual(self.workspace.name, "Acme Product")
        self.assertEqual(self.member(self.bob).role, "editor")
        invitation.refresh_from_db()
        self.assertIsNone(invitation.revoked_at)

    def test_the_same_form_with_its_token_goes_through(self) -> None:
        self.strict.force_login(self.alice)
        page = self.strict.get("/w/acme/settings/")
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
        assert csrf is not None
        response = self.strict.post(
            "/w/acme/settings/name/", {"name": "Renamed", "csrfmiddlewaretoken": csrf[1]}
        )
        self.assertEqual(response.status_code, 302)
        self.workspace.refresh_from_db()
        self.assertEqual(self.workspace.name, "Renamed")
