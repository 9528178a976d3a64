"""Evidence: one customer signal, verbatim, with where it came from and who heard it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from problemspace.customers.models import Account, Contact
from problemspace.workspaces.models import Member, Workspace

# Long enough for a support thread or an interview excerpt; anything longer is a document, and
# keeping rows bounded keeps the inbox, exports and embeddings predictable.
MAX_TEXT_LENGTH = 20_000


class Channel(models.TextChoices):
    INTERVIEW = "interview", "Interview"
    SUPPORT = "support", "Support ticket"
    SALES_CALL = "sales_call", "Sales call"
    SURVEY = "survey", "Survey"
    REVIEW = "review", "Review"
    PORTAL = "portal", "Portal"
    EMAIL = "email", "Email"
    COMMUNITY = "community", "Community"
    SOCIAL = "social", "Social media"
    OTHER = "other", "Other"


class Provenance(models.TextChoices):
    FIRST_HAND = "first_hand", "First-hand"
    RELAYED = "relayed", "Relayed"


class Kind(models.TextChoices):
    """What a piece of feedback is (synthesis/kinds.py decides it; a person can correct it).

    Only problems, requests and questions are grouped into ranked problems; praise groups into
    what customers value; "other" (nothing said: "n/a", "test", a rating without words) is set
    aside in a view of its own.
    """

    PROBLEM = "problem", "Problem"
    REQUEST = "request", "Request"
    QUESTION = "question", "Question"
    PRAISE = "praise", "Praise"
    OTHER = "other", "No content"


class ScoreScale(models.TextChoices):
    """The scale a score on an item was given on, with its bounds (`SCORE_RANGES`)."""

    STARS = "stars", "Stars (1-5)"
    NPS = "nps", "NPS (0-10)"
    CSAT = "csat", "CSAT (1-5)"


SCORE_RANGES: dict[str, tuple[float, float]] = {
    ScoreScale.STARS: (1, 5),
    ScoreScale.NPS: (0, 10),
    ScoreScale.CSAT: (1, 5),
}


def score_fraction(score: float | None, scale: str) -> float | None:
    """A score as a share of its scale (0 the worst, 1 the best), or None without one."""
    if score is None or scale not in SCORE_RANGES:
        return None
    low, high = SCORE_RANGES[scale]
    return (score - low) / (high - low)


class Tag(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=60)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="tag_unique_per_workspace")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Evidence(models.Model):
    """A customer signal stored exactly as it was said or written.

    Provenance is the heart of it: `first_hand` means the person who captured it heard the
    customer directly; `relayed` means it reached us through someone else (`relayed_by`), which
    is how sales and support filtering creeps in. Synthesis weighs the two differently.

    (`source`, `external_id`) identify the item in the system it was imported from, so that
    re-importing an export of that system changes nothing.
    """

    # No single-column indexes on workspace and account: the composite indexes below lead
    # with them, and every extra index slows bulk imports.
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="evidence", db_index=False
    )
    text = models.TextField()
    occurred_at = models.DateTimeField(db_index=False)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.OTHER)
    account = models.ForeignKey(
        Account,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence",
        db_index=False,
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="evidence"
    )
    captured_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="captured_evidence"
    )
    provenance = models.CharField(
        max_length=16, choices=Provenance.choices, default=Provenance.FIRST_HAND
    )
    relayed_by = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=64, default="manual")
    # What the feedback is; "" until synthesis first decides it. `kind_corrected` marks a
    # person's decision, which synthesis never overwrites.
    # Defaults in the database too: the bulk importer's COPY names only the columns it fills.
    kind = models.CharField(
        max_length=16, choices=Kind.choices, blank=True, default="", db_default=""
    )
    kind_corrected = models.BooleanField(default=False, db_default=False)
    # How sure synthesis was of `kind` (the classifier's probability), None for a person's.
    kind_confidence = models.FloatField(null=True, blank=True)
    # A star rating, NPS or CSAT score given with the feedback, on `score_scale`.
    score = models.FloatField(null=True, blank=True)
    score_scale = models.CharField(
        max_length=8, choices=ScoreScale.choices, blank=True, default="", db_default=""
    )
    # NULL, not "", for "no id": the unique constraint must allow many items without one.
    external_id = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001
    source_url = models.URLField(max_length=2000, blank=True)
    tags: models.ManyToManyField[Tag, EvidenceTag] = models.ManyToManyField(
        Tag, through="EvidenceTag", related_name="evidence", blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "source", "external_id"],
                name="evidence_external_id_unique_per_source",
            ),
            models.CheckConstraint(
                condition=models.Q(provenance="relayed") | models.Q(relayed_by=""),
                name="evidence_relayed_by_only_when_relayed",
            ),
            # A score always comes with its scale, and lies within it.
            models.CheckConstraint(
                condition=models.Q(score__isnull=True, score_scale="")
                | models.Q(score_scale="stars", score__gte=1, score__lte=5)
                | models.Q(score_scale="csat", score__gte=1, score__lte=5)
                | models.Q(score_scale="nps", score__gte=0, score__lte=10),
                name="evidence_score_within_its_scale",
            ),
        ]
        # The inbox pages newest-first by (occurred_at, id) with a keyset cursor, so it seeks to
        # its page however deep the cursor is. Filters on channel, provenance or segment walk
        # this same index and skip what does not match: each of those values covers a large
        # share of the evidence, and every extra index would slow imports for little gain.
        indexes = [
            models.Index(fields=["workspace", "-occurred_at", "-id"], name="evidence_inbox"),
            models.Index(fields=["account", "-occurred_at", "-id"], name="evidence_by_account"),
            # What synthesis set aside (kind "other"): counted on every inbox page and listed
            # on its own, without walking the workspace. Partial, so it stays small, and an
            # import (kind "" until synthesis runs) never writes to it.
            models.Index(
                fields=["workspace", "-occurred_at", "-id"],
                condition=models.Q(kind="other"),
                name="evidence_set_aside",
            ),
        ]
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_relayed(self) -> bool:
        return self.provenance == Provenance.RELAYED

    @property
    def score_fraction(self) -> float | None:
        return score_fraction(self.score, self.score_scale)


class EvidenceTag(models.Model):
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evidence", "tag"], name="evidence_tag_unique")
        ]

    def __str__(self) -> str:
        return f"{self.tag_id} on {self.evidence_id}"


class ImportColumns(models.Model):
    """How a tool's export was read, saved by name for its next export: which columns fill
    which field (`{"text": ["Pros", "Cons"], "occurred_at": ["Written on"]}`) and which are
    left out, as chosen on the import preview or with `import --save-columns NAME`."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="import_columns"
    )
    name = models.CharField(max_length=80)
    fields = models.JSONField(default=dict)  # field -> [columns]
    ignore = models.JSONField(default=list)  # columns left out
    dayfirst = models.BooleanField(null=True)  # None: read from the file's dates
    saved_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="import_columns_name")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def mapping(self) -> dict[str, str | list[str]]:
        """The saved fields as an import's mapping."""
        return {name: list(columns) for name, columns in self.fields.items() if columns}
