"""Wording for the problems of getting invoices in and approved."""

from __future__ import annotations

from problemspace.demo.wording.base import Wording

OCR_LINE_ITEMS = Wording(
    topic="invoice scanning",
    first_hand=(
        "The OCR keeps [misreading|mangling|getting wrong] the line items on invoices from "
        "{vendor}. The {field} ends up in the wrong column and we fix every line by hand.",
        "Scanned invoices with more than {n} lines come through with the line items [jumbled|"
        "scrambled|in the wrong order]. The header and total are fine, it's the lines that are "
        "wrong.",
        "Line items on multi-page PDFs get merged into one line, so the PO match fails and the "
        "invoice sits in exceptions until someone untangles it.",
        "OCR reads the {field} as the quantity on [about half of|a lot of|most of] our "
        "invoices. We're re-keying {big_n} lines a week.",
        "Invoice capture gets the vendor and the total right but the line items are a mess: "
        "descriptions cut off, unit prices swapped, tax lines missing.",
        "Every invoice from {vendor} comes in with the freight charge read as a product line, so "
        "the coding is wrong until someone catches it.",
        "We [moved to|bought] Ledgerly to stop typing invoices in. [Right now|A year later] "
        "we're still typing the line items in.",
        "The extracted line totals don't add up to the invoice total on [maybe one invoice in "
        "five|a good share of invoices|more invoices than you'd think], and nothing warns us "
        "[about it|until the payment run].",
        "Line-level coding is the whole point for us (we split costs across {n} departments) and "
        "the OCR gets lines wrong often enough that nobody trusts it.",
        "Invoices from {vendor} have a discount line and the scanner turns it into a positive "
        "amount. We've overpaid twice because of it.",
        "When an invoice has a table that runs onto page 2, the lines on page 2 are just "
        "[gone|missing|dropped].",
        "[Line item|Line-item] extraction is [really|pretty] unreliable for us. [Totals are "
        "fine|The header is fine], but quantities and prices on the lines are wrong [every "
        "day|all the time|constantly].",
        "The OCR [can't|doesn't] handle invoices where the description wraps onto two lines. It "
        "makes two line items out of one.",
        "Capture works for the simple invoices. Anything with more than a handful of lines, we "
        "check line by line, which [kind of|rather] defeats the purpose.",
    ),
    spoken=(
        "So the capture part, honestly, the header's great. It's the lines. My team opens every "
        "invoice with more than a few lines and checks them one by one, because if the quantity "
        "is wrong the three-way match blows up.",
        "I'd say we spend, what, {hours} hours a week fixing line items? That's basically one "
        "person's Friday.",
        "What happens is it splits one line into two, or merges two into one, and then the PO "
        "match fails and it lands in my exceptions queue. And then I'm the OCR.",
        "We don't trust it anymore. Which is a shame, because when it works it's great. But my "
        "clerks check every line now, so we lost most of the time we were supposed to save.",
        "The worst is {vendor}. Their invoices have discounts and freight and deposits on them "
        "and the tool just... guesses.",
        "If I could fix a line once and have it remember that for that supplier, I'd be happy. "
        "Right now I fix the same invoice from {vendor} every single month.",
    ),
    short=(
        "OCR accuracy on line items.",
        "line items get misread constantly",
        "Fix the invoice scanning, the lines are always wrong.",
        "Better line-item extraction.",
        "OCR on multi-page invoices.",
        "Stop making us re-key invoice lines.",
        "Scanning accuracy (line items, not totals).",
    ),
    gists=(
        "OCR keeps misreading line items on invoices from {vendor}",
        "their AP team re-keys invoice line items by hand because capture mixes up quantities "
        "and unit prices",
        "line items on multi-page invoices get merged, so their PO matching fails",
        "they've stopped trusting invoice scanning and check every line manually",
        "freight and discount lines get read as product lines, which throws off their coding",
        "their clerks spend {hours} hours a week correcting line items the OCR got wrong",
    ),
    asks=(
        "a way to correct a line once and have the OCR learn it for that vendor",
        "a confidence flag on line items the OCR isn't sure about",
        "line-item templates per vendor",
        "a warning when the line totals don't add up to the invoice total",
    ),
    impacts=(
        "This is costing us hours every week.",
        "My team spends more time fixing lines than it used to spend typing them.",
        "Our exceptions queue is mostly this.",
    ),
    slots={
        "vendor": (
            "Grainger",
            "Uline",
            "Sysco",
            "our freight carrier",
            "our packaging supplier",
            "Staples",
            "CDW",
            "our biggest supplier",
            "the fuel card company",
        ),
        "field": ("unit price", "quantity", "tax amount", "line total", "SKU"),
    },
    tags=("ocr", "invoice-capture", "bug"),
)

APPROVAL_DELEGATION = Wording(
    topic="approvals when someone is away",
    first_hand=(
        "When {approver} is [on holiday|on vacation|away], every invoice waiting on them just "
        "sits there. There's no way to delegate, so we miss payment terms.",
        "Approvals get stuck whenever someone is [out of office|on leave|off]. Last {period} we "
        "had {big_n} invoices [parked|stuck|waiting] behind one person.",
        "We had to log in as our CFO (yes, really) to push approvals through while she was away. "
        "Please give us delegation.",
        "There's no backup approver. If [a department head|a budget owner|our controller] is "
        "off sick, the invoice is stuck until they're back and we [pay late fees|miss the due "
        "date].",
        "Is there really no way to set a delegate while someone's on holiday? [I've looked "
        "everywhere.|Couldn't find it in the settings.|Your docs don't mention it.]",
        "When an approver leaves the company their pending invoices go into limbo until we "
        "rebuild the workflow.",
        "We lost an early-payment discount from {vendor} because the approver was on leave and "
        "nobody else could approve it.",
        "Reassigning a stuck approval means editing the whole workflow and then changing it "
        "back afterwards. [Every holiday season.|Every single time someone is away.]",
        "{approver} was away for {days} days and the approval queue just froze. Suppliers were "
        "calling us about overdue invoices.",
    ),
    spoken=(
        "August is a nightmare. Half the approvers are away and the queue piles up. I end up "
        "chasing people on their holidays, which nobody enjoys.",
        "The thing is, there's no 'out of office' idea in it. So if {approver} is away for two "
        "weeks, that's two weeks of invoices, and suppliers calling me.",
        "We built a workaround where I'm a second approver on everything, which kind of defeats "
        "the point of having approval rules at all.",
        "Christmas week is the worst. Everyone's off, the invoices keep coming, and on January "
        "2nd I've got a wall of overdue bills.",
    ),
    short=(
        "Delegate approvals when someone is away.",
        "out of office delegation!!",
        "Backup approvers.",
        "Approvals stuck when people are on holiday.",
        "Let approvers hand off while on leave.",
    ),
    gists=(
        "approvals stall whenever an approver is on holiday because there's no delegation",
        "invoices sat for {days} days behind their CFO's approval while she was on leave",
        "they've been paying late fees because approvals get stuck when someone is out",
        "their approval chain broke when a department head left the company",
        "they lost an early-payment discount because nobody could approve while {approver} was "
        "away",
    ),
    asks=(
        "out-of-office delegation for approvers",
        "a backup approver on each approval step",
        "automatic escalation after {n} days without a decision",
    ),
    impacts=(
        "We've had suppliers chasing us because of this.",
        "We paid late fees twice this quarter.",
        "It's holding up our payment runs.",
    ),
    slots={"vendor": ("a key supplier", "our packaging supplier", "our biggest vendor", "Sysco")},
    tags=("approvals", "workflow"),
)

MOBILE_APPROVALS = Wording(
    topic="approving on mobile",
    first_hand=(
        "Our approvers are rarely at a desk. They need to approve from their phones and the site "
        "is [unusable|impossible to use|painful] on mobile.",
        "[Any plans for|Is there] a mobile app? Our approvers want to approve on the go.",
        "I'm approving invoices on my phone in an airport and have to pinch and zoom around a "
        "desktop page. An app, please.",
        "Approval emails link to a page that doesn't work on mobile, so {approver} waits until "
        "they're back at a laptop. Invoices sit for days.",
        "Can we approve straight from the notification email? Our site managers won't log in for "
        "a single click.",
        "The approve button is off the screen on an iPhone. You have to turn the phone sideways "
        "and even then it's hit and miss.",
        "Our CEO approves everything over {currency} 10k and she lives on her phone. Right now "
        "she forwards the email to me and I approve on her behalf, which our auditors hate.",
    ),
    spoken=(
        "Our site managers are on the warehouse floor all day. They're not going to open a laptop "
        "to approve a two-hundred-dollar invoice. So it waits till Friday.",
        "I travel a lot. If I could just tap approve in the taxi I'd clear the queue every day. "
        "Instead it's a weekly thing on Sunday night.",
        "Honestly the only reason approvals are slow is that nobody approves on mobile. The rules "
        "are fine, the people are fine. They're just never at a desk.",
    ),
    short=(
        "Mobile app for approvals",
        "approve from phone",
        "Approve from the email.",
        "A proper mobile view.",
        "mobile!!",
    ),
    gists=(
        "their approvers are out in the field and can't approve on mobile",
        "approvals wait days because {approver} only approves from a laptop",
        "their CEO forwards approval emails to the controller because the page doesn't work on "
        "her phone",
        "they want to approve straight from the notification email",
    ),
    asks=(
        "a mobile app for approvals",
        "one-click approve from the notification email",
        "a mobile-friendly approval page",
    ),
    impacts=(
        "Invoices sit for days waiting on one click.",
        "We miss early-payment discounts because of it.",
    ),
    tags=("mobile", "approvals", "feature-request"),
)

DUPLICATE_PAYMENTS = Wording(
    topic="duplicate payments",
    first_hand=(
        "We paid the same invoice from {vendor} twice last {period}. The duplicate check missed "
        "it because the invoice number had a [dash|space|leading zero] in one copy and not the "
        "other.",
        "Duplicate detection only looks at exact invoice numbers. A supplier re-sent an invoice "
        "as a scan and we paid it again.",
        "Got a refund request from {vendor} for a double payment. That's the {ordinal} time this "
        "year. How is the duplicate check supposed to work?",
        "The same invoice came in by email and by upload and both went through approval. Nobody "
        "noticed until the bank statement.",
        "A vendor sent a reminder with the same invoice attached and Ledgerly treated it as a new "
        "bill. Paid twice, {currency} {amount} gone until they refund us.",
        "The duplicate warning shows up after payment, in the report. By then it's too late.",
    ),
    spoken=(
        "Finding out from the supplier that you paid them twice is embarrassing. And getting the "
        "money back takes weeks.",
        "It's usually the reminders. A supplier chases us, attaches the same PDF, and it goes "
        "straight through as a new invoice.",
        "I've got a spreadsheet where I check for duplicates before every payment run. I didn't "
        "buy software to keep a spreadsheet.",
    ),
    short=(
        "Better duplicate invoice detection",
        "Fuzzy matching on invoice numbers",
        "We paid an invoice twice.",
        "duplicate check before approval",
    ),
    gists=(
        "they paid an invoice from {vendor} twice because duplicate detection missed it",
        "duplicate detection only matches exact invoice numbers",
        "an invoice that came in by email and by upload got approved and paid twice",
        "supplier reminders with the same PDF attached go through as new invoices",
    ),
    asks=(
        "fuzzy duplicate detection on vendor, amount and date",
        "a duplicate warning before approval, not after payment",
    ),
    impacts=(
        "Getting the money back takes weeks.",
        "Our CFO was not amused.",
    ),
    slots={
        "vendor": (
            "a courier",
            "our IT reseller",
            "the cleaning company",
            "Grainger",
            "Uline",
            "a freelance designer",
        )
    },
    tags=("duplicates", "payments", "bug"),
)

WORDING = {
    "ocr_line_items": OCR_LINE_ITEMS,
    "approval_delegation": APPROVAL_DELEGATION,
    "mobile_approvals": MOBILE_APPROVALS,
    "duplicate_payments": DUPLICATE_PAYMENTS,
}
