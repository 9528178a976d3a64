"""A PM's main flows in the browser, against the real server and its job worker.

The flows share one server and its demo workspace and run in file order: import, then
synthesis over what was imported, then curating the problems it found.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from problemspace.web.tests.browser.conftest import (
    VIEWER_EMAIL,
    Server,
    screenshot,
    sign_in,
)

SLUG = "demo"
TICKETS = (
    "Ticket,Created,Body,Company,Requester email\n"
    "BT-1,2026-11-20,Our controller cannot approve invoices from her phone on site visits.,"
    "Kestrel Bikes,ana@kestrel.example\n"
    'BT-2,2026-11-21,"The month-end export timed out again, third time this quarter.",'
    "Kestrel Bikes,ana@kestrel.example\n"
    "BT-3,2026-11-22,<script>alert('x')</script> Duplicate vendors after every NetSuite sync.,"
    "Juniper & Co. Retail,tom@juniper.example\n"
)
JOB_TIMEOUT = 300_000  # ms: the first synthesis loads the language model


def test_sign_in_lands_on_the_dashboard(page: Page, server: Server) -> None:
    sign_in(page, server)
    expect(page).to_have_url(re.compile(rf"/w/{SLUG}/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, "01-dashboard", phone=True)
    page.get_by_role("link", name="Inbox").first.click()
    expect(page.locator(".quote").first).to_be_visible()
    screenshot(page, "02-inbox", phone=True)


def test_a_wrong_password_is_refused_with_a_message(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/login/")
    page.get_by_label("Email").fill(VIEWER_EMAIL)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".alert")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login/"))


def test_import_a_file_and_watch_it_finish(page: Page, server: Server, tmp_path: Path) -> None:
    sign_in(page, server)
    upload = tmp_path / "helpdesk-export.csv"
    upload.write_text(TICKETS, encoding="utf-8")
    page.goto(f"{server.url}/w/{SLUG}/import/")
    page.get_by_label("File", exact=True).set_input_files(str(upload))
    screenshot(page, "03-import")
    page.get_by_role("button", name="Preview the columns").click()
    # The preview: each column, the field it goes to, its first values; nothing stored yet.
    expect(page).to_have_url(re.compile(rf"/w/{SLUG}/import/preview/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("helpdesk-export.csv")
    expect(page.get_by_label("Body", exact=True)).to_have_value("text")
    expect(page.get_by_label("Created", exact=True)).to_have_value("occurred_at")
    expect(page.get_by_label("Ticket", exact=True)).to_have_value("")
    expect(page.locator(".samples").first).to_contain_text("BT-1")
    page.get_by_label("Ticket", exact=True).select_option("external_id")
    screenshot(page, "03-import-preview", phone=True)
    page.get_by_role("button", name="Import with these columns").click()
    expect(page).to_have_url(re.compile(rf"/w/{SLUG}/jobs/\d+/"))
    expect(page.locator(".job-message")).to_contain_text(
        "Imported 3 new evidence item(s) from helpdesk-export.csv", timeout=120_000
    )
    screenshot(page, "04-import-done")
    page.get_by_role("link", name="Open the inbox").click()
    expect(page).to_have_url(re.compile(rf"/w/{SLUG}/inbox/"))
    # The script in the imported text is shown as text, never run.
    page.goto(f"{server.url}/w/{SLUG}/inbox/?text=alert")
    expect(page.get_by_text("<script>alert('x')</script> Duplicate vendors")).to_be_visible()


def test_synthesize_then_open_a_problem(page: Page, server: Server) -> None:
    sign_in(page, server)
    page.goto(f"{server.url}/w/{SLUG}/problems/")
    page.get_by_role("button", name="Synthesize now").first.click()
    expect(page).to_have_url(re.compile(rf"/w/{SLUG}/jobs/\d+/"))
    expect(page.locator(".job-progress, .job-message").first).to_be_visible()
    screenshot(page, "05-synthesis-running")
    expect(page.locator(".job-message")).to_contain_text("problem(s)", timeout=JOB_TIMEOUT)
    page.get_by_role("link", name="See the problems").click()
    expect(page).to_have_url(re.compile(rf"/w/{SLUG}/problems/$"))
    screenshot(page, "06-problems", phone=True)
    first = page.locator("main h3 a[href*='/problems/']").first
    title = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title.strip()[:20])
    expect(page.get_by_role("heading", name="In their own words")).to_be_visible()
    expect(page.locator("svg.pygal-chart").first).to_be_visible()
    screenshot(page, "07-problem", phone=True)


def test_merge_two_problems(page: Page, demo_problems: Server) -> None:
    server = demo_problems
    sign_in(page, server)
    page.goto(f"{server.url}/w/{SLUG}/problems/")
    links = page.locator("main h3 a[href*='/problems/']")
    count_before = links.count()
    assert count_before >= 2
    # The lowest-ranked problem, but not the SAP connector: test_loudness.py looks for it on
    # the same served demo.
    last = next(n for n in reversed(range(count_before)) if "SAP" not in links.nth(n).inner_text())
    links.nth(last).click()
    merged_title = page.get_by_role("heading", level=1).inner_text()
    page.get_by_text("Merge into another problem").click()
    merge = page.get_by_label("Merge this problem into")
    options = merge.locator("option")
    into = next(
        options.nth(i).get_attribute("value")
        for i in range(options.count())
        if options.nth(i).get_attribute("value")
    )
    merge.select_option(into)
    page.get_by_role("button", name="Merge").click()
    # What will happen is said first; the merge waits for the second click.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Merge “")
    screenshot(page, "merge-confirm")
    page.get_by_role("button", name="Merge").click()
    expect(page.locator(".messages")).to_contain_text("Merged")
    page.goto(f"{server.url}/w/{SLUG}/problems/")
    expect(page.get_by_role("link", name=merged_title, exact=True)).to_have_count(0)

    # Changed their mind: the history of edits takes the merge back.
    page.get_by_role("link", name="History of edits").click()
    latest = page.locator("#latest")
    expect(latest).to_contain_text(f"Merged “{merged_title}”")
    screenshot(page, "history-of-edits")
    latest.get_by_role("button", name="Undo").click()
    expect(page.locator(".messages")).to_contain_text("Undone: Merged")
    expect(page.locator("#latest")).to_contain_text("undone by")
    page.goto(f"{server.url}/w/{SLUG}/problems/")
    expect(page.get_by_role("link", name=merged_title, exact=True)).to_have_count(1)


def test_capture_evidence_by_hand(page: Page, server: Server) -> None:
    sign_in(page, server)
    page.goto(f"{server.url}/w/{SLUG}/capture/")
    page.get_by_label("What the customer said").fill(
        "We still print every invoice to get the CFO's signature."
    )
    page.get_by_label("Account").fill("Kestrel Bikes")
    page.get_by_label("Contact email").fill("ana@kestrel.example")
    screenshot(page, "08-capture", phone=True)
    page.get_by_role("button", name="Save evidence").click()
    expect(page.locator(".messages")).to_be_visible()
    page.goto(f"{server.url}/w/{SLUG}/inbox/?text=signature")
    expect(page.get_by_text("We still print every invoice")).to_be_visible()


def test_search_by_words_and_meaning(page: Page, server: Server) -> None:
    sign_in(page, server)
    page.goto(f"{server.url}/w/{SLUG}/search/")
    page.get_by_label("Look for").fill("approve invoices on a phone")
    page.get_by_label("Look for").press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    expect(page.locator("mark").first).to_be_visible()
    screenshot(page, "09-search", phone=True)


def test_a_viewer_sees_no_curation_controls(page: Page, server: Server) -> None:
    sign_in(page, server, VIEWER_EMAIL)
    page.goto(f"{server.url}/w/{SLUG}/problems/")
    expect(page.get_by_role("button", name="Synthesize now")).to_have_count(0)
    page.goto(f"{server.url}/w/{SLUG}/capture/")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Capture evidence")
