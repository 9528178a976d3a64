from __future__ import annotations

from functools import cache

from problemspace.customers.models import Account, Contact
from problemspace.evidence.models import Evidence, Provenance
from problemspace.synthesis.embedding import Embedder, default_embedder
from problemspace.synthesis.tests.scenario import bias_items
from problemspace.workspaces.models import Workspace


@cache
def embedder() -> Embedder:
    # The real model where the extra is installed (CI installs it); loaded once per process.
    return default_embedder()[0]


def load_bias_scenario(workspace: Workspace) -> tuple[set[int], set[int]]:
    """The scenario of synthesis/tests/scenario.py as evidence; (loud ids, broad ids)."""
    items, loud, _ = bias_items()
    accounts: dict[str, Account] = {}
    loud_ids: set[int] = set()
    broad_ids: set[int] = set()
    for item in items:
        assert item.account
        if item.account not in accounts:
            accounts[item.account] = Account.objects.create(
                workspace=workspace,
                name=item.account,
                segment=item.segment or "",
                revenue=item.revenue,
            )
        account = accounts[item.account]
        contact, _ = Contact.objects.get_or_create(
            workspace=workspace, account=account, name=f"Contact at {account.name}"
        )
        evidence = Evidence.objects.create(
            workspace=workspace,
            text=item.text,
            occurred_at=item.occurred_at,
            channel=item.channel,
            account=account,
            contact=contact,
            provenance=Provenance.FIRST_HAND if item.first_hand else Provenance.RELAYED,
            relayed_by="" if item.first_hand else "Sam (sales)",
        )
        (loud_ids if item.id in loud else broad_ids).add(evidence.pk)
    return loud_ids, broad_ids
