"""Reading a brief's PDF back, as a reader's PDF viewer would: its text and its links."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader


def read_pdf(data: bytes) -> tuple[str, list[str]]:
    """The text of every page (whitespace folded) and the URI of every link annotation."""
    reader = PdfReader(io.BytesIO(data))
    text, links = [], []
    for page in reader.pages:
        text.append(" ".join((page.extract_text() or "").split()))
        annotations: Any = page.get("/Annots") or []
        for annotation in annotations:
            action: Any = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                links.append(str(action["/URI"]))
    return " ".join(text), links
