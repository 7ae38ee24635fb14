"""The ceiling: a bare ASGI app that reads the request and answers a fixed ``user.get`` body.

It does what any XML API answer costs at the server and protocol level (read the body, send
the same headers and about the same bytes) and nothing else, so its throughput under the same
uvicorn options is the most the real app could reach on this machine.
"""

from __future__ import annotations

from typing import Any

BODY = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<response status="ok"><user><id>1</id><general>1</general><name>owner@bench</name>'
    b"<lastName></lastName><midName></midName><login>owner@bench</login><email></email>"
    b"<secondaryEmails/><role>ADMIN</role><status>ACTIVE</status><birthdate></birthdate><sex></sex>"
    b"<timezone>UTC</timezone><isInvisibleOutOfGroup>0</isInvisibleOutOfGroup>"
    b"<isBlindOutOfGroup>0</isBlindOutOfGroup><post><id>0</id><name></name></post><userPic></userPic>"
    b"<isOnline>0</isOnline><userGroups/><phones/></user></response>\n"
)
HEADERS = [
    (b"content-type", b"application/xml; charset=UTF-8"),
    (b"x-request-id", b"000000-1"),
    (b"x-ratelimit-remaining", b"99999"),
    (b"content-length", str(len(BODY)).encode()),
]


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False) and message["type"] == "http.request"
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})
