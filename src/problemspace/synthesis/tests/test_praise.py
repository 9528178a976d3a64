from __future__ import annotations

from problemspace.synthesis.praise import is_praise


def test_clear_praise_is_praise():
    assert is_praise("Best AP tool we've used. The Xero sync just works for us.")
    assert is_praise("Support was fantastic today, they sorted out our bank feed in minutes.")


def test_praise_with_a_complaint_is_a_problem():
    assert not is_praise("Great tool, but the export keeps failing at month end.")
    assert not is_praise("Love it, except we still re-key every line item by hand.")


def test_a_polite_request_is_not_praise():
    assert not is_praise("Please add SSO, thanks! That would be great.")
    assert not is_praise("Could you send the SOC 2 report? Much appreciated!")


def test_neutral_text_is_not_praise():
    assert not is_praise("We export the vendor list every Monday.")
