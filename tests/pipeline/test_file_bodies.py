"""Body caps: requests that carry files may be larger than ``max_body_bytes`` (up to
``max_file_request_bytes``); every other request keeps the ordinary cap. Large bodies are parsed
with libxml2's text-size limit lifted and the same hardening."""

from __future__ import annotations

import base64

import pytest

from planfix_server.api import errors
from planfix_server.pipeline.transport import carries_files
from planfix_server.settings import Settings
from planfix_server.wire.envelope import FILE_CARRYING, parse_envelope
from tests.support import Api, provision, request_xml, running

MIB = 1024 * 1024


def upload_body(account: str, content_bytes: int, method: str = "file.upload") -> bytes:
    text = base64.b64encode(b"\x01" * content_bytes).decode()
    inner = (
        "<task><id>1</id></task><files><file><name>big.bin</name>"
        f"<sourceType>FILESYSTEM</sourceType><body>{text}</body></file></files>"
    )
    return request_xml(method, account, inner)


def test_a_large_upload_is_read_and_parsed(api: Api) -> None:
    body = upload_body(api.tenant.name, 3 * MIB)
    assert len(body) > Settings().max_body_bytes
    reply = api.post(body)
    assert reply.root.get("status") in ("ok", "error")
    assert reply.code != errors.XmlParseError.code, reply.raw


def test_other_functions_keep_the_ordinary_cap(api: Api) -> None:
    padding = "x" * (3 * MIB)
    reply = api.call("task.add", f"<task><title>Big</title><description>{padding}</description></task>")
    assert reply.code == errors.XmlParseError.code
    within = api.call("task.add", "<task><title>Small</title><description>fits</description></task>")
    assert within.ok, within.raw


@pytest.mark.parametrize("method", sorted(FILE_CARRYING))
def test_file_requests_beyond_their_own_cap_are_refused(settings: Settings, method: str) -> None:
    with running(settings.replace(max_file_request_bytes=2 * MIB)) as (server, client):
        tenant = provision(server, "acme")
        api = Api(client, tenant)
        reply = api.post(upload_body(tenant.name, 2 * MIB, method))  # ~2.7 MiB of base64
        assert reply.code == errors.XmlParseError.code
        fits = api.post(upload_body(tenant.name, MIB, method))  # ~1.4 MiB: over the ordinary cap only
        assert fits.code != errors.XmlParseError.code, fits.raw


def test_the_method_must_be_in_the_first_bytes(api: Api) -> None:
    body = upload_body(api.tenant.name, 2 * MIB)
    late = body.replace(
        b'<request method="file.upload">', b'<request a="' + b"x" * 5000 + b'" method="file.upload">'
    )
    assert api.post(late).code == errors.XmlParseError.code


def test_a_decoy_method_before_the_root_is_caught_by_the_parse(api: Api) -> None:
    body = upload_body(api.tenant.name, 2 * MIB, "task.add")
    decoy = body.replace(b"<request ", b'<!-- <request method="file.upload"> --><request ', 1)
    assert carries_files(decoy)
    assert api.post(decoy).code == errors.XmlParseError.code


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'<request method="file.upload">', True),
        (b"<?xml version='1.0'?>\n<request  method = ' handbook.addRecord ' >", True),
        (b'<request x="1" method="handbook.updateRecord"><account>', True),
        (b'<request method="file.get">', False),
        (b'<request method="task.add">', False),
        (b'<request xmethod="file.upload">', False),
        (b"no xml at all", False),
    ],
)
def test_carries_files(head: bytes, expected: bool) -> None:
    assert carries_files(head) is expected


def test_a_text_node_beyond_ten_megabytes_parses_in_a_file_request() -> None:
    body = upload_body("acme", 9 * MIB)  # 12 MiB of base64 in one text node
    with pytest.raises(errors.XmlParseError):
        parse_envelope(body)  # the ordinary parser keeps libxml2's limit
    envelope = parse_envelope(body, large=True)
    text = envelope.root.findtext("files/file/body")
    assert text is not None and len(text) == len(base64.b64encode(b"\x01" * 9 * MIB))


def test_a_large_body_of_another_function_is_refused_by_the_parse() -> None:
    with pytest.raises(errors.XmlParseError):
        parse_envelope(upload_body("acme", 10, "task.add"), large=True)


def test_large_bodies_keep_the_hardening() -> None:
    attack = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "boom">]>'
        b'<request method="file.upload"><account>a</account><x>&e;</x></request>'
    )
    with pytest.raises(errors.XmlParseError):
        parse_envelope(attack, large=True)
    deep = b'<request method="file.upload"><account>a</account>' + b"<a>" * 40 + b"</a>" * 40 + b"</request>"
    with pytest.raises(errors.XmlParseError):
        parse_envelope(deep, 32, large=True)


def test_a_huge_text_node_through_the_app(api: Api) -> None:
    reply = api.post(upload_body(api.tenant.name, 9 * MIB))
    assert reply.code != errors.XmlParseError.code, reply.raw
