"""Customers: the organisations that have problems, and the people there who tell us about them."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from problemspace.workspaces.models import Workspace


class Lifecycle(models.TextChoices):
    PROSPECT = "prospect", "Prospect"
    TRIAL = "trial", "Trial"
    CUSTOMER = "customer", "Customer"
    CHURNED = "churned", "Churned"


class Account(models.Model):
    """A customer organisation. Revenue is annual recurring revenue in the workspace's currency."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="accounts")
    name = models.CharField(max_length=200)
    segment = models.CharField(max_length=80, blank=True)
    plan = models.CharField(max_length=80, blank=True)
    revenue = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    region = models.CharField(max_length=80, blank=True)
    lifecycle = models.CharField(
        max_length=16, choices=Lifecycle.choices, default=Lifecycle.CUSTOMER
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # Imports match accounts by name whatever its case, so the database must agree.
            models.UniqueConstraint(
                "workspace", Lower("name"), name="account_name_unique_per_workspace"
            )
        ]
        indexes = [models.Index(fields=["workspace", "segment"])]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A person at a customer. Consent says whether we may ask them for research interviews."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="contacts")
    account = models.ForeignKey(
        Account, on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts"
    )
    name = models.CharField(max_length=200, blank=True)
    # NULL, not "", for "no email": the unique constraint must allow many contacts without one.
    email = models.EmailField(max_length=254, null=True, blank=True)  # noqa: DJ001
    role = models.CharField(max_length=120, blank=True)
    research_consent = models.BooleanField(default=False)
    last_contacted = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "workspace", Lower("email"), name="contact_email_unique_per_workspace"
            )
        ]
        ordering = ["name", "email"]

    def __str__(self) -> str:
        return self.name or self.email or f"contact {self.pk}"
