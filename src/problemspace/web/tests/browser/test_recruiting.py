"""Recruiting in the browser: the PM shares the demo campaign's sign-up link; a customer with no
account answers the screener, is sent to the booking page, books a slot, and the calendar
invite arrives on the real SMTP server the served process sends to."""

from __future__ import annotations

import time
from email.message import EmailMessage
from urllib.parse import urlsplit

from icalendar import Calendar
from playwright.sync_api import Browser, Page, expect

from problemspace.web.tests.browser.conftest import Server, screenshot, sign_in

SLUG = "demo"
CUSTOMER = "robin.browser@northwind.example"


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _wait_for(server: Server, to: str, subject_start: str) -> EmailMessage:
    assert server.smtp is not None
    for _ in range(100):
        for message in list(server.smtp.messages):
            if message["To"] == to and str(message["Subject"]).startswith(subject_start):
                return message
        time.sleep(0.1)
    subjects = [(m["To"], m["Subject"]) for m in server.smtp.messages]
    raise AssertionError(f"No {subject_start!r} email to {to}; received: {subjects}")


def test_a_customer_signs_up_books_and_gets_the_invite(
    page: Page, browser: Browser, server: Server
) -> None:
    sign_in(page, server)
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Recruiting").click()
    expect(page.get_by_role("heading", name="Recruiting", exact=True)).to_be_visible()
    page.get_by_role("link", name="Month-end close: problem interviews").click()
    expect(page.get_by_role("heading", name="Quotas")).to_be_visible()
    screenshot(page, "recruiting-campaign", phone=True)
    signup_url = page.locator("#signup-link").input_value()
    assert "/r/" in signup_url

    # The customer: a fresh browser with no session, as from a link posted anywhere.
    customer = browser.new_context(viewport={"width": 390, "height": 844})
    customer.set_default_timeout(15_000)
    public = customer.new_page()
    public.goto(server.url + _path(signup_url))
    expect(public.get_by_role("heading", name="Help us understand your work")).to_be_visible()
    public.get_by_label("Your name").fill("Robin Browser")
    public.get_by_label("Your email").fill(CUSTOMER)
    public.get_by_label("Company (optional)").fill("Northwind Books")
    public.get_by_label("Which best describes your company?").select_option("Mid-market")
    public.get_by_label("I do, or my team does").check()
    public.get_by_label("Spreadsheets").check()
    public.get_by_label("What slowed your last month-end close down the most?").fill(
        "Waiting on approvals <b>every</b> month"
    )
    public.get_by_label("You may contact me about this research.").check()
    screenshot(public, "recruiting-signup")
    public.get_by_role("button", name="Send my answers").click()

    # Screened in: straight to the PM's calendar, with their name filled in.
    expect(public.get_by_role("heading", name="Customer conversations with Priya")).to_be_visible()
    public.wait_for_load_state("networkidle")
    expect(public.get_by_label("Your name")).to_have_value("Robin Browser")
    first_slot = public.locator("label.slot").first
    chosen = first_slot.locator("input").get_attribute("value")
    first_slot.click()
    screenshot(public, "booking-page")
    public.get_by_role("button", name="Book this time").click()
    expect(public.get_by_text("You're booked.")).to_be_visible()
    screenshot(public, "booking-booked")

    link_email = _wait_for(server, CUSTOMER, "Pick a time")
    assert "/b/" in link_email.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    confirmation = _wait_for(server, CUSTOMER, "Booked:")
    parts = [
        part
        for part in confirmation.iter_attachments()
        if part.get_content_type() == "text/calendar"
    ]
    assert len(parts) == 1
    calendar = Calendar.from_ical(parts[0].get_content())
    assert str(calendar["METHOD"]) == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert event.decoded("DTSTART").strftime("%Y-%m-%dT%H:%M:%SZ") == chosen
    assert str(event["ATTENDEE"]) == f"mailto:{CUSTOMER}"
    assert str(event["ORGANIZER"]) == "mailto:pm@demo.problemspace.local"
    assert "/b/manage/" in str(event["DESCRIPTION"])
    customer.close()

    # The PM sees the new candidate booked, their answer shown as written (escaped).
    page.reload()
    row = page.get_by_role("row").filter(has_text="Robin Browser")
    expect(row.get_by_text("Booked")).to_be_visible()
    row.get_by_role("link", name="Robin Browser").click()
    expect(page.get_by_text("Waiting on approvals <b>every</b> month")).to_be_visible()
