"""Integrations in the browser: an owner connects a real HTTP receiver, the served worker
delivers a signed test event to it, the delivery log shows it delivered; problems download as
a CSV for Jira."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from problemspace.integrations import signing
from problemspace.testing import HttpReceiver
from problemspace.web.tests.browser.conftest import Server, screenshot, sign_in

SLUG = "demo"


@pytest.fixture(scope="module")
def receiver() -> Iterator[HttpReceiver]:
    started = HttpReceiver()
    started.start()
    yield started
    started.stop()


def test_a_signed_test_event_reaches_a_real_receiver(
    page: Page, server: Server, receiver: HttpReceiver
) -> None:
    sign_in(page, server)
    page.get_by_role("link", name="Integrations", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/w/{SLUG}/integrations/$"))
    page.get_by_role("link", name="Add an endpoint").click()
    page.get_by_label("Name", exact=True).fill("Local receiver")
    page.get_by_label("Address (URL)").fill(receiver.url("/ps"))
    page.get_by_role("button", name="Add the endpoint").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Local receiver")

    page.get_by_text("Show the secret").click()
    secret = page.locator("details code").inner_text().strip()
    assert secret.startswith("whsec_")
    screenshot(page, "integrations-endpoint", phone=True)

    page.get_by_role("button", name="Send a test event").click()
    expect(page).to_have_url(re.compile(rf"/w/{SLUG}/integrations/deliveries/\d+/$"))
    (request,) = receiver.wait_for(1, timeout=30)
    assert request.path == "/ps"
    signing.verify(secret, request.headers[signing.SIGNATURE_HEADER], request.body)
    body = request.json()
    assert body["event"] == "webhook.test"
    assert body["data"]["sent_by"] == "Priya Raman"
    assert request.headers[signing.ID_HEADER] == body["id"]

    # The worker records the answer a moment after sending.
    for _ in range(20):
        page.reload()
        if page.locator(".chip-ok").count():
            break
        page.wait_for_timeout(500)
    expect(page.locator("h1 .chip-ok")).to_have_text("Delivered")
    expect(page.locator("main")).to_contain_text("HTTP 200")
    screenshot(page, "integrations-delivery")

    page.get_by_role("link", name="Delivery log").click()
    expect(page.locator("tbody")).to_contain_text("webhook.test")


def test_problems_download_as_a_jira_csv(page: Page, server: Server) -> None:
    sign_in(page, server)
    page.goto(f"{server.url}/w/{SLUG}/integrations/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Problems for Jira (CSV)").click()
    download = info.value
    assert download.suggested_filename == f"{SLUG}-problems-jira.csv"
    path = download.path()
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows[0][:4] == ["Summary", "Issue Type", "Priority", "Description"]
