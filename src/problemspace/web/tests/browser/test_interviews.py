"""Interviews in the browser: plan one, hold it, take notes, select a quote, find it as
evidence; and the team's time with customers from the demo's interviews."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from playwright.sync_api import Page, expect

from problemspace.web.tests.browser.conftest import Server, screenshot, sign_in

SLUG = "demo"
NOTES = (
    "Context: AP clerk at a wholesaler.\n"
    "Last Friday she keyed 40 invoices by hand.\n"
    "We keep a second spreadsheet because the approval status is never up to date.\n"
    "[She showed the spreadsheet.]"
)
QUOTE = "We keep a second spreadsheet because the approval status is never up to date."


def _select(page: Page, selector: str, text: str) -> None:
    """Select `text` inside the element, as a person dragging the mouse over it would."""
    page.eval_on_selector(
        selector,
        """(element, text) => {
            const node = element.firstChild;
            const start = node.textContent.indexOf(text);
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, start + text.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            element.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
        }""",
        text,
    )


def test_plan_hold_and_highlight_a_quote_into_evidence(page: Page, server: Server) -> None:
    sign_in(page, server)
    page.get_by_role("link", name="Interviews", exact=True).first.click()
    expect(page.get_by_role("heading", name="Held")).to_be_visible()
    screenshot(page, "20-interviews", phone=True)
    page.get_by_role("link", name="Plan an interview").click()
    page.get_by_label("Goal").fill("How does the AP team track approvals?")
    yesterday = datetime.now() - timedelta(days=1)
    page.get_by_label("When").fill(yesterday.strftime("%Y-%m-%dT10:00"))
    page.get_by_label("Minutes").fill("50")
    page.get_by_label("Customers").select_option(index=0)
    screenshot(page, "21-interview-plan")
    page.get_by_role("button", name="Plan the interview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "How does the AP team track approvals?"
    )
    expect(page.locator(".guide-body")).to_contain_text("Tell me about the last time")

    page.get_by_role("textbox", name=re.compile("^Notes")).fill(NOTES)
    page.get_by_role("button", name="Save the notes").click()
    page.get_by_role("button", name="Mark held").click()
    expect(page.locator(".interview-status")).to_contain_text("Held")
    # The page's script listens for the selection once the page has loaded; on a busy machine
    # the status can show before that.
    page.wait_for_load_state("load")

    _select(page, "#notes-text", QUOTE)
    expect(page.get_by_role("textbox", name=re.compile("^Quote"))).to_have_value(QUOTE)
    page.get_by_label("Tags").fill("approvals, spreadsheets")
    page.get_by_role("button", name="Save as evidence").click()
    expect(page).to_have_url(re.compile(r"#highlight-\d+$"))
    expect(page.locator("mark.highlight")).to_have_text(QUOTE)
    screenshot(page, "22-interview-highlighted", phone=True)

    page.get_by_role("link", name=re.compile(r"Evidence #\d+")).last.click()
    expect(page.locator(".evidence-text")).to_have_text(QUOTE)
    expect(page.locator(".facts")).to_contain_text("Interview")
    expect(page.locator(".facts")).to_contain_text("First-hand")
    link = page.locator(".facts a[href*='#highlight-']")
    link.click()
    expect(page.locator("mark.highlight:target")).to_have_text(QUOTE)


def test_the_team_sees_its_time_with_customers(page: Page, server: Server) -> None:
    sign_in(page, server)
    page.goto(f"{server.url}/w/{SLUG}/interviews/exposure/")
    expect(page.locator(".exposure-under").first).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Priya Raman"))).to_contain_text("on track")
    screenshot(page, "23-exposure", phone=True)
    page.get_by_role("button", name="Email me a nudge").click()
    expect(page.get_by_role("button", name="Stop the emails")).to_be_visible()
