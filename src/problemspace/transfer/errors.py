"""The errors of export and restore, worded for the person who runs them."""

from __future__ import annotations


class RestoreError(ValueError):
    """A workspace export cannot be restored; the message says where in the file and why.

    Messages name the JSON path of the bad value (`evidence[12].contact`, counting items from
    0) so that a person can find it with any JSON tool, and say what to do about it.
    """


class ExportError(RuntimeError):
    """The workspace holds something that cannot be exported faithfully (a damaged database)."""
