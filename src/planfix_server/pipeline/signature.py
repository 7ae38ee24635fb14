"""Step: the optional request signature; 0006 when wrong, or missing on a key that requires it."""

from __future__ import annotations

from planfix_server.api import errors
from planfix_server.pipeline.exchange import Exchange
from planfix_server.wire import signature


def check_signature(exchange: Exchange) -> None:
    assert exchange.envelope is not None and exchange.key is not None
    given = exchange.envelope.signature
    if not given:
        if exchange.key.require_signature:
            raise errors.InvalidSignature("this API key requires signed requests")
        return
    if not signature.verify(exchange.envelope.root, given, exchange.key.signature_key):
        raise errors.InvalidSignature()
