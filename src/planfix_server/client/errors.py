"""What a call can raise.

An answer with ``status="error"`` raises the class of its code from ``planfix_server.api.errors``
(the same classes the server raises; the hierarchy is drawn in that module's docstring), carrying
``code``, ``meaning``, the ``function`` called and the server's ``<message>`` text as ``detail``.
Calls that got no API answer raise ``TransportError`` (below); it is not an ``ApiError``, because
there is no code.
"""

from __future__ import annotations

from planfix_server.api.errors import ApiError, error_for_code


class TransportError(Exception):
    """No API answer: the network failed (retries used up), or the reply was not an API answer."""

    def __init__(self, message: str, *, function: str = "") -> None:
        self.function = function
        super().__init__(f"{function}: {message}" if function else message)


class HttpStatusError(TransportError):
    """The server answered with an HTTP status other than 200 (the API puts its errors in 200s)."""

    def __init__(self, status_code: int, body: bytes, *, function: str = "") -> None:
        self.status_code = status_code
        self.body = body
        snippet = body[:120].decode("utf-8", "replace").strip()
        super().__init__(f"HTTP {status_code}" + (f": {snippet}" if snippet else ""), function=function)


class BadResponse(TransportError):
    """A body that is not an XML API response (not XML, wrong root, a value of the wrong type)."""


def api_error(code: str, message: str = "", *, function: str = "") -> ApiError:
    """The exception for an error answer: the class of ``code``, with the function and message."""
    return error_for_code(code)(message, function=function)
