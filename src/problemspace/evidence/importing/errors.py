from __future__ import annotations


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (empty, binary, undecodable, no text column...).

    The message is meant for the user: it names the file and says what to do.
    """
