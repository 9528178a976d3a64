"""What the evidence app tells the apps built on it, without importing them."""

from __future__ import annotations

from django.dispatch import Signal

# A member stored new evidence by hand or by program (the capture page, a paste, the API's
# push, an interview highlight); not sent for files imported, which the PM synthesizes after.
# Arguments: member (the Member), evidence (the new items).
evidence_captured = Signal()
