from __future__ import annotations

from problemspace.synthesis.praise import is_praise, is_praise_group


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


def test_a_group_is_praise_when_most_of_it_is():
    praise = ["Best AP tool we've used.", "Love the new invoice inbox, it's very clean."]
    problems = ["The export keeps failing.", "We need SCIM provisioning."]
    assert is_praise_group(praise + problems[:1])
    assert not is_praise_group(problems + praise[:1])
    assert not is_praise_group([])
