"""Assumptions in the browser: the map and board of the demo, then an experiment planned and
its result recorded, which moves the assumption to its column on the board."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from problemspace.web.tests.browser.conftest import VIEWER_EMAIL, Server, screenshot, sign_in

SLUG = "demo"


def test_the_map_and_the_board_of_the_demo(page: Page, server: Server) -> None:
    sign_in(page, server)
    page.get_by_role("link", name="Assumptions", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/w/{SLUG}/assumptions/$"))
    test_first = page.locator(".quadrant-test-first")
    expect(test_first).to_contain_text("OCR vendor")
    screenshot(page, "30-assumption-map", phone=True)
    page.get_by_role("link", name="Board", exact=True).click()
    expect(page.locator(".column-validated")).to_contain_text("approve invoices away")
    expect(page.locator(".column-invalidated")).to_contain_text("SAP S/4HANA connector")
    screenshot(page, "31-assumption-board", phone=True)
    page.locator(".column-invalidated").get_by_role("link").first.click()
    expect(page.get_by_role("heading", name=re.compile("Learning card"))).to_be_visible()
    expect(page.get_by_text("We observed…").first).to_be_visible()
    screenshot(page, "32-assumption-killed", phone=True)


def test_record_a_result_and_see_the_assumption_move_on_the_board(
    page: Page, server: Server
) -> None:
    sign_in(page, server)
    page.goto(f"{server.url}/w/{SLUG}/assumptions/board/")
    untested = page.locator(".column-untested")
    untested.get_by_role("link", name=re.compile("Peppol e-invoicing")).click()
    page.get_by_role("link", name="Plan an experiment").click()
    page.get_by_label("To verify that, we will…").fill(
        "Put an e-invoicing line in five EMEA proposals <script>alert('x')</script>."
    )
    page.get_by_label("And measure…").fill("Deals that name e-invoicing as a reason to buy.")
    page.get_by_label("We are right if…").fill("Three of the five deals do.")
    page.get_by_role("button", name="Add the test card").click()
    expect(page.locator(".messages")).to_contain_text("Test card added")
    expect(page.get_by_text("<script>alert('x')</script>", exact=False)).to_be_visible()
    page.get_by_role("button", name="Start this experiment").click()
    expect(page.locator(".status-chip")).to_have_text("Testing")

    page.get_by_role("link", name="Record the result").click()
    page.get_by_label("Invalidated").check()
    page.get_by_role("button", name="Record the learning card").click()
    # Nothing observed: the form says so next to the field and keeps the choice.
    expect(page.locator("#id_observation_error")).to_contain_text("Write what you observed")
    expect(page.get_by_label("Invalidated")).to_be_checked()
    screenshot(page, "33-record-result-mistake")

    page.get_by_label("We observed…").fill("One of five deals mentioned e-invoicing.")
    page.get_by_label("From that we learned…").fill("It matters in Germany, not elsewhere yet.")
    page.get_by_label("Therefore, we will…").fill("Revisit when the Belgian mandate starts.")
    page.get_by_role("button", name="Record the learning card").click()
    expect(page.locator(".messages")).to_contain_text("the assumption is invalidated")
    expect(page.locator(".status-chip")).to_have_text("Invalidated")
    screenshot(page, "34-learning-card", phone=True)

    page.goto(f"{server.url}/w/{SLUG}/assumptions/board/")
    expect(page.locator(".column-invalidated")).to_contain_text("Peppol e-invoicing")
    expect(page.locator(".column-untested")).not_to_contain_text("Peppol e-invoicing")


def test_move_a_card_with_the_board_buttons(page: Page, server: Server) -> None:
    sign_in(page, server)
    page.goto(f"{server.url}/w/{SLUG}/assumptions/board/")
    card = page.locator("article", has_text="client switcher")
    card.get_by_role("button", name=re.compile("Move to testing")).click()
    expect(page.locator(".column-testing")).to_contain_text("client switcher")
    moved = page.locator(".column-testing article", has_text="client switcher")
    moved.get_by_role("button", name=re.compile("Move to validated")).click()
    expect(page.locator(".column-validated")).to_contain_text("client switcher")


def test_a_viewer_reads_the_board_without_buttons(page: Page, server: Server) -> None:
    sign_in(page, server, VIEWER_EMAIL)
    page.goto(f"{server.url}/w/{SLUG}/assumptions/board/")
    expect(page.locator(".board")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Move to"))).to_have_count(0)
    expect(page.get_by_role("link", name="New assumption")).to_have_count(0)
