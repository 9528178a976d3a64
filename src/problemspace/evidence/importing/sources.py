"""The exports of the tools product teams feed from, recognised by their columns.

Each source says which of its columns hold what the customer said (a title and a body are put
together), who said it (always a contact: an app-store "Author" is a reviewer, not a team
member, and a Canny "Title" is the post's, not a job title), when, on which of our channels
(mapping the tool's own values), and the score with its scale. The layouts follow each tool's
documentation of its export; docs/import.md lists the columns read from each.

Column names here are normalised (`fields.normalise`: "Review Submit Date and Time" is
`review_submit_date_and_time`, `createdAt` is `created_at`); a name ending in `*` matches any
column that starts with it ("What do you like best about Acme?"). For JSON, nested values are
named by their path (`author_login`, `labels_name`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from problemspace.evidence.models import Channel, Provenance, ScoreScale

SUPPORT, REVIEW, SURVEY, PORTAL = Channel.SUPPORT, Channel.REVIEW, Channel.SURVEY, Channel.PORTAL
SOCIAL, COMMUNITY, SALES = Channel.SOCIAL, Channel.COMMUNITY, Channel.SALES_CALL

# What a support desk's own channel values mean to us: a ticket is a ticket whatever it came
# through, except where it was said in public.
DESK_CHANNELS = {
    **{
        value: SUPPORT
        for value in (
            "email",
            "e-mail",
            "messenger",
            "chat",
            "live chat",
            "web",
            "web form",
            "web widget",
            "widget",
            "portal",
            "phone",
            "phone call (inbound)",
            "phone call (outbound)",
            "voicemail",
            "api",
            "web service (api)",
            "mobile sdk",
            "mobile",
            "sms",
            "text",
            "whatsapp",
            "messaging",
            "form",
            "ticket",
            "outbound email",
        )
    },
    "twitter": SOCIAL,
    "x": SOCIAL,
    "facebook": SOCIAL,
    "instagram": SOCIAL,
    "forum": COMMUNITY,
    "community": COMMUNITY,
    "feedback widget": PORTAL,
}

# Who a tool marks as the team (or a bot) rather than a customer, lowercase.
TEAM = frozenset({"admin", "bot", "team", "operator", "teammate", "agent", "workflow"})

# How the columns of a field that reads several are put together.
JOINED = {"text": "\n\n", "contact_name": " "}


@dataclass(frozen=True)
class Source:
    key: str  # also the evidence's source, unless --source says otherwise
    name: str
    # Normalised columns that must all be there (any one of a tuple's).
    signature: tuple[str | tuple[str, ...], ...]
    # field -> candidate columns, normalised: text and contact_name put every present column
    # together, other fields read the first present.
    fields: Mapping[str, tuple[str, ...]]
    channel: str
    channel_values: Mapping[str, str] = field(default_factory=dict)  # lowercase tool value -> ours
    score_scale: str = ""
    provenance: str = Provenance.FIRST_HAND
    # Columns whose value is kept as a tag "priority: high".
    tag_columns: Mapping[str, str] = field(default_factory=dict)
    # column -> lowercase values whose rows are not customer evidence, and why.
    skip: Mapping[str, tuple[frozenset[str], str]] = field(default_factory=dict)
    # Survey exports: the free-text answers are the text (found from the values), a 0-10
    # question about recommending is the NPS score.
    survey: bool = False
    # Fields that read every listed column present, put together (JOINED), rather than the
    # first present: a review site's pros and cons, a survey's first and last name.
    joined: frozenset[str] = frozenset()
    # Joined text parts keep their column's question ("What do you dislike?: ..."), where the
    # parts mean opposite things.
    labelled: bool = False
    # How the tool separates tags in one cell ("" : by ; or , as everywhere).
    tags_by_space: bool = False
    # Values of who said it that name nobody ("Verified User in Construction").
    anonymous: str = ""


def _cols(**fields: str | tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return {name: (c,) if isinstance(c, str) else c for name, c in fields.items()}


SOURCES: tuple[Source, ...] = (
    # --- support desks -------------------------------------------------------------------
    Source(
        "zendesk",
        "Zendesk tickets",
        signature=("requester", "via", "subject"),
        fields=_cols(
            title="subject",
            text="description",
            occurred_at="created_at",
            external_id="id",
            contact_name="requester",
            contact_email="requester_email",
            account="organization",
            tags="tags",
            channel="via",
        ),
        channel=SUPPORT,
        channel_values=DESK_CHANNELS,
        tag_columns={"priority": "priority", "ticket_type": "type"},
        tags_by_space=True,
    ),
    Source(
        "intercom",
        "Intercom conversations",
        signature=("conversation_id",),
        fields=_cols(
            title=("conversation_subject", "subject", "conversation_title", "title"),
            text=(
                "message_body",
                "conversation_first_message",
                "first_message",
                "conversation_body",
                "initial_message",
                "body",
            ),
            occurred_at=(
                "message_created_at*",
                "conversation_created_at*",
                "conversation_started_at*",
                "started_at*",
                "created_at*",
            ),
            external_id=("message_id", "conversation_id"),
            contact_name=("message_author_name", "user_name", "contact_name", "customer_name"),
            contact_email=(
                "message_author_email",
                "user_email",
                "contact_email",
                "customer_email",
                "email",
            ),
            account=("message_author_companies", "company_name", "company"),
            tags=("conversation_tags", "tags"),
            channel=("channel", "conversation_channel", "source_type"),
            score=("conversation_rating", "rating"),
            source_url=("conversation_url", "url"),
        ),
        channel=SUPPORT,
        channel_values=DESK_CHANNELS,
        score_scale=ScoreScale.CSAT,
        skip={
            "message_author_type": (TEAM, "written by your team or a bot"),
            "started_by": (TEAM, "started by your team or a bot"),
        },
    ),
    Source(
        "freshdesk",
        "Freshdesk tickets",
        signature=("ticket_id", "subject", ("created_time", "resolved_time", "due_by_time")),
        fields=_cols(
            title="subject",
            text="description",
            occurred_at="created_time",
            external_id="ticket_id",
            contact_name=("full_name", "requester_name", "contact_name"),
            contact_email=("email", "requester_email"),
            account=("company_name", "company"),
            tags="tags",
            channel="source",
            source_url="url",
        ),
        channel=SUPPORT,
        channel_values=DESK_CHANNELS,
        tag_columns={"priority": "priority", "type": "type"},
        skip={"source": (frozenset({"outbound email"}), "sent by your team")},
    ),
    Source(
        "helpscout",
        "Help Scout conversations",
        signature=("mailbox", ("customer_email", "customer")),
        fields=_cols(
            title="subject",
            text=("preview", "body", "first_message", "message"),
            occurred_at=("created_at", "created", "date_created"),
            external_id=("conversation_id", "id", "number"),
            contact_name=("customer_name", "customer"),
            contact_email="customer_email",
            account=("company", "customer_company"),
            tags="tags",
            channel="type",
            source_url=("conversation_url", "url"),
        ),
        channel=SUPPORT,
        channel_values=DESK_CHANNELS,
    ),
    Source(
        "front",
        "Front messages",
        signature=("message_id", "direction"),
        fields=_cols(
            title="subject",
            text=("extract", "body", "text"),
            occurred_at=("message_date", "date", "created_at"),
            external_id="message_id",
            contact_name=("contact_name", "author"),
            contact_email=("contact_handle", "from"),
            tags="tags",
        ),
        channel=SUPPORT,
        skip={"direction": (frozenset({"outbound", "out", "sent"}), "sent by your team")},
    ),
    # --- feedback boards -----------------------------------------------------------------
    Source(
        "canny",
        "Canny posts",
        signature=("details", "board"),
        fields=_cols(
            title="title",
            text="details",
            occurred_at=("created_at", "created", "date"),
            external_id=("post_id", "id", "url", "post_url"),
            source_url=("url", "post_url"),
            contact_name=("author_name", "author"),
            contact_email=("author_email", "email"),
            account=("company_name", "company", "author_company"),
            account_revenue=("company_mrr", "mrr", "company_monthly_spend"),
            tags="tags",
        ),
        channel=PORTAL,
        tag_columns={"board": "board", "category": "category"},
    ),
    Source(
        "uservoice",
        "UserVoice suggestions",
        signature=(("suggestion_id", "suggestion_title", "forum"), ("supporters", "votes")),
        fields=_cols(
            title=("suggestion_title", "title"),
            text=("suggestion_body", "description", "body", "text"),
            occurred_at=("created_at", "created", "date"),
            external_id=("suggestion_id", "id"),
            source_url=("url", "suggestion_url"),
            contact_name=("creator_name", "user_name", "author_name"),
            contact_email=("creator_email", "user_email", "author_email", "email"),
            account=("account_name", "company_name", "company"),
            tags=("labels", "tags"),
        ),
        channel=PORTAL,
        tag_columns={"category": "category", "forum": "forum"},
    ),
    Source(
        "productboard",
        "Productboard notes",
        signature=(("note_id", "display_url"), ("note_text", "content")),
        fields=_cols(
            title=("note_title", "title"),
            text=("note_text", "content"),
            occurred_at=("created_at", "created"),
            external_id=("note_id", "id"),
            source_url=("display_url", "external_display_url"),
            contact_name=("user_name", "customer_name"),
            contact_email=("user_email", "customer_email"),
            account=("company_name", "company"),
            tags="tags",
            channel=("source_origin", "source"),
        ),
        channel=Channel.OTHER,
        channel_values={
            **DESK_CHANNELS,
            "intercom": SUPPORT,
            "zendesk": SUPPORT,
            "email": Channel.EMAIL,
            "slack": COMMUNITY,
            "portal": PORTAL,
            "insights portal": PORTAL,
            "gong": SALES,
            "salesforce": SALES,
            "hubspot": SALES,
        },
    ),
    # --- reviews -------------------------------------------------------------------------
    Source(
        "google-play",
        "Google Play Console reviews",
        signature=("package_name", "star_rating"),
        fields=_cols(
            title="review_title",
            text="review_text",
            occurred_at=("review_submit_date_and_time", "review_last_update_date_and_time"),
            external_id="review_link",
            source_url="review_link",
            score="star_rating",
        ),
        channel=REVIEW,
        score_scale=ScoreScale.STARS,
        tag_columns={"app_version_name": "version"},
    ),
    Source(
        "app-store",
        "App Store Connect reviews",
        signature=(("reviewer_nickname", "nickname", "territory"), "rating"),
        fields=_cols(
            title="title",
            text=("body", "review", "content"),
            occurred_at=("created_date", "date", "last_modified"),
            external_id=("review_id", "id"),
            contact_name=("reviewer_nickname", "nickname", "author"),
            score="rating",
        ),
        channel=REVIEW,
        score_scale=ScoreScale.STARS,
        tag_columns={"version": "version", "territory": "territory", "app_version": "version"},
    ),
    Source(
        "g2",
        "G2 reviews",
        signature=("what_do_you_like_best*",),
        fields=_cols(
            title=("review_title", "title"),
            text=(
                "what_do_you_like_best*",
                "what_do_you_dislike*",
                "what_problems*",
                "recommendations_to_others*",
            ),
            occurred_at=("submitted_at", "published_at", "date", "review_date"),
            external_id=("review_id", "id"),
            source_url=("review_url", "url"),
            contact_name=("reviewer_name", "reviewer", "name"),
            contact_role=("reviewer_job_title", "reviewer_title", "job_title"),
            account=("company_name", "reviewer_company"),
            score=("star_rating", "overall_rating", "rating"),
        ),
        channel=REVIEW,
        score_scale=ScoreScale.STARS,
        tag_columns={
            "company_segment": "segment",
            "company_size": "company size",
            "industry": "industry",
        },
        joined=frozenset({"text"}),
        labelled=True,
        anonymous=r"(?i)^(verified user|anonymous)\b",
    ),
    Source(
        "capterra",
        "Capterra reviews",
        signature=("pros", "cons"),
        fields=_cols(
            title=("review_title", "title"),
            text=("pros", "cons", "overall_comments", "comments", "general_comments"),
            occurred_at=("review_date", "written_on", "date", "submitted_at"),
            external_id=("review_id", "id"),
            contact_name=("reviewer_name", "reviewer", "name"),
            contact_role=("job_title", "reviewer_title"),
            score=("overall_rating", "rating", "star_rating"),
        ),
        channel=REVIEW,
        score_scale=ScoreScale.STARS,
        tag_columns={"company_size": "company size", "industry": "industry"},
        joined=frozenset({"text"}),
        labelled=True,
        anonymous=r"(?i)^(verified (user|reviewer)|anonymous)\b",
    ),
    Source(
        "trustpilot",
        "Trustpilot reviews",
        signature=(("review_stars", "stars"), ("review_content", "review_title")),
        fields=_cols(
            title="review_title",
            text=("review_content", "content"),
            occurred_at=("review_created_utc", "review_date", "date", "created_at"),
            external_id=("review_id", "reference_id", "id"),
            contact_name=("consumer_name", "reviewer_name", "author"),
            contact_email=("consumer_email", "email"),
            score=("review_stars", "stars"),
        ),
        channel=REVIEW,
        score_scale=ScoreScale.STARS,
    ),
    # --- surveys -------------------------------------------------------------------------
    Source(
        "typeform",
        "Typeform responses",
        signature=(("#", "response_id", "token"), "submit_date_utc"),
        fields=_cols(
            occurred_at=("submit_date_utc", "start_date_utc"),
            external_id=("#", "response_id", "token"),
        ),
        channel=SURVEY,
        survey=True,
    ),
    Source(
        "surveymonkey",
        "SurveyMonkey responses",
        signature=("respondent_id", "collector_id"),
        fields=_cols(
            occurred_at=("end_date", "start_date"),
            external_id="respondent_id",
            contact_email="email_address",
            contact_name=("first_name", "last_name"),
        ),
        channel=SURVEY,
        survey=True,
        joined=frozenset({"contact_name"}),
    ),
    Source(
        "delighted",
        "Delighted responses",
        signature=("score", "comment", ("response_id", "person_email", "person_id")),
        fields=_cols(
            text="comment",
            score="score",
            occurred_at=("response_timestamp", "created_at", "created", "date"),
            external_id=("response_id", "id"),
            contact_name=("person_name", "name"),
            contact_email=("person_email", "email"),
            account=("company", "company_name"),
            tags="tags",
        ),
        channel=SURVEY,
        score_scale=ScoreScale.NPS,
    ),
    # --- issue trackers ------------------------------------------------------------------
    Source(
        "github",
        "GitHub issues (gh issue list --json)",
        signature=("number", "title", ("author_login", "author", "user_login")),
        fields=_cols(
            title="title",
            text="body",
            occurred_at=("created_at",),
            external_id=("url", "number"),
            source_url=("url", "html_url"),
            contact_name=("author_login", "user_login", "author_name"),
            tags=("labels_name", "labels"),
        ),
        channel=COMMUNITY,
        skip={"author_is_bot": (frozenset({"true"}), "opened by a bot")},
    ),
    Source(
        "jira",
        "Jira issues",
        signature=("issue_key", "summary"),
        fields=_cols(
            title="summary",
            text="description",
            occurred_at="created",
            external_id="issue_key",
            relayed_by="reporter",
            tags="labels",
        ),
        channel=Channel.OTHER,
        provenance=Provenance.RELAYED,
        tag_columns={"priority": "priority", "issue_type": "type"},
    ),
    Source(
        "linear",
        "Linear issues",
        signature=("team", "creator", "title"),
        fields=_cols(
            title="title",
            text="description",
            occurred_at="created",
            external_id="id",
            relayed_by="creator",
            tags="labels",
        ),
        channel=Channel.OTHER,
        provenance=Provenance.RELAYED,
        tag_columns={"priority": "priority", "project": "project"},
    ),
    # --- CRM notes -----------------------------------------------------------------------
    Source(
        "salesforce-cases",
        "Salesforce cases",
        signature=("case_number", "subject"),
        fields=_cols(
            title="subject",
            text="description",
            occurred_at=("date_time_opened", "opened_date", "created_date", "date_opened"),
            external_id="case_number",
            contact_name=("contact_name", "contact"),
            contact_email=("contact_email", "email"),
            account="account_name",
            channel="case_origin",
        ),
        channel=SUPPORT,
        channel_values=DESK_CHANNELS,
        tag_columns={"priority": "priority", "case_reason": "reason"},
    ),
    Source(
        "salesforce-activities",
        "Salesforce activities (call notes)",
        signature=("subject", ("full_comments", "comments"), ("assigned", "assigned_to")),
        fields=_cols(
            title="subject",
            text=("full_comments", "comments"),
            occurred_at=("date", "activity_date", "due_date", "created_date"),
            external_id=("activity_id", "task_id", "id"),
            contact_name=("contact", "name", "contact_name"),
            contact_email=("email", "contact_email"),
            account=("company_account", "account", "account_name", "company"),
            relayed_by=("assigned", "assigned_to"),
        ),
        channel=SALES,
        provenance=Provenance.RELAYED,
    ),
    Source(
        "hubspot-tickets",
        "HubSpot tickets",
        signature=("ticket_id", "ticket_name"),
        fields=_cols(
            title="ticket_name",
            text="ticket_description",
            occurred_at=("create_date", "created_date"),
            external_id="ticket_id",
            account=("associated_company", "company_name"),
            contact_name=("associated_contact", "contact_name"),
            contact_email=("contact_email", "email"),
            channel=("source", "ticket_source"),
        ),
        channel=SUPPORT,
        channel_values=DESK_CHANNELS,
        tag_columns={"priority": "priority", "ticket_status": "status"},
    ),
    Source(
        "hubspot-notes",
        "HubSpot notes",
        signature=("note_body",),
        fields=_cols(
            text="note_body",
            occurred_at=("activity_date", "create_date", "created_date"),
            external_id=("activity_id", "note_id", "record_id", "id"),
            account=("associated_company", "company_name"),
            contact_name=("associated_contact", "contact_name"),
            contact_email=("contact_email", "email"),
            relayed_by=("activity_assigned_to", "hubspot_owner", "created_by"),
        ),
        channel=SALES,
        provenance=Provenance.RELAYED,
    ),
)


def matches(candidate: str, columns: Iterable[str]) -> str | None:
    """The first of `columns` (normalised) that `candidate` names, if any."""
    if candidate.endswith("*"):
        prefix = candidate[:-1]
        return next((c for c in columns if c.startswith(prefix)), None)
    return candidate if candidate in set(columns) else None


def recognise(columns: Iterable[str]) -> Source | None:
    """The source whose signature the columns (normalised) carry; the most specific wins."""
    present = list(columns)
    best: Source | None = None
    for source in SOURCES:
        if all(
            any(matches(c, present) for c in ((part,) if isinstance(part, str) else part))
            for part in source.signature
        ) and (best is None or len(source.signature) > len(best.signature)):
            best = source
    return best


def by_key(key: str) -> Source | None:
    return next((s for s in SOURCES if s.key == key), None)
