"""The plan alone: sizes, determinism, and the shapes synthesis is meant to find."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from difflib import SequenceMatcher
from functools import cache

from problemspace.demo import story
from problemspace.demo.plan import DemoPlan, demo_plan
from problemspace.evidence.models import Channel, Provenance

TODAY = date(2026, 11, 23)
MIDNIGHT = datetime.combine(TODAY, datetime.min.time(), UTC)


@cache
def plan(seed: int = 1729) -> DemoPlan:
    return demo_plan(seed, TODAY)


def days_ago(moment: datetime) -> float:
    return (MIDNIGHT - moment).total_seconds() / 86400


def test_the_same_seed_gives_the_same_demo() -> None:
    first, second = demo_plan(7, TODAY), demo_plan(7, TODAY)
    assert first == second
    assert [item.text for item in first.evidence] == [item.text for item in second.evidence]


def test_another_seed_gives_another_demo_of_the_same_size() -> None:
    other = plan(99)
    assert [item.text for item in other.evidence] != [item.text for item in plan().evidence]
    assert len(other.evidence) == len(plan().evidence)
    assert len(other.accounts) == len(plan().accounts)


def test_the_sizes_are_those_of_a_small_b2b_product() -> None:
    demo = plan()
    assert len(demo.accounts) == 40
    assert 110 <= len(demo.contacts) <= 130
    assert 1400 <= len(demo.evidence) <= 1600
    segments = Counter(account.segment for account in demo.accounts)
    assert set(segments) == set(story.SEGMENTS)
    lifecycles = Counter(account.lifecycle for account in demo.accounts)
    assert lifecycles["customer"] >= 30
    assert {"trial", "churned", "prospect"} <= set(lifecycles)


def test_revenue_is_spread_by_segment() -> None:
    ranges = {
        story.SMB: (5_000, 25_000),
        story.MID: (30_000, 120_000),
        story.ENT: (150_000, 600_000),
    }
    for account in plan().accounts:
        if account.segment in ranges and account.revenue is not None:
            low, high = ranges[account.segment]
            assert low <= account.revenue <= high, account


def test_every_channel_is_used_and_support_is_the_busiest() -> None:
    channels = Counter(item.channel for item in plan().evidence)
    assert set(channels) == {
        "support",
        "sales_call",
        "interview",
        "survey",
        "review",
        "community",
        "email",
        "portal",
    }
    assert channels.most_common(1)[0][0] == "support"
    assert set(channels) <= set(Channel.values)


def test_about_a_quarter_is_relayed() -> None:
    evidence = plan().evidence
    relayed = sum(item.provenance == Provenance.RELAYED for item in evidence) / len(evidence)
    assert 0.22 <= relayed <= 0.32


def test_items_respect_the_model_constraints() -> None:
    demo = plan()
    contacts = {contact.email: contact for contact in demo.contacts}
    accounts = {account.name for account in demo.accounts}
    members = {member.email for member in demo.members}
    assert len({item.external_id for item in demo.evidence}) == len(demo.evidence)
    for item in demo.evidence:
        assert item.provenance in Provenance.values
        assert bool(item.relayed_by) == (item.provenance == Provenance.RELAYED)
        assert item.account is None or item.account in accounts
        if item.contact:
            assert contacts[item.contact].account == item.account
        assert item.captured_by is None or item.captured_by in members
        assert re.fullmatch(r"demo-\d{6}", item.external_id)
        assert "{" not in item.text and "}" not in item.text, item.text
        assert all(tag and len(tag) <= 60 and "{" not in tag for tag in item.tags)
    emails = [contact.email.lower() for contact in demo.contacts]
    assert len(set(emails)) == len(emails)


def test_contacts_are_on_their_accounts_domain() -> None:
    domains = {account.name: account.domain for account in plan().accounts}
    for contact in plan().contacts:
        assert contact.email.endswith("@" + domains[contact.account])


def test_interviews_are_with_people_who_agreed_to_research() -> None:
    consent = {contact.email: contact.research_consent for contact in plan().contacts}
    interviews = [item for item in plan().evidence if item.channel == "interview"]
    assert interviews
    assert all(consent[item.contact] for item in interviews if item.contact)


def test_dates_cover_the_past_year_in_business_hours_on_weekdays() -> None:
    evidence = plan().evidence
    assert all(0 < days_ago(item.occurred_at) <= 366 for item in evidence)
    weekdays = sum(item.occurred_at.weekday() < 5 for item in evidence) / len(evidence)
    assert weekdays >= 0.85
    months = Counter((item.occurred_at.year, item.occurred_at.month) for item in evidence)
    assert len(months) >= 12


def test_prospects_only_talk_to_sales_and_churned_accounts_went_quiet() -> None:
    demo = plan()
    lifecycle = {account.name: account for account in demo.accounts}
    for item in demo.evidence:
        account = lifecycle.get(item.account or "")
        if account and account.lifecycle == "prospect":
            assert item.channel in story.PROSPECT_CHANNELS
        if account and account.lifecycle == "churned":
            assert days_ago(item.occurred_at) >= account.newest_days_ago - 1


def test_the_broad_problem_is_widespread_and_first_hand() -> None:
    demo = plan()
    segment = {account.name: account.segment for account in demo.accounts}
    items = demo.by_theme()[story.BROAD]
    accounts = {item.account for item in items if item.account}
    assert len(accounts) >= 15
    assert len({segment[name] for name in accounts}) >= 3
    first_hand = sum(item.provenance == Provenance.FIRST_HAND for item in items) / len(items)
    assert first_hand >= 0.7
    quarters = Counter(int(days_ago(item.occurred_at) // 91.5) for item in items)
    assert min(quarters[q] for q in range(4)) >= len(items) / 8  # steady, all year


def test_the_loud_problem_is_narrow_relayed_and_recent() -> None:
    demo = plan()
    items = demo.by_theme()[story.LOUD]
    assert len({item.account for item in items}) <= 2
    segments = {a.segment for a in demo.accounts if a.name in {item.account for item in items}}
    assert segments == {story.ENT}
    relayed = sum(item.provenance == Provenance.RELAYED for item in items) / len(items)
    assert relayed >= 0.7
    recent = sum(days_ago(item.occurred_at) <= 14 for item in items) / len(items)
    assert recent >= 0.6


def test_the_rising_problem_grows_and_the_fading_one_dies_out() -> None:
    themes = plan().by_theme()

    def last_two_quarters(key: str) -> tuple[int, int]:
        ages = [days_ago(item.occurred_at) for item in themes[key]]
        return sum(a <= 91 for a in ages), sum(91 < a <= 182 for a in ages)

    latest, before = last_two_quarters(story.RISING)
    assert latest >= 2 * before
    oldest = sum(days_ago(item.occurred_at) > 274 for item in themes[story.FADING])
    newest = sum(days_ago(item.occurred_at) <= 91 for item in themes[story.FADING])
    assert oldest >= 5 * max(newest, 1)


def test_the_enterprise_only_problem_carries_big_revenue() -> None:
    demo = plan()
    accounts = {account.name: account for account in demo.accounts}
    items = demo.by_theme()[story.ENTERPRISE_ONLY]
    names = {item.account for item in items if item.account}
    assert {accounts[name].segment for name in names} == {story.ENT}
    loud_names = {item.account for item in demo.by_theme()[story.LOUD]}
    revenue = sum(accounts[name].revenue or 0 for name in names)
    assert revenue > 2 * sum(accounts[name or ""].revenue or 0 for name in loud_names)
    assert len(items) < len(demo.by_theme()[story.BROAD]) / 2


def test_near_duplicates_exist_and_read_alike() -> None:
    demo = plan()
    by_id = {item.external_id: item for item in demo.evidence}
    copies = [item for item in demo.evidence if item.duplicate_of]
    assert len(copies) >= 30
    pasted = [c for c in copies if c.text == by_id[c.duplicate_of or ""].text]
    assert pasted, "some complaints are pasted into several tickets verbatim"
    retold = [c for c in copies if c.relayed_by and by_id[c.duplicate_of or ""].relayed_by]
    assert any(c.relayed_by != by_id[c.duplicate_of or ""].relayed_by for c in retold)
    for copy in copies:
        original = by_id[copy.duplicate_of or ""]
        assert copy.theme == original.theme and copy.account == original.account
        assert copy.occurred_at > original.occurred_at
        similar = SequenceMatcher(None, copy.text, original.text).ratio()
        assert similar >= 0.3, (copy.text, original.text)


def test_every_item_names_its_theme_and_noise_is_marked() -> None:
    demo = plan()
    assert set(demo.by_theme()) == set(demo.themes) == {t.key for t in story.THEMES}
    problems = [t for t in story.THEMES if not t.noise]
    assert 12 <= len(problems) <= 15
    assert not any(tag.startswith("theme") for item in demo.evidence for tag in item.tags)


def test_the_wording_varies() -> None:
    texts = [item.text for item in plan().evidence]
    assert len(set(texts)) >= 0.75 * len(texts)
    openings = Counter(text[:40] for text in texts)
    assert openings.most_common(1)[0][1] <= 30


def test_last_contacted_is_never_in_the_future() -> None:
    for contact in plan().contacts:
        assert contact.last_contacted is None or contact.last_contacted < TODAY
    assert sum(c.last_contacted is not None for c in plan().contacts) >= 30
    assert 0.2 <= sum(c.research_consent for c in plan().contacts) / len(plan().contacts) <= 0.7
    assert timedelta(0) < MIDNIGHT - max(item.occurred_at for item in plan().evidence)
