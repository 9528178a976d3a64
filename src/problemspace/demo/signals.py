"""Draw one problem's signals: when, on which channel, from whom, heard first-hand or relayed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from random import Random
from typing import TYPE_CHECKING

from problemspace.demo import compose, story
from problemspace.demo.timeline import YEAR, Calendar, moment
from problemspace.demo.wording import WORDING, Wording

if TYPE_CHECKING:
    from problemspace.demo.plan import PlannedAccount, PlannedContact

# Bigger customers have more people, so more of them write in.
SEGMENT_VOLUME = {story.SMB: 0.8, story.MID: 1.2, story.ENT: 1.7, story.FIRM: 1.0}
# How often a signal on a channel names the person it came from, when it names an account.
CONTACT_SHARE = {"sales_call": 0.75, "review": 0.4, "survey": 0.9, "community": 0.9}
# Who types first-hand signals in: support tickets come through Marcus's help desk, interviews
# are the PMs', surveys and reviews are imported by the PMs, portal posts by nobody.
CAPTURERS: dict[str, tuple[story.Person | None, ...]] = {
    "support": (story.SUPPORT,),
    "interview": (story.OWNER, story.OWNER, story.EDITOR),
    "sales_call": (story.OWNER,),
    "email": (story.OWNER, story.OWNER, story.SALES, story.EDITOR),
    "survey": (story.EDITOR, story.EDITOR, story.OWNER),
    "review": (story.EDITOR, story.OWNER),
    "community": (story.EDITOR, story.OWNER),
    "portal": (None,),
}
RELAY_CHANNEL = {"sales": "sales_call", "support": "support", "csm": "email"}
ROUGH_CHANNELS = ("support", "survey", "community", "email")
TAG_SHARE = {"support": 0.55, "sales_call": 0.35, "email": 0.25}
CURRENCIES = ("EUR", "GBP", "USD", "AUD", "CAD", "SGD", "JPY", "CHF")
ERP_TAGS = {
    "NetSuite": "integration:netsuite",
    "Xero": "integration:xero",
    "QuickBooks Online": "integration:quickbooks",
    "Sage Intacct": "integration:sage-intacct",
    "Dynamics 365": "integration:dynamics",
    "SAP S/4HANA": "integration:sap",
}


@dataclass
class Draft:
    """A signal being planned; plan.py numbers and freezes them once all are drawn."""

    key: int
    theme: str
    text: str
    occurred_at: datetime
    channel: str
    relayed_by: str
    account: str | None
    contact: str | None
    captured_by: str | None
    tags: tuple[str, ...]
    duplicate_of: int | None = None
    days_ago: int = 0
    kind: str = ""  # how it was relayed: sales, support, csm; "" for first-hand
    gist: str = ""
    values: dict[str, str] = field(default_factory=dict)


class SignalMaker:
    def __init__(
        self,
        rng: Random,
        today: date,
        accounts: Sequence[PlannedAccount],
        contacts: Sequence[PlannedContact],
    ):
        self.rng = rng
        self.today = today
        self.accounts = list(accounts)
        self.by_name = {account.name: account for account in accounts}
        self.people: dict[str, list[PlannedContact]] = defaultdict(list)
        for contact in contacts:
            self.people[contact.account].append(contact)
        self.by_email = {contact.email: contact for contact in contacts}
        self.next_key = 0

    def theme_signals(self, theme: story.ThemeShape) -> list[Draft]:
        wording = WORDING[theme.key]
        calendar = Calendar(theme.shape, self.today)
        pool = self._pool(theme)
        drafts: list[Draft] = []
        while len(drafts) < theme.count:
            draft = self._signal(theme, wording, calendar, pool)
            drafts.append(draft)
            if self.rng.random() < theme.echo:
                drafts.extend(self._echoes(theme, wording, draft, theme.count - len(drafts)))
        return drafts

    def _pool(self, theme: story.ThemeShape) -> list[tuple[PlannedAccount, float]]:
        """The accounts that have this problem, each with how much they talk about it."""
        rng = self.rng
        if theme.accounts:
            eligible = [a for a in self.accounts if a.name in theme.accounts]
        else:
            eligible = [
                a
                for a in self.accounts
                if a.segment in theme.segments
                and theme.regions.get(a.region, 0.0) > 0
                and (not theme.erps or a.erp in theme.erps)
            ]

        def weight(account: PlannedAccount) -> float:
            return theme.regions.get(account.region, 1.0) * SEGMENT_VOLUME[account.segment]

        # Weighted sampling without replacement (Efraimidis-Spirakis keys).
        keyed = sorted(eligible, key=lambda a: rng.random() ** (1.0 / weight(a)), reverse=True)
        chosen = keyed[: min(theme.reach, len(keyed))]
        return [(a, rng.lognormvariate(0, 0.7) * SEGMENT_VOLUME[a.segment]) for a in chosen]

    def _signal(
        self,
        theme: story.ThemeShape,
        wording: Wording,
        calendar: Calendar,
        pool: list[tuple[PlannedAccount, float]],
    ) -> Draft:
        rng = self.rng
        names, weights = list(theme.channels), list(theme.channels.values())
        account: PlannedAccount | None = None
        for _ in range(100):
            days_ago = calendar.draw(rng)
            channel = rng.choices(names, weights)[0]
            days_ago = self._on_a_weekday(days_ago, channel)
            if channel in ("review", "community") and rng.random() < theme.anonymous:
                break
            speaking = [(a, w) for a, w in pool if self._can_speak(a, channel, days_ago)]
            if speaking:
                account = rng.choices([a for a, _ in speaking], [w for _, w in speaking])[0]
                break
        else:
            raise RuntimeError(f"no account in the demo can raise {theme.key!r}")
        contact = self._contact(theme, account, channel)
        kind = ""
        if rng.random() < story.RELAYED_SHARE.get(channel, 0.0) * theme.relay:
            kind = "csm" if channel == "email" and rng.random() < 0.7 else ""
            kind = kind or {"sales_call": "sales", "support": "support", "email": "sales"}[channel]
        return self._draft(theme, wording, account, contact, channel, days_ago, kind, pool)

    def _on_a_weekday(self, days_ago: int, channel: str) -> int:
        """Calls, interviews and emails happen on working days: move a weekend one to Friday."""
        weekday = (self.today - timedelta(days=days_ago)).weekday()
        if channel not in ("interview", "sales_call", "email") or weekday < 5:
            return days_ago
        if days_ago + weekday - 4 <= YEAR:
            return days_ago + weekday - 4
        return max(1, days_ago - (7 - weekday))

    def _can_speak(self, account: PlannedAccount, channel: str, days_ago: int) -> bool:
        if not account.newest_days_ago <= days_ago <= account.oldest_days_ago:
            return False
        if account.lifecycle == "prospect":
            return channel in story.PROSPECT_CHANNELS
        return not (account.lifecycle == "trial" and channel == "review")

    def _contact(
        self, theme: story.ThemeShape, account: PlannedAccount | None, channel: str
    ) -> PlannedContact | None:
        rng = self.rng
        if account is None or rng.random() >= CONTACT_SHARE.get(channel, 1.0):
            return None
        people = self.people[account.name]
        if channel == "interview":
            people = [person for person in people if person.research_consent]
        roles = [role.lower() for role in theme.roles]
        weights = [4.0 if any(r in p.role.lower() for r in roles) else 1.0 for p in people]
        return rng.choices(people, weights)[0]

    def _relayer(
        self, kind: str, account: PlannedAccount | None, exclude: str = ""
    ) -> tuple[str, str]:
        people = story.RELAYERS[kind]
        weights: tuple[float, ...] = (1.0,) * len(people)
        if kind == "sales":  # enterprise accounts have their own AE and a sales engineer
            big = account is not None and account.segment == story.ENT
            weights = (0.1, 0.6, 0.3) if big else (0.7, 0.1, 0.2)
        options = [(p, w) for p, w in zip(people, weights, strict=True) if p[0] != exclude]
        return self.rng.choices([p for p, _ in options], [w for _, w in options])[0]

    def _draft(
        self,
        theme: story.ThemeShape,
        wording: Wording,
        account: PlannedAccount | None,
        contact: PlannedContact | None,
        channel: str,
        days_ago: int,
        kind: str,
        pool: list[tuple[PlannedAccount, float]],
        *,
        values: dict[str, str] | None = None,
        gist: str = "",
        exclude: str = "",
    ) -> Draft:
        rng = self.rng
        relayed_by, capturer = "", rng.choice(CAPTURERS[channel])
        if kind:
            name, title = self._relayer(kind, account, exclude)
            relayed_by = f"{name} ({title})"
            members = [m for m in story.MEMBERS if m.name == name]
            capturer = (
                members[0] if members else rng.choice((story.OWNER, story.OWNER, story.EDITOR))
            )
        # An anonymous reviewer still writes like someone at a company of that kind.
        like = account or rng.choice(pool)[0]
        day = self.today - timedelta(days=days_ago)
        facts = values or self._facts(like, contact, capturer, day)
        fill = compose.Filler(rng, facts, dict(wording.slots))
        tone, (angry, constructive) = "neutral", theme.tones
        if not theme.noise:
            roll = rng.random()
            tone = (
                "angry" if roll < angry else "constructive" if roll < angry + constructive else tone
            )
        if kind:
            gist = gist or rng.choice(wording.gists)
            text, asked, at_risk = compose.relayed(
                kind,
                wording,
                fill,
                rng,
                gist=gist,
                has_account=account is not None,
                has_contact=contact is not None,
                at_risk=tone == "angry",
                stage=self._stage(account, day),
                again=bool(values),
            )
            if kind == "sales" and rng.random() < 0.08:
                text = compose.roughen(text, rng)
        else:
            text, asked = compose.first_hand(
                channel, wording, fill, rng, tone, noise=theme.noise, praise=theme.key == "praise"
            )
            at_risk = tone == "angry" and channel in ("support", "email", "sales_call")
            if channel in ROUGH_CHANNELS and rng.random() < 0.15:
                text = compose.roughen(text, rng)
        tags = self._tags(wording, fill, channel, asked, at_risk and account is not None)
        self.next_key += 1
        return Draft(
            key=self.next_key,
            theme=theme.key,
            text=text,
            occurred_at=moment(rng, self.today, days_ago, channel, story.UTC_OFFSET[like.country]),
            channel=channel,
            relayed_by=relayed_by,
            account=account.name if account else None,
            contact=contact.email if contact else None,
            captured_by=capturer.email if capturer else None,
            tags=tags,
            days_ago=days_ago,
            kind=kind,
            gist=gist,
            values=fill.values,
        )

    @staticmethod
    def _stage(account: PlannedAccount | None, day: date) -> str:
        if account is None:
            return "customer"
        new = account.lifecycle in ("prospect", "trial") or (day - account.created_on).days < 90
        return "new" if new else "customer"

    def _facts(
        self,
        account: PlannedAccount,
        contact: PlannedContact | None,
        capturer: story.Person | None,
        day: date,
    ) -> dict[str, str]:
        rng = self.rng
        currency = story.CURRENCY[account.country]
        facts = {
            "account": account.name,
            "erp": account.erp,
            "erp_tag": ERP_TAGS[account.erp],
            "currency": currency,
            "foreign": rng.choice([c for c in CURRENCIES if c != currency]),
            "idp": account.idp or "Okta",
            "country": story.ADJECTIVE[account.country],
            "entity_count": str(max(account.entities, 2)),
            "client_count": str(account.clients or 30),
            "addressee": (capturer or story.OWNER).name.split(" ")[0],
            "past_month": (day - timedelta(days=rng.randint(20, 60))).strftime("%B"),
            "next_month": (day + timedelta(days=rng.randint(30, 120))).strftime("%B"),
        }
        if contact:
            role = contact.role
            facts |= {
                "contact_first": contact.name.split(" ")[0],
                "contact_name": contact.name,
                "contact_role": role,
                "contact_role_lc": role if role[1:2].isupper() else role[:1].lower() + role[1:],
            }
        return facts

    def _tags(
        self, wording: Wording, fill: compose.Filler, channel: str, asked: bool, at_risk: bool
    ) -> tuple[str, ...]:
        rng = self.rng
        tags: list[str] = []
        if wording.tags and rng.random() < TAG_SHARE.get(channel, 0.12):
            options = [fill(tag) for tag in wording.tags]
            tags = rng.sample(options, k=min(len(options), rng.choice((1, 1, 2))))
        if asked and rng.random() < 0.3:
            tags.append("feature-request")
        if at_risk and rng.random() < 0.7:
            tags.append("churn-risk")
        return tuple(dict.fromkeys(tags))

    def _echoes(
        self, theme: story.ThemeShape, wording: Wording, original: Draft, limit: int
    ) -> list[Draft]:
        """Near-copies: the ticket pasted again, or the same story relayed by a colleague."""
        rng = self.rng
        account = self.by_name.get(original.account or "")
        if account is None or limit <= 0:
            return []
        if not original.kind and original.channel not in ("support", "email"):
            return []
        copies = []
        for _ in range(min(limit, rng.choice((1, 1, 2, 3)))):
            days_ago = max(account.newest_days_ago, original.days_ago - rng.randint(0, 4))
            contact = self.by_email.get(original.contact or "")
            if original.kind:
                kind = original.kind if rng.random() < 0.7 else "csm"
                if kind == "csm" and account.lifecycle == "prospect":
                    kind = "sales"
                copy = self._draft(
                    theme,
                    wording,
                    account,
                    contact,
                    RELAY_CHANNEL[kind],
                    days_ago,
                    kind,
                    [(account, 1.0)],
                    values=dict(original.values),
                    gist=original.gist,
                    exclude=original.relayed_by.split(" (")[0],
                )
            else:
                colleague = ""
                if rng.random() < 0.4:
                    first = contact.name.split(" ")[0] if contact else ""
                    contact = rng.choice(self.people[account.name])
                    colleague = first if contact.name.split(" ")[0] != first else ""
                self.next_key += 1
                copy = Draft(
                    key=self.next_key,
                    theme=theme.key,
                    text=compose.follow_up(original.text, rng, colleague),
                    occurred_at=moment(
                        rng,
                        self.today,
                        days_ago,
                        original.channel,
                        story.UTC_OFFSET[account.country],
                    ),
                    channel=original.channel,
                    relayed_by="",
                    account=account.name,
                    contact=contact.email if contact else None,
                    captured_by=original.captured_by,
                    tags=original.tags,
                    days_ago=days_ago,
                )
            copy.duplicate_of = original.key
            if copy.occurred_at <= original.occurred_at:  # a copy comes after what it copies
                later = original.occurred_at + timedelta(minutes=rng.randint(20, 240))
                copy.occurred_at = min(later, datetime.combine(self.today, time(), UTC))
            copies.append(copy)
        return copies
