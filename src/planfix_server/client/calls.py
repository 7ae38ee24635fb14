"""Typed calls as data, and the paging rule, shared by the sync and async clients.

A convenience function (``users.get``) does no I/O: it returns a ``Prepared`` (function, params,
how to read the answer) or, for list functions, a ``Listing``; the client runs it. So each typed
function is written once for both clients.

Paging (``00-protocol.md`` §3.4): ``pageCurrent`` from 1 and ``pageSize`` 100 (the maximum);
a walk stops on an empty page, once ``totalCount`` items have been read, or, when the container
carries no ``totalCount``, on a page shorter than ``pageSize``. (With a ``totalCount`` a short
page does not stop the walk: a server may clamp the page size below what was asked.)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from planfix_server.client.element import Element
from planfix_server.client.response import Page, Response, element_page

T = TypeVar("T")

PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class Prepared(Generic[T]):
    """One call ready to run: the function, its parameters, and how to read its answer."""

    method: str
    params: Mapping[str, Any]
    read: Callable[[Response], T]


@dataclass(frozen=True, slots=True)
class Listing(Generic[T]):
    """A list function with its filters: pages of it, or all of its items, read by ``read``."""

    method: str
    params: Mapping[str, Any]
    item: str
    read: Callable[[Element], T]
    page_size: int = PAGE_SIZE

    def page(self, number: int = 1, size: int | None = None) -> Prepared[Page[T]]:
        """The call for one page."""
        size = size or self.page_size
        item, read = self.item, self.read

        def read_page(response: Response) -> Page[T]:
            return element_page(response, item, number, size).map(read)

        return Prepared(self.method, page_params(self.params, number, size), read_page)


def page_params(params: Mapping[str, Any] | None, number: int, size: int) -> dict[str, Any]:
    if not 1 <= size <= PAGE_SIZE:
        raise ValueError(f"page_size must be between 1 and {PAGE_SIZE}")
    return {**(params or {}), "pageCurrent": number, "pageSize": size}


def finished(page: Page[Any], fetched: int) -> bool:
    """Whether the walk is over after ``page`` (``fetched`` items read so far, this page included)."""
    if not page.items:
        return True
    if page.total is not None:
        return fetched >= page.total
    return len(page.items) < page.size
