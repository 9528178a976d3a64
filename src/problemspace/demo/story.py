"""The demo's story as data: Ledgerly, its customers, its team, and the problems customers have.

Ledgerly is a fictional accounts-payable and spend-management product for finance teams:
invoices come in (email, upload, OCR), go through approval chains, get paid, and sync to the
customer's ERP. The PM has a year of customer signals, and the problems in them have different
*shapes* on purpose, so that synthesis has something to reveal:

- broad: invoice OCR misreads line items (many accounts, every segment, first-hand, all year);
- narrow but loud: a native SAP connector (two enterprise accounts, relayed by sales again and
  again in the last two weeks: the "latest conversation" bias);
- rising: e-invoicing mandates (Peppol, XRechnung), mostly EMEA, growing in the last 3 months;
- fading: the month-end close export being slow (fixed in spring, complaints dying out);
- enterprise-only with big revenue: SCIM provisioning and enforced SSO;
- segment-specific: accounting firms switching between client companies;
- plus steady problems, seasonal ones (1099/W-9 in winter, audits in Q1), praise and noise.

Nothing here imports Django: the plan is plain data that tests and benchmarks can use alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PRODUCT = "Ledgerly"
WORKSPACE_NAME = "Demo: Ledgerly"
WORKSPACE_SLUG = "demo"
SOURCE = "demo"
MEMBER_DOMAIN = "demo.problemspace.local"

SMB, MID, ENT, FIRM = "SMB", "Mid-market", "Enterprise", "Accounting firm"
SEGMENTS = (SMB, MID, ENT, FIRM)
NA, EMEA, APAC = "NA", "EMEA", "APAC"

# Annual recurring revenue per segment, in dollars (low, high).
REVENUE = {
    SMB: (5_000, 25_000),
    MID: (30_000, 120_000),
    ENT: (150_000, 600_000),
    FIRM: (10_000, 60_000),
}
# The accounts the story leans on get fixed revenue, whatever the seed.
REVENUE_OVERRIDES = {"Northmark Freight Group": 540_000, "Meridian Health System": 410_000}
PLANS = {
    SMB: ("Starter", "Growth"),
    MID: ("Growth", "Business"),
    ENT: ("Enterprise",),
    FIRM: ("Partner",),
}


@dataclass(frozen=True)
class AccountSeed:
    """A customer organisation. `since_days`: for trials and prospects, days since we first
    heard from them; for churned accounts, days since they left. Signals respect both."""

    name: str
    domain: str
    segment: str
    region: str
    country: str
    erp: str
    lifecycle: str = "customer"
    since_days: int = 0
    idp: str = ""


ACCOUNTS = (
    AccountSeed("Brightside Dental Group", "brightsidedental", SMB, NA, "US", "QuickBooks Online"),
    AccountSeed("Copper Kettle Coffee Co.", "copperkettle", SMB, NA, "US", "QuickBooks Online"),
    AccountSeed("Fernhill Landscaping", "fernhill", SMB, NA, "CA", "QuickBooks Online"),
    AccountSeed("Harbor & Pine Studio", "harborpine", SMB, NA, "US", "Xero"),
    AccountSeed("Kestrel Bikes", "kestrelbikes", SMB, EMEA, "UK", "Xero"),
    AccountSeed("Mosaic Tile Works", "mosaictile", SMB, NA, "US", "QuickBooks Online", "trial", 34),
    AccountSeed("Nordlicht Design GmbH", "nordlicht-design", SMB, EMEA, "DE", "Xero"),
    AccountSeed("Oakleaf Veterinary", "oakleafvet", SMB, NA, "US", "QuickBooks Online"),
    AccountSeed("Pemberton Print Shop", "pembertonprint", SMB, EMEA, "UK", "Xero", "churned", 150),
    AccountSeed("Quokka Outdoor Supply", "quokkaoutdoor", SMB, APAC, "AU", "Xero"),
    AccountSeed("Saltmarsh Brewing", "saltmarshbrewing", SMB, EMEA, "IE", "Xero", "churned", 70),
    AccountSeed("Tidewater Marine Services", "tidewatermarine", SMB, NA, "US", "QuickBooks Online"),
    AccountSeed("Little Lantern Preschools", "littlelantern", SMB, APAC, "NZ", "Xero"),
    AccountSeed(
        "Velvet Fern Florists", "velvetfern", SMB, NA, "US", "QuickBooks Online", "trial", 19
    ),
    AccountSeed("Alder Health Partners", "alderhealth", MID, NA, "US", "NetSuite"),
    AccountSeed("Bluestem Logistics", "bluestemlogistics", MID, NA, "US", "NetSuite"),
    AccountSeed("Corvid Analytics", "corvidanalytics", MID, NA, "US", "Sage Intacct"),
    AccountSeed("Delacroix Hospitality", "delacroix-hotels", MID, EMEA, "FR", "NetSuite"),
    AccountSeed("Evergreen Property Management", "evergreenpm", MID, NA, "CA", "Sage Intacct"),
    AccountSeed("Fjordkyst Seafood AS", "fjordkyst", MID, EMEA, "NO", "NetSuite"),
    AccountSeed("Granite Peak Construction", "granitepeak", MID, NA, "US", "Sage Intacct"),
    AccountSeed("Marlowe Biosciences", "marlowebio", MID, NA, "US", "NetSuite", "churned", 110),
    AccountSeed("Ironbark Engineering", "ironbarkeng", MID, APAC, "AU", "NetSuite"),
    AccountSeed("Juniper & Co. Retail", "juniperco", MID, EMEA, "UK", "Xero"),
    AccountSeed("Lumen Schools Trust", "lumenschools", MID, EMEA, "UK", "Sage Intacct"),
    AccountSeed("Straits Digital", "straitsdigital", MID, APAC, "SG", "Xero", "trial", 41),
    AccountSeed(
        "Northmark Freight Group", "northmarkfreight", ENT, NA, "US", "SAP S/4HANA", idp="Okta"
    ),
    AccountSeed(
        "Halvorsen Energy ASA",
        "halvorsen-energy",
        ENT,
        EMEA,
        "NO",
        "SAP S/4HANA",
        "prospect",
        80,
        idp="Entra ID",
    ),
    AccountSeed(
        "Meridian Health System", "meridianhealth", ENT, NA, "US", "Dynamics 365", idp="Okta"
    ),
    AccountSeed("Atlas Retail Holdings", "atlasretail", ENT, NA, "US", "NetSuite", idp="Entra ID"),
    AccountSeed(
        "Vantage Hotels International",
        "vantagehotels",
        ENT,
        EMEA,
        "UK",
        "Dynamics 365",
        idp="Entra ID",
    ),
    AccountSeed("Pacific Rim Distribution", "pacrimdist", ENT, APAC, "AU", "NetSuite", idp="Okta"),
    AccountSeed(
        "Brennan & Hale Manufacturing", "brennanhale", ENT, NA, "US", "NetSuite", idp="Okta"
    ),
    AccountSeed(
        "Emsland Industrie AG", "emsland-industrie", ENT, EMEA, "DE", "Dynamics 365", idp="Entra ID"
    ),
    AccountSeed("Baxter & Moss CPAs", "baxtermoss", FIRM, NA, "US", "QuickBooks Online"),
    AccountSeed("Clearwater Bookkeeping", "clearwaterbooks", FIRM, NA, "US", "QuickBooks Online"),
    AccountSeed("Ledger & Line Accountants", "ledgerandline", FIRM, EMEA, "UK", "Xero"),
    AccountSeed("Southern Cross Advisory", "southerncrossadvisory", FIRM, APAC, "AU", "Xero"),
    AccountSeed("Van Dijk Administratie", "vandijk-administratie", FIRM, EMEA, "NL", "Xero"),
    AccountSeed(
        "Summit Ridge Accounting",
        "summitridgeaccounting",
        FIRM,
        NA,
        "CA",
        "QuickBooks Online",
        "prospect",
        45,
    ),
)

# Top-level domain per country, so emails look like the company's own.
TLD = {
    "US": "com",
    "CA": "ca",
    "UK": "co.uk",
    "IE": "ie",
    "DE": "de",
    "FR": "fr",
    "NO": "no",
    "NL": "nl",
    "AU": "com.au",
    "NZ": "co.nz",
    "SG": "com.sg",
}
CURRENCY = {
    "US": "USD",
    "CA": "CAD",
    "UK": "GBP",
    "IE": "EUR",
    "DE": "EUR",
    "FR": "EUR",
    "NO": "NOK",
    "NL": "EUR",
    "AU": "AUD",
    "NZ": "NZD",
    "SG": "SGD",
}
# Hours from UTC for business hours (no daylight saving: close enough for a demo).
UTC_OFFSET = {
    "US": -5,
    "CA": -5,
    "UK": 0,
    "IE": 0,
    "DE": 1,
    "FR": 1,
    "NO": 1,
    "NL": 1,
    "AU": 10,
    "NZ": 12,
    "SG": 8,
}
ADJECTIVE = {
    "US": "US",
    "CA": "Canadian",
    "UK": "UK",
    "IE": "Irish",
    "DE": "German",
    "FR": "French",
    "NO": "Norwegian",
    "NL": "Dutch",
    "AU": "Australian",
    "NZ": "New Zealand",
    "SG": "Singapore",
}

# Contact roles per segment: each account gets the fixed ones and a draw from each tuple.
ROLES = {
    SMB: (
        ("Owner", "Office manager", "Founder & CEO"),
        ("Bookkeeper", "AP clerk", "Finance manager"),
    ),
    MID: (
        ("Controller",),
        ("AP specialist", "AP clerk"),
        ("Finance ops lead", "CFO", "IT admin", "Procurement manager"),
    ),
    ENT: (
        ("CFO", "VP Finance"),
        ("Controller", "AP manager"),
        ("AP specialist",),
        ("IT admin", "Finance systems manager"),
        ("Internal audit lead", "Procurement lead", "Finance ops lead", "Treasury manager"),
    ),
    FIRM: (("Partner",), ("Client accounting manager",), ("Senior accountant", "Bookkeeper")),
}


@dataclass(frozen=True)
class Person:
    name: str
    title: str
    role: str  # the workspace role
    email: str


MEMBERS = (
    Person("Priya Raman", "Senior Product Manager", "owner", f"pm@{MEMBER_DOMAIN}"),
    Person("Tomás Ortega", "Product Manager", "editor", f"tomas@{MEMBER_DOMAIN}"),
    Person("Dana Whitfield", "Account Executive", "contributor", f"dana@{MEMBER_DOMAIN}"),
    Person("Marcus Bell", "Support Lead", "contributor", f"marcus@{MEMBER_DOMAIN}"),
    Person("Helen Cho", "COO", "viewer", f"helen@{MEMBER_DOMAIN}"),
)
OWNER, EDITOR, SALES, SUPPORT, EXEC = MEMBERS

# Colleagues through whom signals are relayed, by kind. Some are members (they type their own
# notes in); the others reach the PM through Slack, the CRM or a forwarded email.
RELAYERS = {
    "sales": (
        ("Dana Whitfield", "Account Executive"),
        ("Jordan Pike", "Enterprise AE"),
        ("Sam Okafor", "Sales Engineer"),
    ),
    "support": (("Marcus Bell", "Support Lead"), ("Leo Brandt", "Support Engineer")),
    "csm": (("Aisha Karimi", "Customer Success Manager"), ("Nora Lindqvist", "CSM, EMEA")),
}

# How often each channel carries a signal, and how often a signal on it is relayed.
CHANNELS = {
    "support": 0.32,
    "sales_call": 0.17,
    "survey": 0.12,
    "interview": 0.10,
    "email": 0.08,
    "review": 0.07,
    "community": 0.07,
    "portal": 0.07,
}
RELAYED_SHARE = {"sales_call": 0.95, "email": 0.55, "support": 0.22}
# Prospects only talk to sales; trials have not been around long enough to review us.
PROSPECT_CHANNELS = ("sales_call", "email", "interview")


@dataclass(frozen=True)
class ThemeShape:
    """How one problem shows up in the evidence: how much, where, from whom, and when.

    `shape` is the time profile (see plan.py); `reach` the number of accounts that have it,
    drawn from those matching `segments`, `regions`, `erps` (or exactly `accounts`); `roles`
    the contact roles most likely to raise it; `echo` the share of items that are near-copies
    of another (tickets pasted twice, the same story relayed by two colleagues).
    """

    key: str
    title: str
    count: int
    shape: str
    reach: int
    segments: tuple[str, ...] = SEGMENTS
    regions: dict[str, float] = field(default_factory=lambda: {NA: 1.0, EMEA: 1.0, APAC: 1.0})
    accounts: tuple[str, ...] = ()
    erps: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    channels: dict[str, float] = field(default_factory=lambda: dict(CHANNELS))
    echo: float = 0.05
    tones: tuple[float, float] = (0.12, 0.2)  # share of angry, then constructive, first-hand
    relay: float = 1.0  # how much more (or less) than usual it reaches us relayed
    anonymous: float = 0.3  # share of reviews and community posts we cannot tie to an account
    noise: bool = False


def _channels(**tilt: float) -> dict[str, float]:
    return {name: weight * tilt.get(name, 1.0) for name, weight in CHANNELS.items()}


THEMES = (
    ThemeShape(
        "ocr_line_items",
        "Invoice OCR misreads line items",
        215,
        "steady",
        28,
        roles=("AP", "Bookkeeper", "Office manager", "Senior accountant"),
        channels=_channels(support=1.4, sales_call=0.2, email=0.5),
        relay=0.5,
    ),
    ThemeShape(
        "approval_delegation",
        "Approvals stall when an approver is away",
        150,
        "summer",
        20,
        roles=("Controller", "CFO", "Finance", "Owner", "AP manager"),
    ),
    ThemeShape(
        "erp_vendor_duplicates",
        "ERP sync creates duplicate vendors",
        130,
        "steady",
        16,
        segments=(SMB, MID, ENT),
        erps=("NetSuite", "Xero", "QuickBooks Online", "Sage Intacct"),
        roles=("Controller", "Finance systems", "Finance ops", "Bookkeeper", "AP"),
        channels=_channels(support=1.3, review=0.6),
    ),
    ThemeShape(
        "sap_connector",
        "No native SAP S/4HANA connector",
        75,
        "spike",
        2,
        segments=(ENT,),
        accounts=("Northmark Freight Group", "Halvorsen Energy ASA"),
        roles=("CFO", "VP Finance", "IT admin", "Finance systems"),
        channels={"sales_call": 0.86, "email": 0.1, "interview": 0.02, "support": 0.02},
        echo=0.3,
        tones=(0.1, 0.0),
    ),
    ThemeShape(
        "e_invoicing",
        "E-invoicing mandates (Peppol, XRechnung) not supported",
        95,
        "rising",
        11,
        segments=(SMB, MID, ENT, FIRM),
        regions={NA: 0.0, EMEA: 1.0, APAC: 0.5},
        roles=("Controller", "AP", "Bookkeeper", "Finance", "Partner"),
    ),
    ThemeShape(
        "close_export",
        "Month-end close export is slow and times out",
        90,
        "fading",
        14,
        segments=(MID, ENT, FIRM, SMB),
        roles=("Controller", "Finance", "CFO", "Senior accountant"),
        channels=_channels(support=1.5, sales_call=0.3),
    ),
    ThemeShape(
        "sso_scim",
        "No SCIM provisioning or enforced SSO",
        70,
        "steady",
        7,
        segments=(ENT,),
        roles=("IT admin", "Finance systems", "Internal audit"),
        channels=_channels(sales_call=2.0, email=2.0, survey=0.3, review=0.3, community=0.2),
        anonymous=0.0,
        tones=(0.1, 0.05),
    ),
    ThemeShape(
        "fx_rounding",
        "Multi-currency conversion leaves rounding differences",
        75,
        "steady",
        9,
        segments=(MID, ENT, FIRM, SMB),
        regions={NA: 0.25, EMEA: 1.0, APAC: 1.0},
        roles=("Controller", "Treasury", "AP", "Finance"),
    ),
    ThemeShape(
        "mobile_approvals",
        "Approvers cannot approve from a phone",
        90,
        "steady",
        15,
        roles=("CFO", "VP", "Owner", "Controller", "Procurement", "Founder"),
        channels=_channels(review=1.6, survey=1.4, portal=1.5),
    ),
    ThemeShape(
        "audit_trail",
        "Audit trail misses changes and cannot be exported",
        70,
        "audit_season",
        10,
        segments=(MID, ENT, FIRM),
        roles=("Internal audit", "Controller", "CFO", "Partner"),
    ),
    ThemeShape(
        "vendor_tax_forms",
        "Vendor onboarding cannot collect W-9/W-8 tax forms",
        80,
        "tax_season",
        10,
        regions={NA: 1.0, EMEA: 0.0, APAC: 0.0},
        roles=("AP", "Bookkeeper", "Controller", "Office manager"),
    ),
    ThemeShape(
        "duplicate_payments",
        "Duplicate invoices get through and are paid twice",
        70,
        "steady",
        12,
        roles=("AP", "Controller", "Bookkeeper"),
        channels=_channels(support=1.3),
    ),
    ThemeShape(
        "coarse_permissions",
        "Permissions are too coarse for segregation of duties",
        65,
        "steady",
        11,
        segments=(MID, ENT, FIRM),
        roles=("Controller", "IT admin", "Internal audit", "CFO"),
    ),
    ThemeShape(
        "firm_client_switching",
        "Accounting firms cannot move between client companies",
        60,
        "steady",
        6,
        segments=(FIRM,),
        roles=("Partner", "Client accounting", "Senior accountant"),
        channels=_channels(sales_call=0.5, portal=1.8, community=1.8),
    ),
    ThemeShape(
        "praise",
        "Praise",
        80,
        "steady",
        30,
        noise=True,
        relay=0.5,
        channels=_channels(support=0.5, review=3.0, survey=1.5, sales_call=0.6, email=1.2),
        echo=0.0,
    ),
    ThemeShape(
        "off_topic",
        "Questions and off-topic requests",
        90,
        "steady",
        30,
        noise=True,
        relay=0.5,
        channels=_channels(support=2.2, sales_call=0.3, review=0.1, interview=0.05),
        echo=0.02,
    ),
)
THEME_BY_KEY = {theme.key: theme for theme in THEMES}
BROAD, LOUD, RISING, FADING, ENTERPRISE_ONLY = (
    "ocr_line_items",
    "sap_connector",
    "e_invoicing",
    "close_export",
    "sso_scim",
)
