from __future__ import annotations

from datetime import timedelta
from typing import Any

from problemspace.customers.models import Account
from problemspace.evidence.models import Evidence, Provenance
from problemspace.evidence.tests.factories import BASE_TIME, make_account, make_evidence
from problemspace.problems.models import Problem, ProblemEvidence, Status
from problemspace.testing import BaseTestCase


class AccountProblemsTestCase(BaseTestCase):
    """The account page answers "what does Globex struggle with": its problems, with counts."""

    globex: Account
    initech: Account
    url: str

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.globex = make_account(cls.workspace, "Globex", segment="Enterprise")
        cls.initech = make_account(cls.workspace, "Initech")
        cls.url = f"/w/acme/accounts/{cls.globex.pk}/"

    def problem(self, title: str, score: float = 0.5, **fields: object) -> Problem:
        return Problem.objects.create(workspace=self.workspace, title=title, score=score, **fields)

    def link(self, problem: Problem, account: Account, n: int, **fields: Any) -> list[Evidence]:
        made = []
        for i in range(n):
            said = make_evidence(
                self.workspace,
                account=account,
                occurred_at=BASE_TIME - timedelta(days=i),
                **fields,
            )
            ProblemEvidence.objects.create(problem=problem, evidence=said)
            made.append(said)
        return made

    def test_it_lists_the_accounts_problems_with_counts(self) -> None:
        exports = self.problem("Month-end export is slow", 0.4, status=Status.VALIDATED)
        sso = self.problem("No SSO", 0.9)
        self.link(exports, self.globex, 3)
        self.link(exports, self.globex, 1, provenance=Provenance.RELAYED, relayed_by="Sam")
        self.link(sso, self.globex, 1)
        # Initech's evidence in the same problem is not Globex's.
        self.link(sso, self.initech, 5)
        make_evidence(self.workspace, account=self.globex)  # in no problem
        self.client.force_login(self.vic)
        response = self.client.get(self.url)
        self.assertContains(response, "What Globex struggles with")
        self.assertEqual(
            [(p.title, p.items, p.first_hand) for p in response.context["problems"]],
            [("Month-end export is slow", 4, 3), ("No SSO", 1, 1)],
        )
        self.assertContains(response, "4 items, 3 first-hand")
        self.assertContains(response, "Validated")
        self.assertContains(response, f'href="/w/acme/problems/{sso.pk}/"')
        self.assertEqual(response.context["problems"][0].last_heard, BASE_TIME)

    def test_ties_go_to_the_higher_ranked_problem(self) -> None:
        low = self.problem("Low", 0.1)
        high = self.problem("High", 0.9)
        self.link(low, self.globex, 2)
        self.link(high, self.globex, 2)
        self.client.force_login(self.alice)
        titles = [p.title for p in self.client.get(self.url).context["problems"]]
        self.assertEqual(titles, ["High", "Low"])

    def test_dismissed_problems_are_left_out_and_candidates_marked(self) -> None:
        self.link(self.problem("Not a problem", dismissed=True), self.globex, 2)
        self.link(self.problem("Maybe a problem", candidate=True), self.globex, 1)
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertNotContains(response, "Not a problem")
        self.assertContains(response, "Maybe a problem")
        self.assertContains(response, '<span class="chip">Candidate</span>', html=True)

    def test_an_account_in_no_problem_says_why(self) -> None:
        make_evidence(self.workspace, account=self.globex)
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, "None of what Globex said is in a problem yet")

    def test_its_query_count_does_not_grow_with_the_problems(self) -> None:
        self.link(self.problem("One"), self.globex, 2)
        self.client.force_login(self.alice)
        # session, user, member, account, evidence page, tags, contacts, totals, problems, and
        # the accounts this one may be (an owner may merge)
        with self.assertNumQueries(10):
            self.client.get(self.url)
        for n in range(10):
            self.link(self.problem(f"P{n}"), self.globex, 1)
        with self.assertNumQueries(10):
            self.client.get(self.url)

    def test_problem_titles_are_escaped(self) -> None:
        self.link(self.problem("<script>alert(1)</script>"), self.globex, 1)
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertNotContains(response, "<script>alert(1)")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")

    def test_another_workspaces_problems_never_show(self) -> None:
        theirs = Problem.objects.create(workspace=self.other_workspace, title="Secret problem")
        umbrella = make_account(self.other_workspace, "Umbrella")
        said = make_evidence(self.other_workspace, account=umbrella)
        ProblemEvidence.objects.create(problem=theirs, evidence=said)
        self.client.force_login(self.alice)
        self.assertNotContains(self.client.get(self.url), "Secret problem")
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
