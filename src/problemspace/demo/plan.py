"""The demo plan: every account, contact and signal of the demo as plain data, from one seed.

`demo_plan(seed, today)` is deterministic: the same seed and day give the same texts, dates and
counts, in the same order. Each planned signal keeps the `theme` it was generated from, which
users never see (it is not stored), so synthesis tests can check that clustering finds them.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from problemspace.demo import story
from problemspace.demo.people import FIRST_NAMES, LAST_NAMES, email_local_part
from problemspace.demo.signals import Draft, SignalMaker
from problemspace.demo.timeline import YEAR

DEFAULT_SEED = 1729


@dataclass(frozen=True)
class PlannedAccount:
    name: str
    domain: str
    segment: str
    plan: str
    revenue: int | None
    region: str
    lifecycle: str
    country: str
    erp: str
    idp: str
    created_on: date
    entities: int
    clients: int  # accounting firms: how many client companies they run
    newest_days_ago: int  # churned accounts stopped talking to us
    oldest_days_ago: int  # trials and prospects only started


@dataclass(frozen=True)
class PlannedContact:
    name: str
    email: str
    role: str
    account: str
    research_consent: bool
    last_contacted: date | None
    created_on: date


@dataclass(frozen=True)
class PlannedEvidence:
    external_id: str
    theme: str
    text: str
    occurred_at: datetime
    channel: str
    provenance: str
    relayed_by: str
    account: str | None
    contact: str | None  # the contact's email
    captured_by: str | None  # the member's email
    tags: tuple[str, ...]
    duplicate_of: str | None  # external id of the item this one nearly repeats


@dataclass(frozen=True)
class DemoPlan:
    seed: int
    today: date
    accounts: tuple[PlannedAccount, ...]
    contacts: tuple[PlannedContact, ...]
    members: tuple[story.Person, ...]
    evidence: tuple[PlannedEvidence, ...]
    themes: dict[str, str] = field(default_factory=dict)  # key -> problem title

    def by_theme(self) -> dict[str, list[PlannedEvidence]]:
        grouped: dict[str, list[PlannedEvidence]] = defaultdict(list)
        for item in self.evidence:
            grouped[item.theme].append(item)
        return dict(grouped)


def demo_plan(seed: int = DEFAULT_SEED, today: date | None = None) -> DemoPlan:
    """Plan the whole demo. `today` anchors the year of signals (default: the real today)."""
    today = today or date.today()
    rng = random.Random(seed)
    accounts = _plan_accounts(rng, today)
    contacts = _plan_contacts(rng, accounts, today)
    maker = SignalMaker(rng, today, accounts, contacts)
    drafts: list[Draft] = []
    for theme in story.THEMES:
        drafts.extend(maker.theme_signals(theme))
    evidence = _finish(drafts)
    contacts = _with_last_contacted(rng, contacts, evidence, today)
    return DemoPlan(
        seed=seed,
        today=today,
        accounts=tuple(accounts),
        contacts=tuple(contacts),
        members=story.MEMBERS,
        evidence=evidence,
        themes={theme.key: theme.title for theme in story.THEMES},
    )


def _plan_accounts(rng: random.Random, today: date) -> list[PlannedAccount]:
    planned = []
    for seed in story.ACCOUNTS:
        low, high = story.REVENUE[seed.segment]
        step = 5_000 if seed.segment == story.ENT else 500
        revenue: int | None = rng.randrange(low, high + 1, step)
        if seed.name in story.REVENUE_OVERRIDES:
            revenue = story.REVENUE_OVERRIDES[seed.name]
        newest, oldest = 1, YEAR
        if seed.lifecycle in ("trial", "prospect"):
            revenue, oldest = None, seed.since_days
            created_on = today - timedelta(days=seed.since_days)
        else:
            created_on = today - timedelta(days=rng.randint(430, 1500))
            if seed.lifecycle == "churned":
                newest = seed.since_days
        entities = {story.ENT: rng.randint(6, 24), story.MID: rng.randint(2, 5)}.get(
            seed.segment, 1
        )
        planned.append(
            PlannedAccount(
                name=seed.name,
                domain=f"{seed.domain}.example",
                segment=seed.segment,
                plan="" if seed.lifecycle == "prospect" else rng.choice(story.PLANS[seed.segment]),
                revenue=revenue,
                region=seed.region,
                lifecycle=seed.lifecycle,
                country=seed.country,
                erp=seed.erp,
                idp=seed.idp,
                created_on=created_on,
                entities=entities,
                clients=rng.randint(12, 70) if seed.segment == story.FIRM else 0,
                newest_days_ago=newest,
                oldest_days_ago=oldest,
            )
        )
    return planned


def _plan_contacts(
    rng: random.Random, accounts: list[PlannedAccount], today: date
) -> list[PlannedContact]:
    contacts: list[PlannedContact] = []
    used: set[str] = set()
    for account in accounts:
        people = []
        for choices in story.ROLES[account.segment]:
            first, last = _unique_name(rng, account.region, used)
            consent = rng.random() < 0.4 and account.lifecycle != "prospect"
            created_on = account.created_on
            if account.lifecycle in ("customer", "churned"):
                created_on += timedelta(days=rng.randint(0, 60))
            people.append(
                PlannedContact(
                    name=f"{first} {last}",
                    email=f"{email_local_part(first, last)}@{account.domain}",
                    role=rng.choice(choices),
                    account=account.name,
                    research_consent=consent,
                    last_contacted=None,
                    created_on=created_on,
                )
            )
        # Every account has someone who agreed to research calls: interviews need them.
        if not any(person.research_consent for person in people):
            i = rng.randrange(len(people))
            people[i] = replace(people[i], research_consent=True)
        contacts.extend(people)
    return contacts


def _unique_name(rng: random.Random, region: str, used: set[str]) -> tuple[str, str]:
    while True:
        first, last = rng.choice(FIRST_NAMES[region]), rng.choice(LAST_NAMES[region])
        if f"{first} {last}" not in used:
            used.add(f"{first} {last}")
            return first, last


def _finish(drafts: list[Draft]) -> tuple[PlannedEvidence, ...]:
    """Order by time and number them, so ids read like a help desk's: older, smaller."""
    ordered = sorted(drafts, key=lambda d: (d.occurred_at, d.theme, d.text))
    ids = {draft.key: f"demo-{n:06d}" for n, draft in enumerate(ordered, start=1)}
    return tuple(
        PlannedEvidence(
            external_id=ids[draft.key],
            theme=draft.theme,
            text=draft.text,
            occurred_at=draft.occurred_at,
            channel=draft.channel,
            provenance="relayed" if draft.relayed_by else "first_hand",
            relayed_by=draft.relayed_by,
            account=draft.account,
            contact=draft.contact,
            captured_by=draft.captured_by,
            tags=draft.tags,
            duplicate_of=ids[draft.duplicate_of] if draft.duplicate_of is not None else None,
        )
        for draft in ordered
    )


def _with_last_contacted(
    rng: random.Random,
    contacts: list[PlannedContact],
    evidence: tuple[PlannedEvidence, ...],
    today: date,
) -> list[PlannedContact]:
    """Last contacted: the latest interview, call or email with them; a few from elsewhere."""
    latest: dict[str, date] = {}
    for item in evidence:
        if item.contact and item.channel in ("interview", "sales_call", "email"):
            day = item.occurred_at.date()
            latest[item.contact] = max(day, latest.get(item.contact, day))
    finished = []
    for contact in contacts:
        last = latest.get(contact.email)
        if last is None and rng.random() < 0.15:
            last = today - timedelta(days=rng.randint(5, 200))
            last = max(last, contact.created_on)
        finished.append(replace(contact, last_contacted=last))
    return finished
