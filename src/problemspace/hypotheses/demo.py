from __future__ import annotations


def connect() -> None:
    pass
