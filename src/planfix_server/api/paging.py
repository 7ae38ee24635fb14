"""``pageCurrent`` / ``pageSize`` of list functions (planfix-xml-api/00-protocol.md §3.4).

Pages are numbered from 1; a ``pageCurrent`` below 1 asks only for the count; ``pageSize`` is at
most 100 (above it: clamped, or 0021 when the ``page_size_over_limit`` setting says ``error``);
0 or absent means the default of 100.
"""

from __future__ import annotations

from dataclasses import dataclass

from planfix_server.api import errors

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class Window:
    offset: int
    limit: int
    count_only: bool


def window(page_current: int | None, page_size: int | None, over_limit: str = "clamp") -> Window:
    """The rows a request asks for. ``page_current`` None means page 1."""
    size = page_size or DEFAULT_PAGE_SIZE
    if size < 0:
        raise errors.InvalidParameterValue("pageSize below 0")
    if size > MAX_PAGE_SIZE:
        if over_limit == "error":
            raise errors.TooManyObjects(f"pageSize {size} > {MAX_PAGE_SIZE}")
        size = MAX_PAGE_SIZE
    current = 1 if page_current is None else page_current
    if current < 1:
        return Window(0, 0, True)
    return Window((current - 1) * size, size, False)
