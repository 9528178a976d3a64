"""Finding the customer behind a form someone filled in themselves (a recruiting sign-up, a
portal post): the contact by email, whatever its case, and the account by company name,
whatever its case; each made when there is none.

Call it inside a transaction: the contact row is locked (on PostgreSQL) so two forms sent at
once by the same person do not race to create or update it. What a contact already has (name,
role, account) is kept: a form filled in by anyone who knows an address must not rename a
customer the team knows.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from django.db.models import Count

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


# Mail providers anyone can have an address at: their domain says nothing of the company.
PERSONAL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.de",
        "web.de",
        "mail.com",
        "yandex.ru",
        "qq.com",
        "163.com",
    }
)
_NOT_LETTERS = re.compile(r"[^a-z0-9]")


def account_for_email(workspace_id: int, email: str) -> Account | None:
    """The account an address's domain points to: the account most of the workspace's contacts
    at that domain belong to, else the one account whose name the domain spells
    (granitepeak.com: "Granite Peak Construction"); None for personal mail domains."""
    domain = email.rpartition("@")[2].strip().lower()
    if not domain or domain in PERSONAL_DOMAINS:
        return None
    by_contacts = (
        Contact.objects.filter(
            workspace_id=workspace_id, email__iendswith=f"@{domain}", account__isnull=False
        )
        .values("account_id")
        .annotate(n=Count("id"))
        .order_by("-n", "account_id")
        .first()
    )
    if by_contacts is not None:
        return Account.objects.get(pk=by_contacts["account_id"])
    label = _NOT_LETTERS.sub("", domain.rsplit(".", 1)[0].rsplit(".", 1)[-1])
    if len(label) < 4:
        return None
    spelled = [
        account
        for account in Account.objects.filter(workspace_id=workspace_id).only("id", "name")
        if _NOT_LETTERS.sub("", account.name.lower()).startswith(label)
    ]
    return spelled[0] if len(spelled) == 1 else None


def similar_accounts(workspace_id: int, name: str, limit: int = 3) -> list[Account]:
    """Existing accounts a new name may be meant as ("Granite Peak": "Granite Peak
    Construction"): one name starts the other, word for word, or they are nearly spelt alike."""
    wanted = _words(name)
    if not wanted:
        return []
    found: list[tuple[float, Account]] = []
    for account in Account.objects.filter(workspace_id=workspace_id).only("id", "name"):
        if account.name.strip().lower() == name.strip().lower():
            continue  # the account itself
        words = _words(account.name)
        shorter, longer = sorted((wanted, words), key=len)
        if shorter and longer[: len(shorter)] == shorter:
            found.append((1.0, account))
            continue
        ratio = SequenceMatcher(None, " ".join(wanted), " ".join(words)).ratio()
        if ratio >= SIMILAR:
            found.append((ratio, account))
    found.sort(key=lambda pair: (-pair[0], pair[1].name))
    return [account for _, account in found[:limit]]


# Names this alike (difflib's ratio) are likely one company spelt two ways ("Globex Corp",
# "Globex Corp."): chosen on typos and suffixes, not on different companies sharing a word.
SIMILAR = 0.88
_SUFFIXES = frozenset({"inc", "llc", "ltd", "gmbh", "ag", "sa", "bv", "corp", "co", "plc"})


def _words(name: str) -> list[str]:
    words = [w for w in re.split(r"[^a-z0-9]+", name.lower()) if w]
    while words and words[-1] in _SUFFIXES:
        words.pop()
    return words
