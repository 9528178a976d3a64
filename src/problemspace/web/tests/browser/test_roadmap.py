"""The roadmap in the browser: the demo's now/next/later board, an initiative's page, and the
two clicks from a roadmap card down to what a customer said; then a move with its reason and a
score set by hand refused without one."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from problemspace.web.tests.browser.conftest import VIEWER_EMAIL, Server, screenshot, sign_in

SLUG = "demo"


@pytest.fixture(scope="module", autouse=True)
def synthesized(server: Server) -> None:
    """The demo's problems, which the roadmap's initiatives are tied to when synthesis ends.

    The served demo is built without synthesis, which the flows test runs from the web; run
    alone, this file runs it first, as `problemspace demo` would have.
    """
    listed = server.cli("problems", "-w", SLUG, "--format", "json")
    if not json.loads(listed.stdout):
        server.cli("synthesize", "-w", SLUG)


def test_from_the_board_down_to_a_customer_quote(page: Page, server: Server) -> None:
    sign_in(page, server, VIEWER_EMAIL)
    page.get_by_role("link", name="Roadmap", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/w/{SLUG}/roadmap/$"))
    expect(page.locator(".column-now")).to_contain_text("Approve invoices from a phone")
    expect(page.locator(".column-later")).to_contain_text("Peppol e-invoicing")
    # A viewer reads; nothing to move.
    expect(page.get_by_text("New initiative")).to_have_count(0)
    screenshot(page, "roadmap-board", phone=True)

    page.get_by_role("link", name="Approve invoices from a phone").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Approve invoices from a phone")
    expect(page.locator(".score-why")).to_contain_text(re.compile(r"customers? in 90 days"))
    expect(page.locator(".history")).to_contain_text("five of six approvers")
    # Why: the problem it solves, with what its customers said.
    quote = page.locator(".why-problem article.quote").first
    expect(quote).to_be_visible()
    said = quote.locator(".quote-text").inner_text().strip()
    screenshot(page, "roadmap-initiative", phone=True)

    quote.locator("a.quote-open").click()
    expect(page).to_have_url(re.compile(rf"/w/{SLUG}/evidence/\d+/$"))
    expect(page.locator("main")).to_contain_text(said[:60].rstrip("…"))
    screenshot(page, "roadmap-quote")


def test_goals_show_progress_and_the_goal_nothing_serves(page: Page, server: Server) -> None:
    sign_in(page, server, VIEWER_EMAIL)
    page.goto(f"{server.url}/w/{SLUG}/roadmap/goals/")
    expect(page.locator(".unserved")).to_contain_text("Be audit-ready for enterprise customers")
    expect(page.get_by_text("No key results yet — not measurable")).to_be_visible()
    expect(page.locator("progress").first).to_be_visible()
    screenshot(page, "roadmap-goals", phone=True)


def test_move_with_a_reason_and_an_override_needs_one(page: Page, server: Server) -> None:
    sign_in(page, server)
    page.goto(f"{server.url}/w/{SLUG}/roadmap/")
    card = page.locator("article", has_text="Read invoice line items")
    card.locator("summary").click()
    card.get_by_label("Horizon").select_option("now")
    card.get_by_label("Status").select_option("planned")
    card.get_by_label("Reason").fill("The OCR vendor's table model is <b>ready</b>.")
    card.get_by_role("button", name=re.compile("^Move")).click()
    expect(page.locator(".messages")).to_contain_text("Moved: Next → Now")
    expect(page.locator(".column-now")).to_contain_text("Read invoice line items")
    page.locator(".column-now").get_by_role(
        "link", name=re.compile("Read invoice line items")
    ).click()
    expect(page.locator(".history")).to_contain_text(
        "The OCR vendor's table model is <b>ready</b>."
    )

    page.get_by_role("link", name="Edit the initiative").click()
    page.get_by_label(re.compile("^Score set by hand")).fill("75")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_override_reason_error")).to_contain_text("Say why the score is set")
    expect(page.get_by_label(re.compile("^Score set by hand"))).to_have_value("75")
    screenshot(page, "roadmap-override-refused")
    page.get_by_label("Reason for the score set by hand").fill("Unblocks the Q1 pilot.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".override-note")).to_contain_text("Unblocks the Q1 pilot.")
