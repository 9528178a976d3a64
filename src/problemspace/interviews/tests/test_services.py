"""Planning and holding interviews, and highlights becoming evidence."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from problemspace.evidence.models import Channel, Evidence, Provenance
from problemspace.evidence.tests.factories import make_account, make_contact
from problemspace.interviews import services
from problemspace.interviews.guides import DEFAULT_GUIDES
from problemspace.interviews.models import Guide, Highlight, Source, Status
from problemspace.interviews.services import HighlightRequest, InterviewError
from problemspace.interviews.tests.helpers import make_interview
from problemspace.jobs.models import Job, Kind
from problemspace.problems.models import Problem
from problemspace.testing import BaseTestCase

NOTES = "Dana: We close the books in a week.\nDana: Line items never match the PO."
BASE = "http://testserver/"


class GuideTestCase(BaseTestCase):
    def test_default_guides_are_seeded_once(self) -> None:
        guides = services.ensure_default_guides(self.workspace)
        self.assertEqual(sorted(g.name for g in guides), sorted(d.name for d in DEFAULT_GUIDES))
        services.ensure_default_guides(self.workspace)
        self.assertEqual(Guide.objects.filter(workspace=self.workspace).count(), 2)
        self.assertFalse(Guide.objects.filter(workspace=self.other_workspace).exists())

    def test_the_problem_guide_asks_about_past_behaviour(self) -> None:
        body = DEFAULT_GUIDES[0].body
        self.assertIn("last time", body)
        self.assertIn("Would you use", body)  # listed under AVOID

    def test_guide_names_are_unique_per_workspace(self) -> None:
        services.ensure_default_guides(self.workspace)
        with self.assertRaisesMessage(InterviewError, "Another guide has that name"):
            services.save_guide(
                self.workspace, None, name="problem interview", kind="problem", body=""
            )


class HighlightTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.account = make_account(self.workspace, "Globex", segment="Mid-market")
        self.dana = make_contact(
            self.workspace, "dana@globex.example", name="Dana", account=self.account
        )
        self.when = timezone.now() - timedelta(days=3)
        self.interview = make_interview(
            self.workspace,
            contacts=[self.dana],
            attendees=[self.member(self.bob)],
            scheduled_at=self.when,
            notes=NOTES,
        )
        self.carol_member = self.member(self.carol)

    def highlight(self, quote: str, **fields: object) -> Highlight:
        start = NOTES.index(quote)
        request = HighlightRequest(
            source=str(fields.pop("source", Source.NOTES)),
            start=start,
            end=start + len(quote),
            **fields,  # type: ignore[arg-type]
        )
        return services.create_highlight(self.carol_member, self.interview, request, base_url=BASE)

    def test_a_highlight_becomes_first_hand_interview_evidence(self) -> None:
        highlight = self.highlight("Line items never match the PO.", tags=["matching"])
        evidence = highlight.evidence
        self.assertEqual(evidence.text, "Line items never match the PO.")
        self.assertEqual(evidence.channel, Channel.INTERVIEW)
        self.assertEqual(evidence.provenance, Provenance.FIRST_HAND)
        self.assertEqual(evidence.contact, self.dana)
        self.assertEqual(evidence.account, self.account)
        self.assertEqual(evidence.captured_by, self.carol_member)
        self.assertEqual(evidence.occurred_at, self.when)
        self.assertEqual([t.name for t in evidence.tags.all()], ["matching"])
        self.assertEqual(
            evidence.source_url,
            f"http://testserver/w/acme/interviews/{self.interview.pk}/#highlight-{highlight.pk}",
        )
        self.assertEqual(NOTES[highlight.start : highlight.end], evidence.text)

    def test_a_contact_without_email_is_still_attributed(self) -> None:
        nameless = make_contact(self.workspace, None, name="Ola", account=self.account)  # type: ignore[arg-type]
        self.interview.contacts.add(nameless)
        highlight = self.highlight("We close the books in a week.", contact=nameless)
        self.assertEqual(highlight.evidence.contact, nameless)
        self.assertEqual(highlight.evidence.account, self.account)

    def test_with_several_contacts_the_speaker_must_be_chosen(self) -> None:
        self.interview.contacts.add(make_contact(self.workspace, "sam@globex.example"))
        with self.assertRaisesMessage(InterviewError, "Choose which of the contacts said it"):
            self.highlight("We close the books in a week.")
        self.assertFalse(Evidence.objects.exists())

    def test_the_speaker_must_be_one_of_the_interview_contacts(self) -> None:
        stranger = make_contact(self.workspace, "x@elsewhere.example")
        with self.assertRaisesMessage(InterviewError, "among the interview's contacts"):
            self.highlight("We close the books in a week.", contact=stranger)

    def test_the_same_quote_twice_is_refused_and_nothing_is_added(self) -> None:
        self.highlight("We close the books in a week.")
        with self.assertRaisesMessage(InterviewError, "highlighted already"):
            self.highlight("We close the books in a week.")
        self.assertEqual(Evidence.objects.count(), 1)

    def test_a_planned_interview_cannot_be_highlighted(self) -> None:
        self.interview.status = Status.PLANNED
        self.interview.save()
        with self.assertRaisesMessage(InterviewError, "Mark the interview held"):
            self.highlight("We close the books in a week.")

    def test_offsets_out_of_range_are_refused(self) -> None:
        request = HighlightRequest(source=Source.NOTES, start=5, end=len(NOTES) + 10)
        with self.assertRaisesMessage(InterviewError, "outside the text"):
            services.create_highlight(self.carol_member, self.interview, request, base_url=BASE)
        self.assertFalse(Evidence.objects.exists())

    def test_editing_the_notes_moves_highlights_with_their_quote(self) -> None:
        highlight = self.highlight("Line items never match the PO.")
        services.save_notes(self.interview, "Intro.\r\n" + NOTES)
        highlight.refresh_from_db()
        self.interview.refresh_from_db()
        self.assertEqual(self.interview.notes, "Intro.\n" + NOTES)
        self.assertEqual(
            self.interview.notes[highlight.start : highlight.end], "Line items never match the PO."
        )

    def test_new_evidence_is_placed_by_an_incremental_synthesis_once_problems_exist(self) -> None:
        self.highlight("We close the books in a week.")
        self.assertFalse(Job.objects.exists())  # no problems yet: the PM runs the first one
        Problem.objects.create(workspace=self.workspace, title="Month-end close is slow")
        with self.captureOnCommitCallbacks():
            self.highlight("Line items never match the PO.")
        job = Job.objects.get()
        self.assertEqual((job.kind, job.params["full"]), (Kind.SYNTHESIS, False))
        self.highlight("Dana: We close")  # a queued job picks this one up too
        self.assertEqual(Job.objects.count(), 1)


class StatusTestCase(BaseTestCase):
    def test_an_interview_in_the_future_cannot_be_marked_held(self) -> None:
        interview = make_interview(
            self.workspace, status=Status.PLANNED, scheduled_at=timezone.now() + timedelta(days=2)
        )
        with self.assertRaisesMessage(InterviewError, "scheduled in the future"):
            services.set_status(interview, Status.HELD)


class HighlightReachesItsProblemTestCase(BaseTestCase):
    """A quote highlighted in an interview joins the problem it speaks of, by meaning."""

    def test_the_queued_synthesis_places_the_quote_on_the_right_problem(self) -> None:
        from problemspace.jobs.tasks import run_job
        from problemspace.problems.models import ProblemEvidence
        from problemspace.problems.services import synthesize_workspace
        from problemspace.problems.tests.helpers import embedder, load_bias_scenario
        from problemspace.synthesis.embedding import HashingEmbedder

        model = embedder()
        if isinstance(model, HashingEmbedder):
            self.skipTest("placing by meaning needs the sentence-embedding model (CI has it)")
        _, broad = load_bias_scenario(self.workspace)
        synthesize_workspace(self.workspace, embedder=model)
        export_problem = ProblemEvidence.objects.get(evidence_id=min(broad)).problem
        account = make_account(self.workspace, "Initech", segment="Mid-market")
        contact = make_contact(self.workspace, "pat@initech.example", name="Pat", account=account)
        said = "Pat: Every month end the export to our ledger times out and we re-key it."
        interview = make_interview(
            self.workspace,
            contacts=[contact],
            attendees=[self.member(self.bob)],
            scheduled_at=timezone.now() - timedelta(days=1),
            notes=said,
        )
        quote = "Every month end the export to our ledger times out"
        start = said.index(quote)
        with self.captureOnCommitCallbacks():
            highlight = services.create_highlight(
                self.member(self.carol),
                interview,
                HighlightRequest(source=Source.NOTES, start=start, end=start + len(quote)),
                base_url=BASE,
            )
        self.assertTrue(run_job(Job.objects.get(kind=Kind.SYNTHESIS).pk))

        placed = ProblemEvidence.objects.get(evidence=highlight.evidence)
        self.assertEqual(placed.problem_id, export_problem.pk, export_problem.title)
