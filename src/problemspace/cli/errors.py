from __future__ import annotations


class UserError(Exception):
    """A mistake the person at the keyboard can fix: a bad file, option or name.

    The CLI prints the message as one paragraph and exits with status 2, without a traceback.
    Messages say what went wrong, where, and what to do.
    """
