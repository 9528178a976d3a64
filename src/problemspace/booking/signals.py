"""What other apps may hear about a booking after it changed (sent after the change commits
its own rows, inside the same transaction, so listeners' writes stand or fall with it)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with `booking`: the slot moved (starts_at and ends_at are the new ones).
booking_rescheduled = Signal()
# Sent with `booking`: it was cancelled and its slot is free again.
booking_cancelled = Signal()
