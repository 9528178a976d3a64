"""Quick capture: one item typed in, or an email or notes pasted, previewed and saved."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from unittest import mock

from django.test import Client
from django.utils import timezone

from problemspace.customers.models import Account, Contact
from problemspace.evidence.forms import MAX_PASTE_CHARACTERS
from problemspace.evidence.models import Channel, Evidence, Provenance
from problemspace.evidence.tests.factories import make_account
from problemspace.testing import BaseTestCase

NOW = datetime(2025, 3, 15, 12, 0, tzinfo=UTC)

EMAIL = """\
From: Dana Scully <dana@globex.example>
Date: Tue, 4 Mar 2025 10:12:00 +0000
Subject: Month-end export keeps timing out

The export to NetSuite timed out again.

On Mon, 3 Mar 2025 at 09:00, Sam <sam@acme.example> wrote:
> Did the fix help?
--
Dana Scully, Globex
"""

NOTES = """\
Call with Globex:
- Exports time out at month end
- SSO is a must for the security review
- Approvals stall when the approver is away
"""


def item(**fields: object) -> dict[str, object]:
    data: dict[str, object] = {
        "text": "We rebuild the pivot table every Monday.",
        "date": "2025-03-10",
        "channel": "interview",
        "provenance": "first_hand",
    }
    data.update(fields)
    return data


class FrozenTestCase(BaseTestCase):
    """It is always 15 March 2025, noon UTC: "today" and "the future" mean the same in every run."""

    def setUp(self) -> None:
        frozen = mock.patch("django.utils.timezone.now", return_value=NOW)
        frozen.start()
        self.addCleanup(frozen.stop)


class CaptureOneTestCase(FrozenTestCase):
    url = "/w/acme/capture/"

    def test_it_shows_the_form_with_today_as_the_date(self) -> None:
        make_account(self.workspace, "Globex")
        self.client.force_login(self.carol)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'value="2025-03-15"')
        self.assertContains(response, '<datalist id="account-names"><option value="Globex">')
        self.assertContains(response, "What the customer said")

    def test_it_saves_one_item_with_everything_it_was_given(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.post(
            self.url,
            item(
                account="Globex",
                contact_email="Dana@Globex.example",
                contact_name="Dana Scully",
                tags="Reporting, exports",
                source_url="https://gong.example/calls/1",
                channel="sales_call",
            ),
        )
        evidence = Evidence.objects.get()
        self.assertRedirects(
            response, f"{self.url}?saved={evidence.pk}", fetch_redirect_response=False
        )
        self.assertEqual(evidence.text, "We rebuild the pivot table every Monday.")
        self.assertEqual(evidence.channel, Channel.SALES_CALL)
        self.assertEqual(evidence.provenance, Provenance.FIRST_HAND)
        self.assertEqual(evidence.account, Account.objects.get(name="Globex"))
        self.assertEqual(
            evidence.contact,
            Contact.objects.get(email="dana@globex.example", name="Dana Scully"),
        )
        self.assertEqual(evidence.captured_by, self.member(self.carol))
        self.assertEqual(evidence.source_url, "https://gong.example/calls/1")
        self.assertEqual(sorted(t.name for t in evidence.tags.all()), ["exports", "reporting"])
        self.assertEqual(timezone.localtime(evidence.occurred_at).date().isoformat(), "2025-03-10")
        page = self.client.get(response["Location"])
        self.assertContains(page, "Saved 1 item.")
        self.assertContains(page, "Just saved")
        self.assertContains(page, f'href="/w/acme/evidence/{evidence.pk}/"')
        self.assertContains(page, "We rebuild the pivot table every Monday.")

    def test_an_item_said_today_is_dated_now(self) -> None:
        self.client.force_login(self.carol)
        self.client.post(self.url, item(date="2025-03-15"))
        self.assertEqual(Evidence.objects.get().occurred_at, NOW)

    def test_relayed_needs_who_relayed_it(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.post(self.url, item(provenance="relayed", relayed_by=""))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Say who relayed it")
        self.assertContains(response, "We rebuild the pivot table every Monday.")
        self.assertFalse(Evidence.objects.exists())
        self.client.post(self.url, item(provenance="relayed", relayed_by="Sam (Sales)"))
        evidence = Evidence.objects.get()
        self.assertEqual((evidence.provenance, evidence.relayed_by), ("relayed", "Sam (Sales)"))

    def test_first_hand_drops_a_relayed_by_left_in_the_form(self) -> None:
        self.client.force_login(self.carol)
        self.client.post(self.url, item(provenance="first_hand", relayed_by="Sam"))
        self.assertEqual(Evidence.objects.get().relayed_by, "")

    def test_bad_input_is_shown_next_to_the_field_and_kept(self) -> None:
        self.client.force_login(self.carol)
        cases = [
            (item(text="   "), "text", "Write what the customer said"),
            (item(date="31/02/2025"), "date", "Write the date like 2025-03-31."),
            (item(date="2025-04-01"), "date", "That date is in the future"),
            (item(contact_email="dana(at)globex"), "contact_email", "not an email address"),
            (item(source_url="javascript:alert(1)"), "source_url", "https://"),
            (item(channel="carrier pigeon"), "channel", "Select a valid choice"),
            (item(tags="x" * 70), "tags", "too long"),
            (item(text="x" * 20_001), "text", "under 20,000 characters"),
        ]
        for data, field, message in cases:
            with self.subTest(field=field, message=message):
                response = self.client.post(self.url, data)
                self.assertEqual(response.status_code, 200)
                self.assertIn(field, response.context["form"].errors)
                self.assertContains(response, message)
                self.assertContains(response, f'id="id_{field}_error"')
                self.assertContains(response, 'aria-invalid="true"')
        self.assertFalse(Evidence.objects.exists())

    def test_dates_long_ago_are_questioned(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.post(self.url, item(date="1925-03-10"))
        self.assertContains(response, "too long ago")

    def test_what_was_typed_is_kept_after_an_error(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.post(
            self.url, item(account="Initech", contact_email="bad", tags="sso")
        )
        self.assertContains(response, 'value="Initech"')
        self.assertContains(response, 'value="bad"')
        self.assertContains(response, 'value="sso"')
        self.assertContains(response, "We rebuild the pivot table every Monday.</textarea>")

    def test_script_tags_are_stored_as_typed_and_shown_escaped(self) -> None:
        self.client.force_login(self.carol)
        text = "<script>alert('x')</script> exports are slow"
        response = self.client.post(self.url, item(text=text))
        self.assertEqual(Evidence.objects.get().text, text)
        page = self.client.get(response["Location"])
        self.assertContains(page, "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;")
        self.assertNotContains(page, "<script>alert")

    def test_saving_the_same_item_twice_stores_it_once(self) -> None:
        self.client.force_login(self.carol)
        self.client.post(self.url, item())
        response = self.client.post(self.url, item())
        self.assertEqual(Evidence.objects.count(), 1)
        self.assertContains(self.client.get(response["Location"]), "Nothing new")

    def test_the_next_capture_starts_from_the_last_choices(self) -> None:
        self.client.force_login(self.carol)
        self.client.post(self.url, item(channel="support", provenance="relayed", relayed_by="Kim"))
        form = self.client.get(self.url).context["form"]
        self.assertEqual(form.initial["channel"], "support")
        self.assertEqual(form.initial["relayed_by"], "Kim")

    def test_an_existing_account_is_reused_whatever_its_case(self) -> None:
        globex = make_account(self.workspace, "Globex")
        self.client.force_login(self.carol)
        self.client.post(self.url, item(account="GLOBEX"))
        self.assertEqual(Evidence.objects.get().account, globex)
        self.assertEqual(Account.objects.filter(workspace=self.workspace).count(), 1)

    def test_saved_ids_of_another_workspace_show_nothing(self) -> None:
        theirs = Evidence.objects.create(
            workspace=self.other_workspace, text="Their secret", occurred_at=NOW
        )
        self.client.force_login(self.carol)
        response = self.client.get(self.url, {"saved": f"{theirs.pk},abc"})
        self.assertNotContains(response, "Their secret")
        self.assertNotContains(response, "Just saved")

    def test_it_needs_the_contributor_role(self) -> None:
        self.client.force_login(self.vic)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.client.post(self.url, item()).status_code, 403)
        self.assertFalse(Evidence.objects.exists())
        for user in (self.carol, self.bob, self.alice):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, 200)

    def test_it_checks_membership(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.post(self.url, item()).status_code, 404)
        self.assertFalse(Evidence.objects.exists())

    def test_it_requires_sign_in(self) -> None:
        response = self.client.get(self.url)
        self.assertRedirects(response, f"/login/?next={self.url}", fetch_redirect_response=False)

    def test_it_requires_csrf(self) -> None:
        self.client.force_login(self.carol)
        self.client.handler.enforce_csrf_checks = True
        self.assertEqual(self.client.post(self.url, item()).status_code, 403)
        self.assertFalse(Evidence.objects.exists())

    def test_the_nav_links_to_capture_for_contributors_only(self) -> None:
        self.client.force_login(self.carol)
        self.assertContains(self.client.get("/w/acme/inbox/"), 'href="/w/acme/capture/"')
        self.client.force_login(self.vic)
        self.assertNotContains(self.client.get("/w/acme/inbox/"), 'href="/w/acme/capture/"')


def post_paste(client: Client, url: str, text: str, **fields: object) -> Any:
    data: dict[str, object] = {
        "mode": "paste",
        "step": "preview",
        "paste": text,
        "kind": "auto",
        "date": "2025-03-15",
        "channel": "interview",
        "provenance": "first_hand",
    }
    data.update(fields)
    return client.post(url, data)


class CapturePasteTestCase(FrozenTestCase):
    url = "/w/acme/capture/"

    def paste(self, text: str, **fields: object):
        return post_paste(self.client, self.url, text, **fields)

    def save(self, preview, keep: list[int] | None = None, **changes: object):
        """Post the preview back as the browser would, with some items unticked."""
        form = preview.context["form"]
        items = preview.context["items"]
        data: dict[str, object] = {
            name: form.data.get(name, "")
            for name in (
                "paste",
                "kind",
                "sent_at",
                "date",
                "channel",
                "provenance",
                "relayed_by",
                "account",
                "contact_email",
                "contact_name",
                "tags",
            )
        }
        data.update(mode="paste", step="save")
        data["item"] = [i.text for i in items]
        data["heading"] = [i.heading for i in items]
        data["keep"] = [str(n) for n in (keep if keep is not None else range(len(items)))]
        data.update(changes)
        return self.client.post(self.url, data)

    def test_notes_become_several_items_to_preview(self) -> None:
        self.client.force_login(self.carol)
        response = self.paste(NOTES)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            [i.text for i in response.context["items"]],
            [
                "Exports time out at month end",
                "SSO is a must for the security review",
                "Approvals stall when the approver is away",
            ],
        )
        self.assertContains(response, "3 items to save")
        self.assertContains(response, "under “Call with Globex”")
        self.assertFalse(Evidence.objects.exists())

    def test_the_ticked_items_are_saved_together(self) -> None:
        self.client.force_login(self.carol)
        preview = self.paste(NOTES, account="Globex", tags="call")
        response = self.save(preview, keep=[0, 2])
        texts = sorted(Evidence.objects.values_list("text", flat=True))
        self.assertEqual(
            texts,
            ["Approvals stall when the approver is away", "Exports time out at month end"],
        )
        self.assertEqual(set(Evidence.objects.values_list("account__name", flat=True)), {"Globex"})
        self.assertTrue(all(e.tags.filter(name="call").exists() for e in Evidence.objects.all()))
        self.assertIn("mode=paste", response["Location"])
        self.assertContains(self.client.get(response["Location"]), "Saved 2 items.")

    def test_an_edited_item_is_saved_as_edited(self) -> None:
        self.client.force_login(self.carol)
        preview = self.paste("- Exprots are slow")
        self.save(preview, item=["Exports are slow"])
        self.assertEqual(Evidence.objects.get().text, "Exports are slow")

    def test_an_email_fills_sender_date_and_channel(self) -> None:
        self.client.force_login(self.carol)
        preview = self.paste(EMAIL)
        self.assertContains(
            preview, "Read as an email from Dana Scully &lt;dana@globex.example&gt;"
        )
        self.assertEqual(len(preview.context["items"]), 1)
        form = preview.context["form"]
        self.assertEqual(form.data["contact_email"], "dana@globex.example")
        self.assertEqual(form.data["date"], "2025-03-04")
        self.assertEqual(form.data["channel"], "email")
        self.save(preview)
        evidence = Evidence.objects.get()
        self.assertEqual(
            evidence.text,
            "Month-end export keeps timing out\n\nThe export to NetSuite timed out again.",
        )
        self.assertEqual(evidence.occurred_at, datetime(2025, 3, 4, 10, 12, tzinfo=UTC))
        self.assertEqual(evidence.channel, Channel.EMAIL)
        self.assertEqual(
            evidence.contact, Contact.objects.get(email="dana@globex.example", name="Dana Scully")
        )

    def test_a_person_chosen_in_the_form_wins_over_the_email_headers(self) -> None:
        self.client.force_login(self.carol)
        preview = self.paste(EMAIL, contact_email="lee@hooli.example")
        self.assertEqual(preview.context["form"].data["contact_email"], "lee@hooli.example")

    def test_a_forwarded_email_is_relayed_by_whoever_forwarded_it(self) -> None:
        text = (
            "From: Sam Seller <sam@acme.example>\nSubject: Fwd: Audit\n\nFYI\n\n"
            "---------- Forwarded message ---------\nFrom: Rita <rita@initech.example>\n"
            "Date: Wed, Mar 5, 2025 at 3:30 PM\nSubject: Audit\n\nWe need an audit log.\n"
        )
        self.client.force_login(self.carol)
        preview = self.paste(text)
        self.save(preview)
        evidence = Evidence.objects.get()
        self.assertEqual(evidence.provenance, Provenance.RELAYED)
        self.assertEqual(evidence.relayed_by, "Sam Seller <sam@acme.example>")
        self.assertEqual(evidence.contact, Contact.objects.get(email="rita@initech.example"))

    def test_nothing_ticked_saves_nothing(self) -> None:
        self.client.force_login(self.carol)
        response = self.save(self.paste(NOTES), keep=[])
        self.assertContains(response, "Tick at least one item to save.")
        self.assertFalse(Evidence.objects.exists())

    def test_an_emptied_item_is_pointed_at_and_nothing_is_saved(self) -> None:
        self.client.force_login(self.carol)
        preview = self.paste(NOTES)
        response = self.save(preview, item=["One", "  ", "Three"])
        self.assertContains(response, "This item is empty")
        self.assertContains(response, 'id="item-1-error"')
        self.assertFalse(Evidence.objects.exists())

    def test_an_invalid_item_stops_all_of_them(self) -> None:
        self.client.force_login(self.carol)
        preview = self.paste(NOTES)
        response = self.save(preview, item=["One", "x" * 20_001, "Three"])
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "20,000")
        self.assertFalse(Evidence.objects.exists())

    def test_a_bad_shared_field_is_shown_in_the_preview(self) -> None:
        self.client.force_login(self.carol)
        preview = self.paste(NOTES)
        response = self.save(preview, contact_email="not-an-email")
        self.assertContains(response, "not an email address")
        self.assertContains(response, "Exports time out at month end</textarea>")
        self.assertFalse(Evidence.objects.exists())

    def test_an_email_with_only_quoted_text_says_so(self) -> None:
        self.client.force_login(self.carol)
        response = self.paste("From: a@b.example\nSubject: Re: x\n\n> quoted\n> only\n")
        self.assertContains(response, "No text is left to save")

    def test_an_empty_paste_says_so(self) -> None:
        self.client.force_login(self.carol)
        response = self.paste("   \n  ")
        self.assertContains(response, "Paste an email or some notes first.")

    def test_a_10_mb_paste_is_refused_with_a_sentence(self) -> None:
        self.client.force_login(self.carol)
        huge = ("Exports are slow. " * 600_000)[: 10 * 1024 * 1024]
        response = self.paste(huge)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "That paste is 10,485,760 characters long")
        self.assertContains(response, f"at most {MAX_PASTE_CHARACTERS:,}")
        self.assertFalse(Evidence.objects.exists())
        # The page keeps the start of it, not ten megabytes.
        self.assertEqual(response.context["form"]["paste"].value(), huge[:MAX_PASTE_CHARACTERS])
        self.assertLess(len(response.content), 2 * MAX_PASTE_CHARACTERS)

    def test_too_many_items_are_refused(self) -> None:
        self.client.force_login(self.carol)
        response = self.paste("\n".join(f"- point {n}" for n in range(250)))
        self.assertContains(response, "That paste makes 250 items")

    def test_back_to_the_paste_keeps_it(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.post(
            self.url, {"mode": "paste", "step": "edit", "paste": NOTES, "kind": "notes"}
        )
        self.assertContains(response, "Call with Globex:\n- Exports time out")
        self.assertNotIn("items", response.context)

    def test_pasted_markup_is_stored_as_typed_and_escaped_everywhere(self) -> None:
        self.client.force_login(self.carol)
        preview = self.paste("- <script>alert(1)</script> is what they typed")
        self.assertContains(preview, "&lt;script&gt;alert(1)&lt;/script&gt; is what they typed")
        self.assertNotContains(preview, "<script>alert(1)")
        response = self.save(preview)
        self.assertEqual(
            Evidence.objects.get().text, "<script>alert(1)</script> is what they typed"
        )
        self.assertNotContains(self.client.get(response["Location"]), "<script>alert(1)")

    def test_the_paste_is_for_contributors_and_members_only(self) -> None:
        self.client.force_login(self.vic)
        self.assertEqual(self.paste(NOTES).status_code, 403)
        self.client.force_login(self.charlie)
        self.assertEqual(self.paste(NOTES).status_code, 404)


class PastedEmailAccountTestCase(FrozenTestCase):
    """A pasted email's sender points to their company's account; a name like an existing
    account's is questioned before a second one is made."""

    url = "/w/acme/capture/"

    def paste(self, text: str, **fields: object) -> Any:
        return post_paste(self.client, self.url, text, **fields)

    EMAIL = (
        "From: Rick Stone <rick@granitepeak.com>\n"
        "Subject: A few things\n\n"
        "Hi Priya,\n\nWe have two requests:\n\n"
        "1. Approvers need to approve from their phones.\n"
        "2. Please add a read-only role for auditors.\n\nThanks,\nRick\n"
    )

    def test_the_senders_domain_fills_the_account_and_each_request_is_an_item(self) -> None:
        Account.objects.create(workspace=self.workspace, name="Granite Peak Construction")
        self.client.force_login(self.carol)
        preview = self.paste(self.EMAIL, channel="")
        items = [item.text for item in preview.context["items"]]
        assert items == [
            "Approvers need to approve from their phones.",
            "Please add a read-only role for auditors.",
        ]
        assert preview.context["form"].data["account"] == "Granite Peak Construction"
        self.assertNotContains(preview, "is not an account yet")

    def test_a_name_like_an_existing_account_is_questioned(self) -> None:
        Account.objects.create(workspace=self.workspace, name="Granite Peak Construction")
        self.client.force_login(self.carol)
        preview = self.paste(self.EMAIL, account="Granite Peak")
        self.assertContains(preview, "“Granite Peak” is not an account yet: did you mean")
        self.assertContains(preview, "<strong>Granite Peak Construction</strong>")
