"""The customer portal in the browser: a customer with no account posts an idea (similar posts
appear while typing), the PM publishes it from the moderation queue, the customer is emailed
on the real SMTP server, and another customer votes for it."""

from __future__ import annotations

import re
import time
from email.message import EmailMessage

from playwright.sync_api import Browser, ConsoleMessage, Page, Response, expect

from problemspace.web.tests.browser.conftest import Server, screenshot, sign_in

SLUG = "demo"
CUSTOMER = "jo.portal@northwind.example"
VOTER = "ari.portal@fabrikam.example"
TITLE = "Approve invoices from Slack"


def _wait_for(server: Server, to: str, subject_start: str) -> EmailMessage:
    assert server.smtp is not None
    for _ in range(150):
        for message in list(server.smtp.messages):
            if message["To"] == to and str(message["Subject"]).startswith(subject_start):
                return message
        time.sleep(0.1)
    subjects = [(m["To"], m["Subject"]) for m in server.smtp.messages]
    raise AssertionError(f"No {subject_start!r} email to {to}; received: {subjects}")


def test_a_customer_posts_the_pm_publishes_and_another_customer_votes(
    page: Page, browser: Browser, server: Server
) -> None:
    # The customer: a fresh phone-sized browser with no session, from a link anywhere.
    customer = browser.new_context(viewport={"width": 390, "height": 844})
    customer.set_default_timeout(15_000)
    public = customer.new_page()
    problems: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        # Failed loads are checked by their responses below (the favicon may be missing).
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(message.text)

    def check(response: Response) -> None:
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            problems.append(f"{response.status} {response.url}")

    public.on("console", watch)
    public.on("pageerror", lambda error: problems.append(str(error)))
    public.on("response", check)
    public.goto(f"{server.url}/p/{SLUG}/")
    expect(
        public.get_by_role("heading", name="Ledgerly: tell us what gets in your way")
    ).to_be_visible()
    expect(
        public.get_by_role("link", name="Invoice scanning gets line items wrong")
    ).to_be_visible()
    screenshot(public, "portal-list")
    public.get_by_role("link", name="Post a problem or idea").first.click()
    expect(public.get_by_role("heading", name="Post a problem or idea")).to_be_visible()
    public.get_by_label("An idea").check()
    public.get_by_label("Title").fill(TITLE)
    # Similar posts appear while typing (the demo has no synthesis: matched by words).
    suggestion = public.locator("[data-similar-panel]").get_by_role(
        "link", name="Approve invoices from the notification email"
    )
    expect(suggestion).to_be_visible()
    public.get_by_label("Tell us more").fill("Our managers live in Slack, not in email.")
    public.get_by_label("Your email").fill(CUSTOMER)
    public.get_by_label("Your name").fill("Jo <b>Portal</b>")
    public.get_by_label("Company").fill("Northwind Books")
    screenshot(public, "portal-submit")
    public.get_by_role("button", name="Post it").click()
    expect(public.get_by_role("heading", name="Thank you")).to_be_visible()
    screenshot(public, "portal-received")
    assert not problems, problems  # no script error, no blocked script (CSP)

    # Not public before moderation.
    public.goto(f"{server.url}/p/{SLUG}/?sort=new")
    expect(public.get_by_role("link", name=TITLE)).to_have_count(0)

    # The PM publishes it from the moderation queue.
    sign_in(page, server)
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Portal").click()
    page.get_by_role("link", name=re.compile("^Moderation queue")).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    screenshot(page, "portal-queue", phone=True)
    page.get_by_role("button", name=f"Publish “{TITLE}”").click()
    expect(page.get_by_text("Published: it is on the portal now.")).to_be_visible()

    published = _wait_for(server, CUSTOMER, "Your post is now public")
    assert published["List-Unsubscribe"].strip().startswith("<http")

    # Another customer finds it and votes.
    other = browser.new_context(viewport={"width": 1280, "height": 900})
    other.set_default_timeout(15_000)
    voter = other.new_page()
    voter.goto(f"{server.url}/p/{SLUG}/?sort=new")
    voter.get_by_role("link", name=TITLE).click()
    expect(voter.get_by_role("heading", name=TITLE)).to_be_visible()
    vote = voter.get_by_role("region", name="Do you have this too?")
    vote.get_by_label("Your email").fill(VOTER)
    vote.get_by_role("button", name="Vote for this").click()
    expect(voter.get_by_text("Thank you: your vote counts.")).to_be_visible()
    expect(voter.get_by_role("heading", name="You voted for this")).to_be_visible()
    expect(voter.locator(".vote-count strong").first).to_have_text("2")
    screenshot(voter, "portal-post-voted", phone=True)
    other.close()
    customer.close()

    # The team sees the customer, escaped, and the vote on the post's page.
    page.goto(f"{server.url}/w/{SLUG}/portal/posts/?status=published")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_text("2 votes")).to_be_visible()
    expect(page.get_by_role("link", name="Jo <b>Portal</b>").first).to_be_visible()
    screenshot(page, "portal-post-team")
