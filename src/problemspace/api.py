"""The JSON API: one NinjaAPI, a Router per domain app, authentication on every route.

A request is authenticated by an API key (`Authorization: Bearer ps_...`, made on the API
keys page, /account/api-keys/) or by the browser session (with its CSRF token on writes). Each
route then goes through the same workspace getters as the pages, so a role too low gives 403
and another workspace's object 404. The OpenAPI document is at /api/openapi.json and the
interactive docs at /api/docs, both generated from the routes.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import HttpBearer, SessionAuth

from problemspace import __version__
from problemspace.workspaces.tokens import user_for_key


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_key(token)
        if user is not None:
            # The workspace getters read request.user, as they do for pages.
            request.user = user
        return user


api = NinjaAPI(
    title="problemspace API",
    version=__version__,
    description=(
        "Evidence, customer problems, accounts and background jobs of the workspaces you belong "
        "to, with the rights of your role in each. Authenticate with an API key made on your "
        "API keys page (/account/api-keys/): `Authorization: Bearer ps_...`."
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(exc) or "Your role does not allow this."}, status=403
    )


def _register_routers() -> None:
    # Imported here: each app's api module imports its models, which need the app registry.
    from problemspace.booking.api import router as booking_router
    from problemspace.briefs.api import router as briefs_router
    from problemspace.customers.api import router as customers_router
    from problemspace.evidence.api import router as evidence_router
    from problemspace.hypotheses.api import router as hypotheses_router
    from problemspace.integrations.api import router as integrations_router
    from problemspace.interviews.api import router as interviews_router
    from problemspace.jobs.api import router as jobs_router
    from problemspace.portal.api import router as portal_router
    from problemspace.problems.api import router as problems_router
    from problemspace.recruiting.api import router as recruiting_router
    from problemspace.roadmap.api import router as roadmap_router
    from problemspace.workspaces.api import router as workspaces_router

    # Each operation spells out its whole path (/w/{slug}/...): ninja reads path parameters
    # from the operation's path, not from a router's prefix.
    api.add_router("/", evidence_router, tags=["evidence"])
    api.add_router("/", customers_router, tags=["customers"])
    api.add_router("/", jobs_router, tags=["jobs"])
    api.add_router("/", problems_router, tags=["problems"])
    api.add_router("/", interviews_router, tags=["interviews"])
    api.add_router("/", hypotheses_router, tags=["assumptions"])
    api.add_router("/", roadmap_router, tags=["roadmap"])
    api.add_router("/", briefs_router, tags=["briefs"])
    api.add_router("/", recruiting_router, tags=["recruiting"])
    api.add_router("/", booking_router, tags=["booking"])
    api.add_router("/", portal_router, tags=["portal"])
    api.add_router("/", workspaces_router, tags=["members"])
    api.add_router("/", integrations_router, tags=["webhooks"])


_register_routers()
