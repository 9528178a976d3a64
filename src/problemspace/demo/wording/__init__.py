"""How customers and colleagues phrase each problem of the demo story, split by theme."""

from __future__ import annotations

from problemspace.demo.wording import capture, governance, integrations, noise
from problemspace.demo.wording.base import Wording

WORDING: dict[str, Wording] = {
    **capture.WORDING,
    **integrations.WORDING,
    **governance.WORDING,
    **noise.WORDING,
}

__all__ = ["WORDING", "Wording"]
