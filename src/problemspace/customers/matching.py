"""Finding the customer behind a form someone filled in themselves (a recruiting sign-up, a
portal post): the contact by email, whatever its case, and the account by company name,
whatever its case; each made when there is none.

Call it inside a transaction: the contact row is locked (on PostgreSQL) so two forms sent at
once by the same person do not race to create or update it. What a contact already has (name,
role, account) is kept: a form filled in by anyone who knows an address must not rename a
customer the team knows.
"""

from __future__ import annotations

from problemspace.customers.models import Account, Contact


def match_contact(
    workspace_id: int,
    email: str,
    *,
    name: str = "",
    company: str = "",
    role: str = "",
    segment: str = "",
) -> Contact:
    """The workspace's contact with `email`, filled in where blank; unsaved changes are saved.

    A new account made for `company` gets `segment` (the caller has checked it).
    """
    email = email.strip()
    contact = (
        Contact.objects.select_for_update(of=("self",))
        .select_related("account")
        .filter(workspace_id=workspace_id, email__iexact=email)
        .first()
    )
    if contact is None:
        contact = Contact(workspace_id=workspace_id, email=email.lower())
    if not contact.name and name.strip():
        contact.name = name.strip()
    if not contact.role and role.strip():
        contact.role = role.strip()
    company = company.strip()
    if contact.account_id is None and company:
        account = Account.objects.filter(workspace_id=workspace_id, name__iexact=company).first()
        if account is None:
            account = Account.objects.create(
                workspace_id=workspace_id, name=company, segment=segment
            )
        contact.account = account
    contact.save()
    return contact
