"""The demo campaign's screener."""

from __future__ import annotations

QUESTIONS = [
    {
        "text": "Who closes the books at your company each month?",
        "kind": "single",
        "choices": ["I do, or my team does", "An outside accountant", "Nobody, really"],
        "qualifying": ["I do, or my team does"],
    },
    {
        "text": "How do you process supplier invoices today?",
        "kind": "multi",
        "choices": ["Ledgerly", "Spreadsheets", "Our ERP's AP module", "Paper and email"],
        "qualifying": ["Ledgerly", "Spreadsheets", "Our ERP's AP module"],
    },
    {
        "text": "What slowed your last month-end close down the most?",
        "kind": "text",
        "choices": [],
        "qualifying": [],
    },
]
