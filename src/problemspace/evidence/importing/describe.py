"""How a file was read, in words: for the command line's report and the import preview."""

from __future__ import annotations

from problemspace.evidence.importing.fields import FIELDS
from problemspace.evidence.importing.report import ImportReport

ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with a byte-order mark",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
}
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


def describe_reading(report: ImportReport, *, full: bool) -> list[str]:
    """How the file was read: the tool, encoding, delimiter, date order, and (in full) each
    column with the field it goes to and its first values; then what was skipped."""
    layout = report.layout
    lines: list[str] = []
    if layout is not None:
        tool = layout.source.name if layout.source else "no known tool; columns read by name"
        shape = ENCODINGS.get(report.encoding, report.encoding)
        if report.format == "csv":
            shape += ", " + DELIMITERS.get(report.delimiter, repr(report.delimiter)) + "-separated"
        else:
            shape += ", JSON Lines" if report.format == "jsonl" else ", a JSON array"
        lines.append(f"Read as: {tool}. {shape}.")
        if layout.date_order:
            lines.append(f"Dates: {layout.date_order}.")
        lines.append(f"Channel of rows that give none: {layout.channel}.")
        if full:
            width = min(max((len(c) for c in layout.columns), default=6), 34)
            lines.append(f"  {'column':<{width}}  {'goes to':<28}  first values")
            for column in layout.columns:
                samples = ", ".join(repr(v) for v in layout.samples.get(column, []))
                where = layout.destination(column)
                if column in layout.ignored_by_user:
                    where = "ignored (--ignore)"
                lines.append(f"  {column[:width]:<{width}}  {where:<28}  {samples[:80]}")
            lines.append(
                "Change a column with --map FIELD=COLUMN or --ignore COLUMN; fields: "
                + ", ".join(FIELDS)
                + "."
            )
        else:
            columns = ", ".join(f"{field} <- {column}" for field, column in report.columns.items())
            lines.append(f"Columns: {columns}.")
            if report.ignored_columns:
                lines.append(f"Ignored columns: {', '.join(report.ignored_columns)}.")
    for why, n in report.skipped.items():
        lines.append(f"Skipped {n:,} {'row' if n == 1 else 'rows'}: {why}.")
    for value, n in report.channels_read_as.items():
        lines.append(f"Channel {value}: {n:,} {'row' if n == 1 else 'rows'} (a value not known).")
    for name, alike in list(report.similar_accounts.items())[:10]:
        lines.append(
            f"New account {name!r} may be {' or '.join(repr(a) for a in alike)}: if it is, merge "
            "them on the account's page."
        )
    if report.team_as_contact:
        n = sum(report.team_as_contact.values())
        lines.append(
            f"Said by a member of this workspace ({', '.join(sorted(report.team_as_contact)[:5])}"
            f"): {n:,} {'row' if n == 1 else 'rows'} read as relayed by them, with no contact."
        )
    if report.unknown_members:
        names = ", ".join(sorted(report.unknown_members)[:5])
        n = sum(report.unknown_members.values())
        lines.append(
            f"Captured by someone who is not a member of this workspace ({names}): "
            f"{n:,} {'row' if n == 1 else 'rows'} imported without who captured them."
        )
    return lines
