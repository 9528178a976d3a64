"""The one place that answers "may this user see this?"."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from problemspace.evidence.tests.factories import make_account, make_evidence
from problemspace.testing import BaseTestCase
from problemspace.workspaces.access import (
    get_account_for_member,
    get_evidence_for_member,
    get_member,
)
from problemspace.workspaces.models import Role


class AccessTestCase(BaseTestCase):
    def request(self, user):
        request = RequestFactory().get("/")
        request.user = user
        return request

    def test_get_member_returns_the_membership(self) -> None:
        member = get_member(self.request(self.bob), "acme")
        self.assertEqual(member.user, self.bob)
        self.assertEqual(member.workspace, self.workspace)
        self.assertEqual(member.role, Role.EDITOR)

    def test_get_member_hides_workspaces_of_others(self) -> None:
        with self.assertRaises(Http404):
            get_member(self.request(self.charlie), "acme")
        with self.assertRaises(Http404):
            get_member(self.request(self.alice), "no-such-workspace")

    def test_get_member_refuses_too_low_a_role(self) -> None:
        with self.assertRaises(PermissionDenied):
            get_member(self.request(self.vic), "acme", role=Role.CONTRIBUTOR)
        with self.assertRaises(PermissionDenied):
            get_member(self.request(self.bob), "acme", role=Role.OWNER)
        self.assertEqual(
            get_member(self.request(self.carol), "acme", Role.CONTRIBUTOR).user, self.carol
        )
        self.assertEqual(get_member(self.request(self.alice), "acme", Role.OWNER).user, self.alice)

    def test_objects_are_found_only_in_the_members_workspace(self) -> None:
        ours = make_evidence(self.workspace)
        account = make_account(self.workspace, "Globex")
        alice = get_member(self.request(self.alice), "acme")
        charlie = get_member(self.request(self.charlie), "other")
        self.assertEqual(get_evidence_for_member(alice, ours.pk), ours)
        self.assertEqual(get_account_for_member(alice, account.pk), account)
        with self.assertRaises(Http404):
            get_evidence_for_member(charlie, ours.pk)
        with self.assertRaises(Http404):
            get_account_for_member(charlie, account.pk)
