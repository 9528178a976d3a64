"""One BLAS thread for a block of small matrix products.

Thousands of small products (a group's duplicates, a cell's neighbours): two BLAS threads cost
more to wake and synchronise than the sums take, four to ten times slower on a busy two-core
machine. `threadpool_limits` finds the loaded BLAS libraries again on every call (it reads the
process's memory map, milliseconds with torch loaded); the controller finds them once.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]


@cache
def _controller() -> Any:
    return ThreadpoolController()


def one_blas_thread() -> Any:
    """A context manager: BLAS on one thread inside it."""
    return _controller().limit(limits=1, user_api="blas")
