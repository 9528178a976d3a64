"""Ids in API request bodies.

A database key is a positive 64-bit integer. Declaring that in the schema refuses a larger
number with 422 before any query runs: SQLite cannot even be asked about one (the driver
overflows), and the OpenAPI document tells clients the range.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

# The largest key a database holds: a bigger number is no id at all.
MAX_KEY = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_KEY)]
