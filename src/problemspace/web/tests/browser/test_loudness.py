"""Loud or wide in the browser: on the demo, the SAP connector (many items from two accounts,
mostly relayed by sales) stands out as loud and narrow, not as a problem many customers have."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from problemspace.web.tests.browser.conftest import Server, screenshot, sign_in


def test_the_sap_connector_shows_as_loud_and_narrow(page: Page, demo_problems: Server) -> None:
    sign_in(page, demo_problems)
    page.get_by_role("link", name="Loud or wide?").click()
    expect(page).to_have_url(re.compile(r"/w/demo/loud-or-wide/$"))
    expect(page.get_by_role("heading", name="Loud or wide", level=1)).to_be_visible()

    sap = page.locator("tr", has_text="SAP")
    expect(sap).to_have_count(1)
    expect(sap).to_have_attribute("data-verdict", "loud")
    expect(sap).to_contain_text("Loud, narrow")
    expect(sap).to_contain_text("Mostly relayed")
    expect(page.locator(".loud-list")).to_contain_text("SAP")
    # The problems most customers have are wide, and the chart is drawn.
    expect(page.locator('tr[data-verdict="wide"]').first).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Items against accounts"))).to_be_visible()
    screenshot(page, "loud-or-wide")
