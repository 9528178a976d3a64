"""Briefs in the browser: the PM makes an executive brief of the demo, reads it, follows a
customer's quote to its evidence, and downloads the PDF."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from problemspace.web.tests.browser.conftest import VIEWER_EMAIL, Server, screenshot, sign_in

SLUG = "demo"


@pytest.fixture(scope="module", autouse=True)
def synthesized(server: Server) -> None:
    """The demo's problems, which a brief is made of (run alone, this file synthesizes)."""
    listed = server.cli("problems", "-w", SLUG, "--format", "json")
    if not json.loads(listed.stdout):
        server.cli("synthesize", "-w", SLUG)


def test_an_executive_brief_down_to_a_customer_quote(page: Page, server: Server) -> None:
    sign_in(page, server)
    page.get_by_role("link", name="Briefs", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/w/{SLUG}/briefs/$"))
    expect(page.locator("#schedules")).to_contain_text("Every Monday at 08:00")

    page.get_by_role("link", name="New brief").click()
    page.get_by_role("radio", name=re.compile(r"Executives —")).check()
    page.get_by_label("Period", exact=True).select_option("30")
    screenshot(page, "brief-new", phone=True)
    page.get_by_role("button", name="Make the brief").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Executive brief:")
    expect(
        page.get_by_role("heading", name="Top problems by reach and revenue at stake")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="The bets, and the goals they serve")).to_be_visible()
    expect(page.locator(".brief-goals")).to_contain_text("No initiative serves this goal.")
    quote = page.locator(".brief-problems .brief-quote").first
    said = quote.locator(".brief-said").inner_text().strip().strip("“”")
    screenshot(page, "brief-executive", phone=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename.startswith("executives-brief-")
    pdf = download.value.path()
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF-")

    quote.get_by_role("link", name="see the evidence").click()
    expect(page).to_have_url(re.compile(rf"/w/{SLUG}/evidence/\d+/$"))
    expect(page.locator("main")).to_contain_text(said[:60].rstrip("…"))
    screenshot(page, "brief-quote-evidence")


def test_a_viewer_reads_briefs_and_makes_none(page: Page, server: Server) -> None:
    sign_in(page, server, VIEWER_EMAIL)
    page.goto(f"{server.url}/w/{SLUG}/briefs/")
    expect(page.get_by_role("link", name="New brief")).to_have_count(0)
    page.locator(".brief-row-title").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("brief")
    expect(page.get_by_role("button", name="Post to chat")).to_have_count(0)
