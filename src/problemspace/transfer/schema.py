"""The workspace export format: its sections, their fields, and how each item is written and read.

Export and restore both walk these tables, so a field cannot be written without being read back.
docs/export-format.md describes the same thing for people; keep the two in step, and bump
VERSION whenever a file written now would mean something else to an older reader.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models

from problemspace.booking import models as booking
from problemspace.briefs import models as briefs
from problemspace.customers.models import Account, Contact, Lifecycle
from problemspace.evidence.models import (
    Channel,
    Evidence,
    EvidenceTag,
    ImportColumns,
    Kind,
    Provenance,
    ScoreScale,
    Tag,
)
from problemspace.hypotheses import models as hypotheses
from problemspace.integrations import models as integrations
from problemspace.interviews import models as interviews
from problemspace.portal import models as portal
from problemspace.problems import models as problems
from problemspace.recruiting import models as recruiting
from problemspace.roadmap import models as roadmap
from problemspace.transfer.errors import RestoreError
from problemspace.transfer.fields import (
    SINGULAR,
    Answers,
    Choice,
    Clock,
    Day,
    Field,
    Flag,
    Float,
    IdMaps,
    Json,
    MaybeFlag,
    Moment,
    NoticeKey,
    Number,
    Ref,
    Refs,
    SelfRef,
    Strings,
    Text,
    Uuid,
    Zone,
    choices_of,
    describe,
    is_id,
    money_of,
    number_of,
    text_of,
)
from problemspace.workspaces.models import Member, Role, Workspace

__all__ = [
    "SINGULAR",
    "Field",
    "IdMaps",
    "Moment",
    "Ref",
    "Refs",
    "SelfRef",
    "Text",
    "is_id",
]

FORMAT = "problemspace-workspace"
VERSION = 7

HEADER_KEYS = ("format", "version", "exported_at", "workspace")

Check = Callable[[Mapping[str, Any], str], None]


@dataclass(frozen=True)
class Unique:
    """Values no two items may share (within the workspace), so that a refusal by the database
    can be explained by naming both items; `when` narrows it like a conditional constraint."""

    attrs: tuple[str, ...]
    reason: str
    when: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Section:
    """One list of the file: which rows, in which order, with which fields."""

    name: str
    model: type[models.Model]
    fields: Sequence[Field]
    # Items are written in this order, which a restore reproduces (it inserts in file order,
    # and keeps the creation times), so that exporting a restored workspace gives the same file.
    order: tuple[str, ...] = ("created_at", "pk")
    # The lookup from the model to its workspace.
    scope: str = "workspace"
    # Cross-field rules the database would refuse with a message no person could place.
    checks: tuple[Check, ...] = ()
    unique: tuple[Unique, ...] = ()
    # Values unique across the installation (a public link's token, a calendar invite's UID):
    # kept when free, so that links and invites already sent keep working after a move, and
    # made afresh when this installation already uses them, as a copy beside its original does.
    renew: tuple[tuple[str, Callable[[], Any]], ...] = ()
    # Rows the workspace may hold before a restore (those of members it keeps, who restore into
    # a workspace they just created), which the file's replace.
    replaces: bool = False
    # The format version that added the section; a file of an older version lacks it.
    since: int = 1
    # Secrets of the model (a webhook's signing secret) that never leave the installation: a
    # restore lets the model make new ones, and says so.
    secrets: tuple[str, ...] = ()

    @property
    def singular(self) -> str:
        return SINGULAR[self.name]


def _fail(where: str, key: str, problem: str) -> RestoreError:
    return RestoreError(f"{where}.{key} {problem}.")


def _after(start: str, end: str, what: str) -> Check:
    """A check that `end` comes after `start`, as the model's check constraint requires."""

    def check(values: Mapping[str, Any], where: str) -> None:
        if values[end] <= values[start]:
            raise _fail(where, end, f"is not after {start}; {what}")

    return check


def _one_day_kind(values: Mapping[str, Any], where: str) -> None:
    if (values["weekday"] is None) == (values["on_date"] is None):
        raise RestoreError(
            f"{where} must have either a weekday (every week) or an on_date (once), not both"
            " or neither."
        )


User = get_user_model()

WORKSPACE_FIELDS: Sequence[Field] = (
    text_of(Workspace, "name"),
    text_of(Workspace, "slug"),
    Moment("created_at", "created_at"),
)

# Members name their user by email and username, never by primary key or password hash: the
# file must restore into another installation, and a password must never leave this one.
MEMBER_FIELDS: Sequence[Field] = (
    text_of(User, "email", attr="user__email"),
    text_of(User, "username", attr="user__username"),
    text_of(User, "first_name", attr="user__first_name"),
    text_of(User, "last_name", attr="user__last_name"),
    Moment("date_joined", "user__date_joined"),
    Choice("role", "role", choices_of(Role)),
    Moment("created_at", "created_at"),
)

ACCOUNT_FIELDS: Sequence[Field] = (
    text_of(Account, "name"),
    text_of(Account, "segment"),
    text_of(Account, "plan"),
    money_of(Account, "revenue"),
    text_of(Account, "region"),
    Choice("lifecycle", "lifecycle", choices_of(Lifecycle)),
    Moment("created_at", "created_at"),
)

CONTACT_FIELDS: Sequence[Field] = (
    Ref("account", "account_id", "accounts"),
    text_of(Contact, "name"),
    text_of(Contact, "email"),
    text_of(Contact, "role"),
    Flag("research_consent", "research_consent"),
    Day("last_contacted", "last_contacted", nullable=True),
    Moment("created_at", "created_at"),
)

TAG_FIELDS: Sequence[Field] = (text_of(Tag, "name"),)

EVIDENCE_FIELDS: Sequence[Field] = (
    text_of(Evidence, "text"),
    Moment("occurred_at", "occurred_at"),
    Choice("channel", "channel", choices_of(Channel)),
    Ref("account", "account_id", "accounts"),
    Ref("contact", "contact_id", "contacts"),
    Ref("captured_by", "captured_by_id", "members"),
    Choice("provenance", "provenance", choices_of(Provenance)),
    text_of(Evidence, "relayed_by"),
    text_of(Evidence, "source"),
    text_of(Evidence, "external_id"),
    text_of(Evidence, "source_url"),
    Refs("tags", "tags", "tags", EvidenceTag, "evidence_id", "tag_id"),
    Moment("created_at", "created_at"),
    # Added in version 5: what the item is (synthesis's guess or a person's correction, which
    # a restored workspace's synthesis keeps) and the score it came with.
    Choice("kind", "kind", ("", *choices_of(Kind)), since=5),
    Flag("kind_corrected", "kind_corrected", since=5),
    Float("kind_confidence", "kind_confidence", nullable=True, since=5),
    Float("score", "score", nullable=True, since=5),
    Choice("score_scale", "score_scale", ("", *choices_of(ScoreScale)), since=5),
)

_CORE = (
    Section("members", Member, MEMBER_FIELDS),
    Section("accounts", Account, ACCOUNT_FIELDS),
    Section("contacts", Contact, CONTACT_FIELDS),
    Section("tags", Tag, TAG_FIELDS, order=("pk",)),
    # The inbox index (workspace, -occurred_at, -id) read backwards serves this order, so even
    # a million items stream without a sort.
    Section("evidence", Evidence, EVIDENCE_FIELDS, order=("occurred_at", "pk")),
    # Added in version 7: how the columns of a tool's export were read, saved by name.
    Section(
        "import_columns",
        ImportColumns,
        (
            text_of(ImportColumns, "name"),
            Json("fields", "fields"),
            Strings("ignore", "ignore"),
            MaybeFlag("dayfirst", "dayfirst"),
            Ref("saved_by", "saved_by_id", "members"),
            Moment("saved_at", "saved_at"),
        ),
        order=("saved_at", "pk"),
        unique=(Unique(("name",), "saved sets of import columns need different names"),),
        since=7,
    ),
)

# Added in version 2: everything people write in the workspace besides customers and evidence.
_LATER = (
    Section(
        "exposure_preferences",
        interviews.ExposurePreference,
        (
            Ref("member", "member_id", "members", nullable=False),
            Flag("nudge", "nudge"),
            Moment("last_nudged_at", "last_nudged_at", nullable=True),
        ),
        order=("pk",),
        scope="member__workspace",
        unique=(Unique(("member_id",), "a member has one exposure preference"),),
        replaces=True,
        since=2,
    ),
    # What synthesis computes from the evidence (keywords, quotes, score, profile, centroid,
    # duplicates) is left out: a refresh after the restore recomputes it. What the PM decided,
    # and where each item was placed, is kept.
    Section(
        "problems",
        problems.Problem,
        (
            text_of(problems.Problem, "title"),
            text_of(problems.Problem, "statement"),
            Choice("status", "status", choices_of(problems.Status)),
            Flag("title_edited", "title_edited"),
            Flag("pinned", "pinned"),
            Flag("dismissed", "dismissed"),
            Flag("candidate", "candidate"),
            Flag("praise", "praise"),
            Moment("created_at", "created_at"),
            Moment("updated_at", "updated_at"),
        ),
        since=2,
    ),
    Section(
        "problem_evidence",
        problems.ProblemEvidence,
        (
            Ref("problem", "problem_id", "problems", nullable=False),
            Ref("evidence", "evidence_id", "evidence", nullable=False),
            Choice("placed_by", "placed_by", choices_of(problems.PlacedBy)),
        ),
        order=("pk",),
        scope="problem__workspace",
        unique=(Unique(("evidence_id",), "an evidence item backs one problem at most"),),
        since=2,
    ),
    # Added in version 6: the history of the PM's edits to problems, for reading. What undo
    # needs (history.snapshot) names rows by this installation's ids and stays behind: a
    # restore is a new start, from which edits are undone again.
    Section(
        "problem_edits",
        problems.ProblemEdit,
        (
            Choice("kind", "kind", choices_of(problems.EditKind)),
            text_of(problems.ProblemEdit, "summary"),
            Ref("made_by", "made_by_id", "members"),
            Moment("made_at", "made_at"),
            Moment("undone_at", "undone_at", nullable=True),
            Ref("undone_by", "undone_by_id", "members"),
        ),
        order=("made_at", "pk"),
        since=6,
    ),
    Section(
        "guides",
        interviews.Guide,
        (
            text_of(interviews.Guide, "name"),
            Choice("kind", "kind", choices_of(interviews.Kind)),
            text_of(interviews.Guide, "body"),
            Flag("is_default", "is_default"),
            Moment("created_at", "created_at"),
            Moment("updated_at", "updated_at"),
        ),
        unique=(Unique(("name",), "guide names must differ"),),
        since=2,
    ),
    Section(
        "interviews",
        interviews.Interview,
        (
            Choice("kind", "kind", choices_of(interviews.Kind)),
            text_of(interviews.Interview, "goal"),
            Ref("guide", "guide_id", "guides"),
            Refs(
                "contacts",
                "contacts",
                "contacts",
                interviews.Interview.contacts.through,
                "interview_id",
                "contact_id",
            ),
            Refs(
                "attendees",
                "attendees",
                "members",
                interviews.Interview.attendees.through,
                "interview_id",
                "member_id",
            ),
            Moment("scheduled_at", "scheduled_at"),
            number_of(
                interviews.Interview,
                "duration_minutes",
                minimum=1,
                maximum=interviews.MAX_DURATION_MINUTES,
            ),
            Choice("status", "status", choices_of(interviews.Status)),
            text_of(interviews.Interview, "notes"),
            text_of(interviews.Interview, "transcript"),
            text_of(interviews.Interview, "transcript_filename"),
            text_of(interviews.Interview, "surprises"),
            text_of(interviews.Interview, "assumptions_touched"),
            Ref("created_by", "created_by_id", "members"),
            Moment("created_at", "created_at"),
            Moment("updated_at", "updated_at"),
        ),
        since=2,
    ),
    Section(
        "highlights",
        interviews.Highlight,
        (
            Ref("interview", "interview_id", "interviews", nullable=False),
            Ref("evidence", "evidence_id", "evidence", nullable=False),
            Choice("source", "source", choices_of(interviews.Source)),
            number_of(interviews.Highlight, "start"),
            number_of(interviews.Highlight, "end"),
            Ref("contact", "contact_id", "contacts"),
            Moment("created_at", "created_at"),
        ),
        order=("pk",),
        scope="interview__workspace",
        checks=(_after("start", "end", "a highlight spans at least one character"),),
        unique=(Unique(("evidence_id",), "an evidence item comes from one highlight at most"),),
        since=2,
    ),
    Section(
        "hypotheses",
        hypotheses.Hypothesis,
        (
            text_of(hypotheses.Hypothesis, "statement"),
            Choice("kind", "kind", choices_of(hypotheses.Kind)),
            number_of(
                hypotheses.Hypothesis,
                "importance",
                minimum=hypotheses.SCORE_MIN,
                maximum=hypotheses.SCORE_MAX,
            ),
            number_of(
                hypotheses.Hypothesis,
                "evidence_strength",
                minimum=hypotheses.SCORE_MIN,
                maximum=hypotheses.SCORE_MAX,
            ),
            Choice("status", "status", choices_of(hypotheses.Status)),
            Refs(
                "problems",
                "problems",
                "problems",
                hypotheses.HypothesisProblem,
                "hypothesis_id",
                "problem_id",
            ),
            Refs(
                "evidence",
                "evidence",
                "evidence",
                hypotheses.HypothesisEvidence,
                "hypothesis_id",
                "evidence_id",
            ),
            Ref("owner", "owner_id", "members"),
            Moment("created_at", "created_at"),
            Moment("updated_at", "updated_at"),
        ),
        since=2,
    ),
    Section(
        "experiments",
        hypotheses.Experiment,
        (
            Ref("hypothesis", "hypothesis_id", "hypotheses", nullable=False),
            text_of(hypotheses.Experiment, "test"),
            text_of(hypotheses.Experiment, "metric"),
            text_of(hypotheses.Experiment, "criterion"),
            text_of(hypotheses.Experiment, "cost"),
            number_of(hypotheses.Experiment, "duration_days"),
            Choice("status", "status", choices_of(hypotheses.ExperimentStatus)),
            Ref("created_by", "created_by_id", "members"),
            Moment("created_at", "created_at"),
            Moment("updated_at", "updated_at"),
            Moment("started_at", "started_at", nullable=True),
            Moment("concluded_at", "concluded_at", nullable=True),
        ),
        scope="hypothesis__workspace",
        since=2,
    ),
    Section(
        "learning_cards",
        hypotheses.LearningCard,
        (
            Ref("experiment", "experiment_id", "experiments", nullable=False),
            text_of(hypotheses.LearningCard, "observation"),
            text_of(hypotheses.LearningCard, "learning"),
            text_of(hypotheses.LearningCard, "decision"),
            Choice("outcome", "outcome", choices_of(hypotheses.Outcome)),
            Refs(
                "evidence",
                "evidence",
                "evidence",
                hypotheses.LearningEvidence,
                "learning_id",
                "evidence_id",
            ),
            Ref("recorded_by", "recorded_by_id", "members"),
            Moment("recorded_at", "recorded_at"),
        ),
        order=("recorded_at", "pk"),
        scope="experiment__hypothesis__workspace",
        unique=(Unique(("experiment_id",), "an experiment has one learning card at most"),),
        since=2,
    ),
    Section(
        "hypothesis_changes",
        hypotheses.StatusChange,
        (
            Ref("hypothesis", "hypothesis_id", "hypotheses", nullable=False),
            Choice("from_status", "from_status", choices_of(hypotheses.Status)),
            Choice("to_status", "to_status", choices_of(hypotheses.Status)),
            Ref("changed_by", "changed_by_id", "members"),
            Moment("changed_at", "changed_at"),
            Ref("experiment", "experiment_id", "experiments"),
        ),
        order=("changed_at", "pk"),
        since=2,
    ),
    Section(
        "hypothesis_interviews",
        hypotheses.HypothesisInterview,
        (
            Ref("hypothesis", "hypothesis_id", "hypotheses", nullable=False),
            Ref("interview", "interview_id", "interviews", nullable=False),
        ),
        order=("pk",),
        scope="hypothesis__workspace",
        unique=(
            Unique(("hypothesis_id", "interview_id"), "an interview touches an assumption once"),
        ),
        since=4,
    ),
    Section(
        "availabilities",
        booking.Availability,
        (
            Ref("member", "member_id", "members", nullable=False),
            Choice("purpose", "purpose", choices_of(booking.Purpose)),
            text_of(booking.Availability, "title"),
            text_of(booking.Availability, "description"),
            Zone("time_zone", "time_zone"),
            number_of(booking.Availability, "slot_minutes", minimum=1),
            number_of(booking.Availability, "buffer_minutes"),
            text_of(booking.Availability, "token"),
            Flag("active", "active"),
            Moment("created_at", "created_at"),
        ),
        unique=(Unique(("token",), "each schedule has its own link"),),
        renew=(("token", booking.new_token),),
        since=2,
    ),
    Section(
        "windows",
        booking.Window,
        (
            Ref("availability", "availability_id", "availabilities", nullable=False),
            Number("weekday", "weekday", minimum=0, maximum=6, nullable=True),
            Day("on_date", "on_date", nullable=True),
            Clock("starts", "starts"),
            Clock("ends", "ends"),
        ),
        order=("pk",),
        scope="availability__workspace",
        checks=(_one_day_kind, _after("starts", "ends", "a window lasts some time")),
        since=2,
    ),
    Section(
        "bookings",
        booking.Booking,
        (
            Ref("availability", "availability_id", "availabilities"),
            Ref("member", "member_id", "members", nullable=False),
            Choice("purpose", "purpose", choices_of(booking.Purpose)),
            Moment("starts_at", "starts_at"),
            Moment("ends_at", "ends_at"),
            text_of(booking.Booking, "booker_name"),
            text_of(booking.Booking, "booker_email"),
            Zone("booker_time_zone", "booker_time_zone"),
            text_of(booking.Booking, "note"),
            Choice("status", "status", choices_of(booking.BookingStatus)),
            Uuid("uid", "uid"),
            number_of(booking.Booking, "sequence"),
            Moment("remind_at", "remind_at", nullable=True),
            Moment("reminder_sent_at", "reminder_sent_at", nullable=True),
            Moment("created_at", "created_at"),
            Moment("cancelled_at", "cancelled_at", nullable=True),
        ),
        checks=(_after("starts_at", "ends_at", "a booking lasts some time"),),
        unique=(
            Unique(("uid",), "each booking is its own calendar event"),
            Unique(
                ("member_id", "starts_at"),
                "a member has one confirmed booking at a time",
                when={"status": booking.BookingStatus.CONFIRMED},
            ),
        ),
        renew=(("uid", uuid.uuid4),),
        since=2,
    ),
    Section(
        "campaigns",
        recruiting.Campaign,
        (
            text_of(recruiting.Campaign, "name"),
            text_of(recruiting.Campaign, "goal"),
            Choice("interview_kind", "interview_kind", choices_of(interviews.Kind)),
            text_of(recruiting.Campaign, "public_intro"),
            text_of(recruiting.Campaign, "token"),
            Flag("is_open", "is_open"),
            Ref("availability", "availability_id", "availabilities"),
            Ref("created_by", "created_by_id", "members"),
            Moment("created_at", "created_at"),
        ),
        unique=(Unique(("token",), "each campaign has its own sign-up link"),),
        renew=(("token", recruiting.new_token),),
        since=2,
    ),
    Section(
        "campaign_quotas",
        recruiting.CampaignQuota,
        (
            Ref("campaign", "campaign_id", "campaigns", nullable=False),
            text_of(recruiting.CampaignQuota, "segment"),
            number_of(recruiting.CampaignQuota, "quota"),
        ),
        order=("pk",),
        scope="campaign__workspace",
        unique=(Unique(("campaign_id", "segment"), "a campaign has one quota per segment"),),
        since=2,
    ),
    Section(
        "screener_questions",
        recruiting.ScreenerQuestion,
        (
            Ref("campaign", "campaign_id", "campaigns", nullable=False),
            number_of(recruiting.ScreenerQuestion, "position"),
            text_of(recruiting.ScreenerQuestion, "text"),
            Choice("kind", "kind", choices_of(recruiting.QuestionKind)),
            Strings("choices", "choices"),
            Strings("qualifying", "qualifying"),
        ),
        order=("pk",),
        scope="campaign__workspace",
        since=2,
    ),
    Section(
        "candidates",
        recruiting.Candidate,
        (
            Ref("campaign", "campaign_id", "campaigns", nullable=False),
            Ref("contact", "contact_id", "contacts", nullable=False),
            text_of(recruiting.Candidate, "segment"),
            Answers("answers", "answers"),
            Choice("status", "status", choices_of(recruiting.CandidateStatus)),
            Choice("source", "source", choices_of(recruiting.Source)),
            text_of(recruiting.Candidate, "screening_note"),
            Ref("booking", "booking_id", "bookings"),
            Ref("interview", "interview_id", "interviews"),
            Moment("invited_at", "invited_at", nullable=True),
            Moment("screened_at", "screened_at", nullable=True),
            Moment("created_at", "created_at"),
        ),
        unique=(
            Unique(("campaign_id", "contact_id"), "a contact is a candidate of a campaign once"),
            Unique(("booking_id",), "a booking belongs to one candidate at most"),
        ),
        since=2,
    ),
)


def _override_has_reason(values: Mapping[str, Any], where: str) -> None:
    if values["score_override"] is not None and not values["override_reason"]:
        raise RestoreError(
            f"{where}.override_reason is empty but score_override is set; a score set by hand"
            " always says why."
        )


def _rice(values: Mapping[str, Any], where: str) -> None:
    if values["effort"] <= 0:
        raise _fail(where, "effort", f"is {values['effort']}; it must be above 0 (person-weeks)")
    if values["impact"] not in roadmap.IMPACTS:
        allowed = ", ".join(str(impact) for impact in roadmap.IMPACTS)
        raise _fail(where, "impact", f"is {values['impact']}; it must be one of {allowed}")


def _blank_or(choices: type[models.TextChoices]) -> tuple[str, ...]:
    return ("", *choices_of(choices))


# Added in version 3: the roadmap, the customer portal, webhooks and briefs.
_NEWER = (
    Section(
        "goals",
        roadmap.Goal,
        (
            text_of(roadmap.Goal, "objective"),
            text_of(roadmap.Goal, "description"),
            Ref("owner", "owner_id", "members"),
            text_of(roadmap.Goal, "period"),
            Day("due_on", "due_on", nullable=True),
            Choice("status", "status", choices_of(roadmap.GoalStatus)),
            Moment("created_at", "created_at"),
            Moment("updated_at", "updated_at"),
        ),
        since=3,
    ),
    Section(
        "key_results",
        roadmap.KeyResult,
        (
            Ref("goal", "goal_id", "goals", nullable=False),
            text_of(roadmap.KeyResult, "metric"),
            text_of(roadmap.KeyResult, "unit"),
            Float("baseline", "baseline"),
            Float("target", "target"),
            Float("current", "current"),
            Day("due_on", "due_on", nullable=True),
            number_of(roadmap.KeyResult, "position"),
            Moment("updated_at", "updated_at"),
        ),
        order=("pk",),
        scope="goal__workspace",
        since=3,
    ),
    # The score the roadmap computes from the linked problems' evidence (figures, score,
    # explanation, scored_at) is left out: the restore counts it again. What people entered,
    # the override and its reason included, is kept.
    Section(
        "initiatives",
        roadmap.Initiative,
        (
            text_of(roadmap.Initiative, "title"),
            text_of(roadmap.Initiative, "description"),
            Choice("horizon", "horizon", choices_of(roadmap.Horizon)),
            Choice("status", "status", choices_of(roadmap.InitiativeStatus)),
            Refs(
                "problems",
                "problems",
                "problems",
                roadmap.InitiativeProblem,
                "initiative_id",
                "problem_id",
            ),
            Refs("goals", "goals", "goals", roadmap.InitiativeGoal, "initiative_id", "goal_id"),
            Refs(
                "evidence",
                "evidence",
                "evidence",
                roadmap.InitiativeEvidence,
                "initiative_id",
                "evidence_id",
            ),
            Float("effort", "effort"),
            Float("impact", "impact"),
            text_of(roadmap.Initiative, "external_url"),
            Ref("owner", "owner_id", "members"),
            Float("score_override", "score_override", nullable=True),
            text_of(roadmap.Initiative, "override_reason"),
            Moment("created_at", "created_at"),
            Moment("updated_at", "updated_at"),
        ),
        checks=(_rice, _override_has_reason),
        since=3,
    ),
    Section(
        "roadmap_moves",
        roadmap.Move,
        (
            Ref("initiative", "initiative_id", "initiatives", nullable=False),
            Choice("from_horizon", "from_horizon", _blank_or(roadmap.Horizon)),
            Choice("to_horizon", "to_horizon", choices_of(roadmap.Horizon)),
            Choice("from_status", "from_status", _blank_or(roadmap.InitiativeStatus)),
            Choice("to_status", "to_status", choices_of(roadmap.InitiativeStatus)),
            text_of(roadmap.Move, "reason"),
            Ref("moved_by", "moved_by_id", "members"),
            Moment("moved_at", "moved_at"),
        ),
        order=("moved_at", "pk"),
        since=3,
    ),
    Section(
        "portal_settings",
        portal.PortalSettings,
        (
            Flag("enabled", "enabled"),
            Choice("access", "access", choices_of(portal.Access)),
            Flag("moderation", "moderation"),
            text_of(portal.PortalSettings, "title"),
            text_of(portal.PortalSettings, "intro"),
            Moment("updated_at", "updated_at"),
        ),
        order=("pk",),
        unique=(Unique(("workspace_id",), "a workspace has one portal"),),
        # Opening the portal's settings page makes them, which must not make the workspace
        # "not empty"; the file's replace them.
        replaces=True,
        since=3,
    ),
    # A post's vote_count is kept in step with its votes; the restore counts them again.
    Section(
        "portal_posts",
        portal.Post,
        (
            text_of(portal.Post, "title"),
            text_of(portal.Post, "body"),
            Choice("kind", "kind", choices_of(portal.Kind)),
            Ref("contact", "contact_id", "contacts"),
            Choice("status", "status", choices_of(portal.PostStatus)),
            SelfRef("merged_into", "merged_into_id", "portal_posts"),
            Ref("problem", "problem_id", "problems"),
            Ref("evidence", "evidence_id", "evidence"),
            Moment("created_at", "created_at"),
            Moment("published_at", "published_at", nullable=True),
            Moment("moderated_at", "moderated_at", nullable=True),
            Ref("moderated_by", "moderated_by_id", "members"),
        ),
        unique=(Unique(("evidence_id",), "an evidence item is the words of one post at most"),),
        since=3,
    ),
    Section(
        "portal_votes",
        portal.Vote,
        (
            Ref("post", "post_id", "portal_posts", nullable=False),
            Ref("contact", "contact_id", "contacts", nullable=False),
            Moment("created_at", "created_at"),
        ),
        order=("pk",),
        scope="post__workspace",
        unique=(Unique(("post_id", "contact_id"), "a contact votes for a post once"),),
        since=3,
    ),
    Section(
        "portal_comments",
        portal.Comment,
        (
            Ref("post", "post_id", "portal_posts", nullable=False),
            Ref("contact", "contact_id", "contacts"),
            text_of(portal.Comment, "body"),
            Choice("status", "status", choices_of(portal.CommentStatus)),
            Moment("created_at", "created_at"),
            Moment("moderated_at", "moderated_at", nullable=True),
        ),
        scope="post__workspace",
        since=3,
    ),
    Section(
        "portal_opt_outs",
        portal.OptOut,
        (
            Ref("contact", "contact_id", "contacts", nullable=False),
            Ref("post", "post_id", "portal_posts"),
            Moment("created_at", "created_at"),
        ),
        order=("pk",),
        scope="contact__workspace",
        unique=(
            Unique(("contact_id", "post_id"), "a contact opts out of a post's email once"),
            Unique(
                ("contact_id",),
                "a contact opts out of all portal email once",
                when={"post_id": None},
            ),
        ),
        since=3,
    ),
    # Notices already sent are kept, so that a restored workspace does not email the same news
    # to the same customers again.
    Section(
        "portal_notices",
        portal.Notice,
        (
            Ref("post", "post_id", "portal_posts", nullable=False),
            NoticeKey("key", "key", portal.Notice._meta.get_field("key").max_length or 80),
            text_of(portal.Notice, "headline"),
            text_of(portal.Notice, "detail"),
            Moment("created_at", "created_at"),
            Moment("claimed_at", "claimed_at", nullable=True),
            Moment("sent_at", "sent_at", nullable=True),
            number_of(portal.Notice, "recipients"),
        ),
        order=("pk",),
        scope="post__workspace",
        unique=(Unique(("post_id", "key"), "a post's news is announced once"),),
        since=3,
    ),
    # The signing secret never leaves the installation: a restored endpoint gets a new one
    # (its receiver must be given it). The count of failures in a row starts again at 0, and
    # the deliveries (a log of what was sent from the old installation) stay behind.
    Section(
        "webhook_endpoints",
        integrations.Endpoint,
        (
            text_of(integrations.Endpoint, "name"),
            text_of(integrations.Endpoint, "url"),
            Choice("kind", "kind", choices_of(integrations.Kind)),
            Strings("events", "events"),
            Flag("active", "active"),
            text_of(integrations.Endpoint, "disabled_reason"),
            Moment("disabled_at", "disabled_at", nullable=True),
            Ref("created_by", "created_by_id", "members"),
            Moment("created_at", "created_at"),
            Moment("updated_at", "updated_at"),
        ),
        secrets=("secret",),
        since=3,
    ),
    Section(
        "brief_schedules",
        briefs.BriefSchedule,
        (
            Choice("audience", "audience", choices_of(briefs.Audience)),
            number_of(
                briefs.BriefSchedule, "period_days", minimum=1, maximum=briefs.MAX_PERIOD_DAYS
            ),
            number_of(briefs.BriefSchedule, "weekday", maximum=6),
            Clock("time_of_day", "time_of_day"),
            Refs(
                "members",
                "members",
                "members",
                briefs.BriefRecipient,
                "schedule_id",
                "member_id",
            ),
            Strings("emails", "emails"),
            Flag("post_to_chat", "post_to_chat"),
            Flag("active", "active"),
            Moment("next_run_at", "next_run_at", nullable=True),
            Ref("created_by", "created_by_id", "members"),
            Moment("created_at", "created_at"),
            Moment("updated_at", "updated_at"),
        ),
        since=3,
    ),
    # A brief is a snapshot of what it showed the day it was made, kept as written.
    Section(
        "briefs",
        briefs.Brief,
        (
            Choice("audience", "audience", choices_of(briefs.Audience)),
            text_of(briefs.Brief, "title"),
            Moment("period_start", "period_start"),
            Moment("period_end", "period_end"),
            text_of(briefs.Brief, "period_label"),
            Moment("generated_at", "generated_at"),
            Ref("created_by", "created_by_id", "members"),
            Ref("schedule", "schedule_id", "brief_schedules"),
            Json("content", "content"),
        ),
        order=("generated_at", "pk"),
        checks=(_after("period_start", "period_end", "a brief covers some time"),),
        since=3,
    ),
)

# The sections in the order they appear in the file. A section only refers to sections before
# it, which is what lets restore read the file once, front to back, in bounded memory.
ALL_SECTIONS: tuple[Section, ...] = (*_CORE, *_LATER, *_NEWER)
SECTION = {section.name: section for section in ALL_SECTIONS}
SECTIONS = tuple(section.name for section in ALL_SECTIONS)
TOP_LEVEL_KEYS = (*HEADER_KEYS, *SECTIONS)
FIELDS: Mapping[str, Sequence[Field]] = {s.name: s.fields for s in ALL_SECTIONS}


def sections_of(version: int) -> tuple[Section, ...]:
    """The sections a file of format `version` has, in order."""
    return tuple(section for section in ALL_SECTIONS if section.since <= version)


def dump_item(
    fields: Sequence[Field], local_id: int | None, row: Mapping[str, Any], ids: IdMaps
) -> dict[str, Any]:
    """One item as written to the file: its id first, then its fields in table order."""
    item: dict[str, Any] = {} if local_id is None else {"id": local_id}
    for column in fields:
        item[column.key] = column.dump(row[column.attr], ids)
    return item


def load_item(
    fields: Sequence[Field],
    item: Any,
    where: str,
    ids: IdMaps,
    *,
    with_id: bool = True,
    version: int = VERSION,
) -> dict[str, Any]:
    """An item of the file checked and converted to model values keyed by `attr`.

    Keys added after the file's format `version` are not expected in it; the model's defaults
    fill them.
    """
    if not isinstance(item, dict):
        raise RestoreError(f"{where} is {describe(item)}; it must be an object.")
    fields = [column for column in fields if column.since <= version]
    values: dict[str, Any] = {}
    for column in fields:
        try:
            raw = item[column.key]
        except KeyError:
            raise RestoreError(
                f'{where} has no "{column.key}"; every {_noun(where)} needs one'
                " (the export format lists them all)."
            ) from None
        values[column.attr] = column.load(raw, where, ids)
    if len(item) != len(fields) + with_id:
        known = {column.key for column in fields} | ({"id"} if with_id else set())
        unknown = [key for key in item if key not in known]
        raise RestoreError(
            f'{where} has "{unknown[0]}", which format version {version} does not define;'
            " was the file written by a newer problemspace, or edited by hand?"
        )
    return values


def _noun(where: str) -> str:
    section = where.partition("[")[0]
    return SINGULAR.get(section, section)
