"""Wording for the problems of getting data out: ERPs, e-invoicing, exports, currencies."""

from __future__ import annotations

from problemspace.demo.wording.base import Wording

ERP_VENDOR_DUPLICATES = Wording(
    topic="the {erp} sync",
    first_hand=(
        "The {erp} sync created duplicate vendors again. We now have [three|two|four] versions "
        "of {vendor} in {erp} and bills posted to all of them.",
        "Every sync with {erp} pushes new vendor records instead of matching the existing ones. "
        "Our vendor master is [a mess|a disaster|getting worse every month].",
        "Vendor names with an ampersand, or 'Inc.' vs 'Inc', get created twice in {erp}.",
        "Spent [the afternoon|my morning|half of Friday] merging duplicate vendors in {erp} "
        "that Ledgerly created. Again.",
        "[Why does|How come] the {erp} integration create a new vendor when one with the same "
        "tax ID already exists?",
        "The sync matched on name instead of the vendor ID, so when a supplier renamed itself we "
        "got a second vendor and a duplicate 1099 record.",
        "Our auditors flagged {n} duplicate vendor records, all created by the {erp} integration.",
        "The integration duplicates a vendor whenever someone edits it on the Ledgerly side. Can "
        "it match on tax ID instead?",
        "We turned off vendor sync to {erp} because of the duplicates. Now we key vendors in "
        "twice, which is what we bought Ledgerly to avoid.",
    ),
    spoken=(
        "The {erp} sync is the thing I dread. It's supposed to be set and forget, but every "
        "month-end I'm cleaning up duplicate vendors before we can close.",
        "Our controller won't let anyone create vendors in Ledgerly anymore, only in {erp}, "
        "because of the duplicates. So we've lost half the benefit.",
        "It's always the small differences. A comma, a 'Ltd' with a full stop. And then there are "
        "two of them in {erp} and the payments go to the wrong one.",
    ),
    short=(
        "{erp} sync duplicates vendors",
        "Stop creating duplicate vendors in {erp}.",
        "Vendor matching in the {erp} integration.",
        "Fix the vendor sync.",
    ),
    gists=(
        "the {erp} sync keeps creating duplicate vendors",
        "they spend hours every month-end merging vendors the {erp} integration duplicated",
        "the integration matches vendors on name, so any small difference creates a new vendor "
        "in {erp}",
        "their auditors flagged duplicate vendor records created by the {erp} sync",
        "they switched off vendor sync to {erp} because of duplicates",
    ),
    asks=(
        "vendor matching on tax ID or the {erp} internal ID",
        "a sync preview that shows which vendors would be created",
        "a way to merge duplicated vendors in one click",
    ),
    impacts=(
        "It's holding up our month-end.",
        "Cleaning it up takes a full day every month.",
    ),
    slots={
        "vendor": (
            "Staples",
            "our landlord",
            "FedEx",
            "our IT contractor",
            "Amazon Business",
            "the uniform supplier",
        )
    },
    tags=("integration", "sync", "{erp_tag}"),
)

SAP_CONNECTOR = Wording(
    topic="the SAP integration",
    first_hand=(
        "We need to know whether a native SAP S/4HANA connector is on your roadmap before we can "
        "commit. The CSV route is not acceptable to our IT team.",
        "Our SAP team reviewed the file-based integration and rejected it. Real-time posting of "
        "approved invoices to S/4HANA is a requirement for us.",
        "Following up on the SAP question from last week's call. Can you share a date for the "
        "connector? Our steering committee meets on {weekday}.",
        "Nightly flat-file exports into SAP won't pass our IT architecture review. We need an "
        "API-based connector.",
    ),
    spoken=(
        "Look, we like the product. Our AP team loved the trial. But everything we run posts to "
        "S/4HANA in real time, and a CSV at midnight isn't going to fly with our IT people.",
        "The SAP piece is the one thing that could stop this. Everything else on the checklist "
        "is green.",
    ),
    short=("Native SAP S/4HANA connector.", "SAP integration (real time, not CSV)."),
    gists=(
        "{account} won't sign without a native SAP S/4HANA connector",
        "{account}'s CFO says a flat-file export to SAP is a non-starter",
        "their IT team won't approve a CSV-based SAP integration",
        "they need approved invoices posted to SAP in real time, not a nightly file",
        "they're comparing us with Coupa, and the SAP integration is where we lose",
        "the SAP connector is the last open item in their IT review",
        "they want a committed date for the SAP connector before their budget closes",
        "they asked again for a timeline on the SAP connector; it's blocking the deal",
        "their steering committee won't approve the contract without native SAP posting",
    ),
    asks=(
        "a native SAP S/4HANA connector",
        "real-time posting of approved invoices to SAP",
        "a committed date for the SAP connector",
    ),
    impacts=("This is the last blocker on our side.",),
    tags=("integration:sap", "deal-blocker", "enterprise"),
)

E_INVOICING = Wording(
    topic="e-invoicing",
    first_hand=(
        "From January we have to receive e-invoices as {einv_format} and Ledgerly only handles "
        "PDFs. What's the plan?",
        "Our suppliers have started sending {einv_format} files and they fail to import. We're "
        "converting them to PDF by hand, which defeats the purpose.",
        "We need to send and receive invoices over Peppol. Our accountant says we won't be "
        "compliant without it.",
        "Can Ledgerly read the XML in a ZUGFeRD invoice instead of OCR-ing the PDF? It gets the "
        "VAT wrong and the correct data is right there in the file.",
        "The {country} e-invoicing mandate is coming and we can't find anything about it in your "
        "docs. Is Peppol support planned?",
        "A third of our suppliers now send structured e-invoices and we can't process them in "
        "Ledgerly at all. They go into a separate inbox and get keyed by hand.",
        "Our tax adviser asked which Peppol access point we use. We don't have one, because "
        "Ledgerly doesn't connect to any. Help?",
    ),
    spoken=(
        "This came out of nowhere for us. Our accountant told us in {past_month} that e-invoicing "
        "is mandatory, and suddenly the XML invoices started arriving and your tool ignores them.",
        "If you can't receive Peppol invoices by the deadline, we'll have to run a second tool "
        "just for that. And then why would we keep two?",
        "The suppliers are ahead of us. They're already sending {einv_format}, and we're the "
        "ones printing it to PDF so your scanner can read it. It's absurd.",
    ),
    short=(
        "Peppol support",
        "e-invoicing (XRechnung / ZUGFeRD)",
        "Receive e-invoices, not just PDFs.",
        "E-invoicing before the mandate deadline please",
    ),
    gists=(
        "they need to receive e-invoices over Peppol before the {country} mandate kicks in",
        "their suppliers send {einv_format} files that Ledgerly can't import",
        "their accountant says they won't be compliant without e-invoicing support",
        "they're looking at a separate e-invoicing tool because we don't support Peppol",
        "they print structured e-invoices to PDF so Ledgerly's OCR can read them",
    ),
    asks=(
        "Peppol access point support",
        "import of XRechnung and ZUGFeRD invoices",
        "a published date for e-invoicing support",
    ),
    impacts=(
        "We're running out of time before the deadline.",
        "Our suppliers are asking why we can't accept their e-invoices.",
    ),
    slots={"einv_format": ("XRechnung", "ZUGFeRD", "Peppol BIS", "UBL", "Factur-X")},
    tags=("e-invoicing", "compliance", "peppol"),
)

CLOSE_EXPORT = Wording(
    topic="the month-end export",
    first_hand=(
        "The month-end export took {minutes} minutes today and then [timed out|failed]. We "
        "can't close until it finishes.",
        "Exporting the AP aging report for the close is painfully slow: {minutes} minutes for one "
        "month of data.",
        "The close export keeps failing on the last day of the month. I assume because everyone "
        "runs it at the same time.",
        "Downloading the GL export for month-end takes forever and the file is sometimes "
        "incomplete. We only noticed because the totals didn't tie out.",
        "Month-end export timed out three times this morning. Our close is due tomorrow.",
    ),
    spoken=(
        "Close day, I'm sitting there watching a spinner for {minutes} minutes. I've literally "
        "gone and made lunch while the export runs.",
        "We start the export at seven in the morning now, before anyone else is in, because "
        "after nine it just times out.",
    ),
    short=(
        "Export speed at month-end.",
        "faster exports",
        "Month end export times out.",
        "Speed up the close export",
    ),
    gists=(
        "the month-end export takes {minutes} minutes and sometimes times out",
        "their close slipped a day because the GL export kept failing",
        "their controller runs the export at 7am because it times out later in the day",
    ),
    asks=(
        "a scheduled export that's ready when we log in",
        "an API endpoint for the close export",
    ),
    impacts=(
        "It's holding up our month-end.",
        "Our close slipped a day because of it.",
    ),
    tags=("export", "performance", "month-end"),
)

FX_ROUNDING = Wording(
    topic="multi-currency invoices",
    first_hand=(
        "Invoices in {foreign} are off by a cent or two after conversion to {currency}, so they "
        "never match the ERP and we post a manual adjustment each time.",
        "The FX rate used for payment isn't the one from the invoice date, so every {foreign} "
        "bill leaves a small difference in {erp}.",
        "Rounding on multi-currency invoices is done per line instead of on the total, so our "
        "totals disagree with the supplier's by a few cents.",
        "We pay suppliers in {n} currencies and the rounding differences add up to a "
        "reconciliation headache every month.",
        "{foreign} invoices posted to {erp} are 0.01 out about a third of the time. Tiny amounts, "
        "but our auditors ask about every one of them.",
    ),
    spoken=(
        "It's always cents. But cents are the worst, because the books don't balance and someone "
        "has to hunt them down.",
        "We have a journal every month that's just called 'Ledgerly rounding'. That shouldn't "
        "exist.",
    ),
    short=(
        "Multi-currency rounding",
        "FX differences on {foreign} invoices",
        "Let us choose the FX rate source.",
    ),
    gists=(
        "{foreign} invoices come out a few cents off after conversion and they post adjustments",
        "FX rounding differences break their reconciliation with {erp}",
        "the payment FX rate doesn't match the invoice-date rate, which leaves differences in "
        "{erp}",
    ),
    asks=(
        "a choice of FX rate (invoice date or payment date)",
        "rounding on the invoice total instead of per line",
        "automatic posting of rounding differences to one account",
    ),
    impacts=(
        "Someone spends half a day every month chasing cents.",
        "Our reconciliation never ties out first time.",
    ),
    tags=("multi-currency", "fx", "reconciliation"),
)

WORDING = {
    "erp_vendor_duplicates": ERP_VENDOR_DUPLICATES,
    "sap_connector": SAP_CONNECTOR,
    "e_invoicing": E_INVOICING,
    "close_export": CLOSE_EXPORT,
    "fx_rounding": FX_ROUNDING,
}
