"""Nobody sees another workspace's data: every workspace route, generated from the URL conf.

For each page and API route that takes a workspace slug, a member of workspace "acme" asks
for objects of workspace "other" — through acme's URLs and through other's — by every
method, and must get 404 (or 405 where the route does not take that method), never the
object, a redirect into it, or a server error. A new route is covered as soon as it exists;
a route whose ids this test cannot make fails with a message saying what to add.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.urls import URLPattern, URLResolver, get_resolver

from problemspace.booking.models import Availability, Booking, Window
from problemspace.briefs.models import Brief, BriefSchedule
from problemspace.customers.models import Account, Contact
from problemspace.evidence.models import Evidence, Tag
from problemspace.evidence.tests.factories import BASE_TIME
from problemspace.hypotheses.models import Experiment, Hypothesis
from problemspace.integrations.models import Delivery, Endpoint
from problemspace.interviews.models import Guide, Interview
from problemspace.jobs.models import Job, Kind
from problemspace.portal.models import Comment, Post, PostStatus
from problemspace.problems.models import Problem
from problemspace.recruiting.models import Campaign, Candidate, ScreenerQuestion
from problemspace.roadmap.models import Goal, Initiative, KeyResult
from problemspace.testing import BaseTestCase
from problemspace.workspaces.models import Invitation, Member, Role, Workspace

PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
METHODS = ["get", "post", "put", "patch", "delete"]
ALLOWED = {404, 405}


def walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name or ""


def workspace_routes() -> list[str]:
    return sorted({route for route, _ in walk(get_resolver().url_patterns) if "<slug" in route})


def _objects(workspace: Workspace) -> dict[str, Callable[[], int]]:
    """The path segment an id follows -> a maker of such an object in `workspace`."""
    serial = iter(range(1, 1_000_000))

    def account() -> int:
        return Account.objects.create(workspace=workspace, name=f"Secret Corp {next(serial)}").pk

    def contact() -> int:
        return Contact.objects.create(
            workspace=workspace, email=f"x{next(serial)}@secret.example"
        ).pk

    def evidence() -> int:
        return Evidence.objects.create(
            workspace=workspace, text="Secret evidence", occurred_at=BASE_TIME
        ).pk

    def problem() -> int:
        return Problem.objects.create(workspace=workspace, title="Secret problem").pk

    def job() -> int:
        return Job.objects.create(workspace=workspace, kind=Kind.SYNTHESIS).pk

    def problem_edit() -> int:
        from problemspace.problems.models import EditKind, ProblemEdit

        return ProblemEdit.objects.create(
            workspace=workspace, kind=EditKind.RENAME, summary="Renamed a secret problem"
        ).pk

    def tag() -> int:
        return Tag.objects.create(workspace=workspace, name=f"secret-{next(serial)}").pk

    def member() -> int:
        email = f"secret{next(serial)}@secret.example"
        user = User.objects.create_user(username=email, email=email)
        return Member.objects.create(workspace=workspace, user=user, role=Role.VIEWER).pk

    def invitation() -> int:
        return Invitation.objects.create(
            workspace=workspace,
            email=f"secret{next(serial)}@secret.example",
            token_hash=f"{next(serial):064d}",
            expires_at=BASE_TIME,
        ).pk

    def hypothesis() -> int:
        return Hypothesis.objects.create(workspace=workspace, statement="Secret belief").pk

    def experiment() -> int:
        made = Hypothesis.objects.create(workspace=workspace, statement="Secret belief")
        return Experiment.objects.create(hypothesis=made, test="Secret test").pk

    def interview() -> int:
        return Interview.objects.create(
            workspace=workspace, goal="Secret interview", scheduled_at=BASE_TIME
        ).pk

    def guide() -> int:
        return Guide.objects.create(workspace=workspace, name=f"Secret guide {next(serial)}").pk

    def campaign() -> int:
        return Campaign.objects.create(workspace=workspace, name="Secret campaign").pk

    def question() -> int:
        made = Campaign.objects.create(workspace=workspace, name="Secret campaign")
        return ScreenerQuestion.objects.create(campaign=made, text="Secret question?").pk

    def candidate() -> int:
        made = Campaign.objects.create(workspace=workspace, name="Secret campaign")
        return Candidate.objects.create(workspace=workspace, campaign=made, contact_id=contact()).pk

    def availability() -> int:
        return Availability.objects.create(
            workspace=workspace, member_id=member(), title="Secret hours"
        ).pk

    def window() -> int:
        return Window.objects.create(
            availability_id=availability(), weekday=0, starts="09:00", ends="10:00"
        ).pk

    def booking() -> int:
        return Booking.objects.create(
            workspace=workspace,
            member_id=member(),
            purpose="office_hours",
            starts_at=BASE_TIME,
            ends_at=BASE_TIME + timedelta(minutes=30),
            booker_name="Secret booker",
            booker_email="secret@secret.example",
        ).pk

    def goal() -> int:
        return Goal.objects.create(workspace=workspace, objective="Secret goal").pk

    def key_result() -> int:
        made = Goal.objects.create(workspace=workspace, objective="Secret goal")
        return KeyResult.objects.create(
            goal=made, metric="Secret metric", baseline=0, target=1, current=0
        ).pk

    def initiative() -> int:
        return Initiative.objects.create(workspace=workspace, title="Secret initiative").pk

    def endpoint() -> int:
        return Endpoint.objects.create(
            workspace=workspace, name="Secret hook", url="https://secret.example/hook"
        ).pk

    def delivery() -> int:
        return Delivery.objects.create(
            workspace=workspace, endpoint_id=endpoint(), event="evidence.added", payload={}
        ).pk

    def portal_post() -> int:
        # Published, so only the workspace boundary hides it. (The public /p/ routes of a
        # workspace whose portal is closed are 404 for everyone; test_submit covers them.)
        return Post.objects.create(
            workspace=workspace, title="Secret post", status=PostStatus.PUBLISHED
        ).pk

    def portal_comment() -> int:
        return Comment.objects.create(post_id=portal_post(), body="Secret comment").pk

    def brief() -> int:
        return Brief.objects.create(
            workspace=workspace,
            audience="executives",
            title="Secret brief",
            period_start=BASE_TIME,
            period_end=BASE_TIME + timedelta(days=7),
            period_label="Secret week",
            content={"title": "Secret brief"},
        ).pk

    def brief_schedule() -> int:
        return BriefSchedule.objects.create(
            workspace=workspace, audience="executives", time_of_day="08:00", emails=["secret@x.io"]
        ).pk

    return {
        "accounts": account,
        "contacts": contact,
        "evidence": evidence,
        "problems": problem,
        "jobs": job,
        "tags": tag,
        "members": member,
        "invitations": invitation,
        "interviews": interview,
        "guides": guide,
        "hypotheses": hypothesis,
        "experiments": experiment,
        "campaigns": campaign,
        "questions": question,
        "candidates": candidate,
        "availability": availability,
        "windows": window,
        "bookings": booking,
        "posts": portal_post,
        "comments": portal_comment,
        "endpoints": endpoint,
        "deliveries": delivery,
        "goals": goal,
        "key-results": key_result,
        "initiatives": initiative,
        "briefs": brief,
        "schedules": brief_schedule,
        "brief-schedules": brief_schedule,
        "problem-edits": problem_edit,
        "history": problem_edit,
    }


class IsolationTestCase(BaseTestCase):
    def fill(self, route: str, slug: str, makers: dict[str, Callable[[], int]]) -> str:
        parts = route.split("/")
        for index, part in enumerate(parts):
            match = PARAM.fullmatch(part)
            if match is None:
                continue
            if match["name"] == "slug":
                parts[index] = slug
                continue
            segment = parts[index - 1] if index else ""
            maker = makers.get(segment)
            if maker is None:
                self.fail(
                    f"{route}: no way to make an object for <{match['name']}> after "
                    f"'{segment}/'; add one to _objects() in {__file__}."
                )
            parts[index] = str(maker())
        return "/" + "/".join(parts)

    def test_every_route_hides_other_workspaces(self) -> None:
        routes = workspace_routes()
        self.assertGreater(len(routes), 10)
        makers = _objects(self.other_workspace)
        headers = self.api_key(self.alice)
        self.client.force_login(self.alice)
        for route in routes:
            needs_ids = len(PARAM.findall(route)) > 1
            slugs = ["other", "acme"] if needs_ids else ["other"]
            for slug in slugs:
                url = self.fill(route, slug, makers)
                for method in METHODS:
                    with self.subTest(url=url, method=method):
                        call = getattr(self.client, method)
                        extra: dict[str, Any] = (
                            {"headers": headers} if url.startswith("/api/") else {}
                        )
                        if method != "get":
                            extra["content_type"] = "application/json"
                            extra["data"] = "{}" if method != "post" else "[]"
                        response = call(url, **extra)
                        self.assertIn(response.status_code, ALLOWED, response.content[:300])
                        self.assertNotIn(b"Secret", response.content)
