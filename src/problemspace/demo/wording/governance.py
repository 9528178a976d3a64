"""Wording for the problems of control: access, audit, tax forms, and firms with many clients."""

from __future__ import annotations

from problemspace.demo.wording.base import Wording

SSO_SCIM = Wording(
    topic="user provisioning",
    first_hand=(
        "We need SCIM provisioning with {idp}. Our IT policy doesn't allow manual user "
        "management for finance systems.",
        "When someone leaves, we deprovision them in {idp} but they still have a Ledgerly login. "
        "That's an audit finding waiting to happen.",
        "SSO works but it isn't enforced: users can still sign in with a password. We need "
        "SSO-only for everyone except one break-glass admin.",
        "Mapping {idp} groups to Ledgerly roles would save us creating users by hand every time "
        "finance hires someone.",
        "Our security review flagged the lack of SCIM. Renewal is in {next_month} and this needs "
        "an answer before then.",
        "We found {n} active Ledgerly users who left the company months ago. Please prioritise "
        "SCIM deprovisioning.",
    ),
    spoken=(
        "I'm the one who gets the ticket every time someone joins AP. I create them in {idp}, "
        "then again in Ledgerly, and then I forget to remove them when they leave. The auditors "
        "love that.",
        "For us it's a checkbox. Every finance system has to do SCIM and enforced SSO. I can't "
        "make an exception for one vendor, however good the product is.",
    ),
    short=("SCIM", "Enforce SSO", "SCIM provisioning via {idp}", "Automatic deprovisioning"),
    gists=(
        "they need SCIM provisioning with {idp} before renewal",
        "their security team found leavers who still have a Ledgerly login",
        "IT wants SSO enforced for everyone, with no password logins",
        "SCIM is a hard requirement in their vendor security review",
        "they want {idp} groups mapped to Ledgerly roles",
    ),
    asks=(
        "SCIM user provisioning",
        "SSO-only enforcement",
        "mapping of {idp} groups to Ledgerly roles",
    ),
    impacts=(
        "Our auditors will flag it again this year.",
        "It's blocking our security sign-off.",
    ),
    tags=("sso", "scim", "security", "enterprise"),
)

AUDIT_TRAIL = Wording(
    topic="the audit trail",
    first_hand=(
        "The audit log doesn't show who changed the bank details on a vendor. Our auditors asked "
        "and we couldn't answer.",
        "We need to see the before and after values when someone edits an invoice amount. The "
        "history just says 'edited'.",
        "Our auditors want the full approval history for the year in one file and there's no "
        "way to export it.",
        "Changes made through the {erp} sync don't show up in the audit trail at all.",
        "The activity log only goes back 90 days. Our retention policy is seven years.",
        "Year-end audit starts {weekday}. Is there any way to export who approved what, with "
        "timestamps, for the whole year?",
    ),
    spoken=(
        "Audit season, the auditors sit with us for a week, and half of it is me screenshotting "
        "approval histories because I can't export them.",
        "The scary one is bank details. If someone changes a vendor's bank account, I need to "
        "know who, when, and what it was before. Today I can't tell.",
    ),
    short=(
        "Full audit trail with old and new values",
        "Audit log export",
        "Longer audit log retention",
        "audit trail for vendor bank detail changes",
    ),
    gists=(
        "their auditors couldn't see who changed a vendor's bank details",
        "the audit trail doesn't show before and after values on invoice edits",
        "they need a full approval-history export for the year-end audit",
        "changes made by the {erp} sync are missing from the audit trail",
    ),
    asks=(
        "an audit log export for any date range",
        "before and after values on every change",
        "audit history kept for seven years",
    ),
    impacts=(
        "That didn't go down well with the audit partner.",
        "We failed a control test because of it.",
    ),
    tags=("audit", "compliance", "sox"),
)

VENDOR_TAX_FORMS = Wording(
    topic="vendor onboarding",
    first_hand=(
        "Collecting W-9s is still email ping-pong. We need vendors to upload their W-9 when "
        "they're onboarded.",
        "We can't pay a new vendor until we have their W-9, and there's nowhere in Ledgerly to "
        "request it or track it.",
        "1099 season again: half our vendors have missing or outdated tax IDs and we only find "
        "out in January.",
        "Foreign vendors need a W-8BEN, not a W-9, and the onboarding form doesn't know the "
        "difference.",
        "There's no TIN check, so typos in tax IDs only come back from the IRS months later.",
        "We have {big_n} active vendors and no idea which ones we have a current W-9 for without "
        "opening a shared drive.",
    ),
    spoken=(
        "Every January it's the same fire drill. We run the 1099 report, find {n} dozen vendors "
        "with no tax ID, and I'm chasing W-9s while trying to close the year.",
        "Onboarding a vendor is a PDF form by email, then someone types it in, then someone else "
        "checks it. Three people for one supplier.",
    ),
    short=(
        "W-9 collection in vendor onboarding",
        "TIN matching",
        "Vendor self-onboarding portal",
        "1099 prep",
    ),
    gists=(
        "they chase W-9s by email because vendor onboarding can't collect them",
        "1099 prep is painful because vendor tax IDs are missing",
        "they want vendors to onboard themselves and upload their tax forms",
        "foreign vendors get sent a W-9 instead of a W-8BEN",
    ),
    asks=(
        "a vendor self-service portal for W-9 and W-8 forms",
        "TIN matching against the IRS",
        "a block on paying vendors without a tax form on file",
    ),
    impacts=(
        "January is a nightmare every year because of this.",
        "We've held up payments to new vendors for weeks.",
    ),
    tags=("vendor-onboarding", "tax", "1099"),
)

COARSE_PERMISSIONS = Wording(
    topic="permissions",
    first_hand=(
        "Anyone with AP clerk access can see every entity's invoices, including the sensitive "
        "vendors. We need permissions per entity.",
        "I want a clerk to enter invoices but not edit vendor bank details. Right now it's both "
        "or neither.",
        "There's no read-only role for our auditors, so we end up giving them admin and hoping.",
        "Approval limits are set per user, not per role, so every new starter is set up by hand.",
        "Our {entity_count} entities share one permission set. The UK team shouldn't see the US "
        "invoices.",
        "Segregation of duties is impossible to show: the same person can create a vendor, enter "
        "its invoice and approve the payment.",
    ),
    spoken=(
        "The permissions are basically admin or not admin. For a finance team that's... not how "
        "we work. Segregation of duties is a thing our auditors actually check.",
        "I'd love a role that can do everything except touch bank details. That's it. That's the "
        "whole request.",
    ),
    short=(
        "Granular permissions",
        "read only role for auditors",
        "Per-entity access control",
        "Custom roles",
    ),
    gists=(
        "their clerks can see every entity's invoices because permissions aren't per entity",
        "they need a read-only role for auditors",
        "they can't separate invoice entry from changing vendor bank details",
        "their auditors flagged that one person can create a vendor and approve its payment",
    ),
    asks=(
        "custom roles with per-permission toggles",
        "per-entity access",
        "a read-only auditor role",
    ),
    impacts=(
        "Our auditors flagged it as a segregation-of-duties issue.",
        "We can't roll Ledgerly out to the other entities until this is fixed.",
    ),
    tags=("permissions", "security", "segregation-of-duties"),
)

FIRM_CLIENT_SWITCHING = Wording(
    topic="managing many clients",
    first_hand=(
        "We manage AP for {client_count} clients and have to sign out and back in to switch "
        "between them. A client switcher would save us hours.",
        "There's no way to see all clients' pending approvals in one place. I open {client_count} "
        "tabs every morning.",
        "Each client needs its own login for us, so our team juggles dozens of passwords.",
        "Onboarding a new client means setting up approval rules and the {erp} connection from "
        "scratch. Can we copy a setup from another client?",
        "Our staff can't be given access to only some clients. It's all or nothing per login.",
    ),
    spoken=(
        "Morning routine is: sign into client one, check approvals, sign out, client two... we "
        "have {client_count} of them. It's an hour before I've done any actual work.",
        "We'd move all our clients onto Ledgerly if it worked like a practice tool. Right now it "
        "works like a tool for one company, times {client_count}.",
    ),
    short=(
        "Client switcher for firms",
        "Multi-client dashboard",
        "One login for all our clients",
    ),
    gists=(
        "they manage {client_count} clients and have to sign in and out to switch between them",
        "they want one dashboard of pending approvals across all their clients",
        "setting up each new client from scratch is slowing down their onboarding",
    ),
    asks=(
        "a client switcher",
        "a practice dashboard across clients",
        "client templates for approval rules",
    ),
    impacts=(
        "It eats the first hour of every day.",
        "We can't take on more clients with this setup.",
    ),
    tags=("partners", "multi-entity"),
)

WORDING = {
    "sso_scim": SSO_SCIM,
    "audit_trail": AUDIT_TRAIL,
    "vendor_tax_forms": VENDOR_TAX_FORMS,
    "coarse_permissions": COARSE_PERMISSIONS,
    "firm_client_switching": FIRM_CLIENT_SWITCHING,
}
