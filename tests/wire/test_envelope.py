"""The envelope: which request bodies are accepted as they are, and which hostile ones answer 0003.

Most cases run twice: against ``parse_envelope`` (precise, fast) and through the real app
(status 200, ``<code>0003</code>``). "Nothing is read" is proven with a FIFO: a parser that
opens it for reading blocks, and while it does, opening the FIFO's write end succeeds.
"""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from planfix_server.api import errors
from planfix_server.settings import Settings
from planfix_server.wire.envelope import Envelope, parse_envelope
from tests.support import Api, Tenant, basic, provision, request_xml, running

DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
MINIMAL = b'<request method="user.get"><account>acme</account></request>'


def parse(body: bytes, max_depth: int = 32) -> Envelope:
    return parse_envelope(body, max_depth)


def code_of(body: bytes, max_depth: int = 32) -> str:
    try:
        parse_envelope(body, max_depth)
    except errors.ApiError as exc:
        return exc.code
    return "ok"


def nested(levels: int) -> bytes:
    """A user.get request whose deepest element sits ``levels`` below ``<request>`` (which is level 1)."""
    return (
        b'<request method="user.get"><account>acme</account>'
        + b"<a>" * levels
        + b"</a>" * levels
        + b"</request>"
    )


# -- leniency ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(MINIMAL, id="no-declaration"),
        pytest.param(DECLARATION + MINIMAL, id="declaration"),
        pytest.param(b"\xef\xbb\xbf" + DECLARATION + MINIMAL, id="utf8-bom"),
        pytest.param(b'<?xml version="1.0"?>' + MINIMAL, id="declaration-without-encoding"),
        pytest.param(b"\n\n" + MINIMAL + b"\n\n", id="blank-lines-around"),
        pytest.param(b"<!-- sent by a bot -->" + MINIMAL, id="comment-before-root"),
    ],
)
def test_declaration_is_optional(body: bytes) -> None:
    envelope = parse(body)
    assert (envelope.method, envelope.account, envelope.sid, envelope.signature) == (
        "user.get",
        "acme",
        "",
        "",
    )


def test_pretty_printed_and_compact_bodies_are_the_same_request() -> None:
    compact = (
        b'<request method="user.get"><account>acme</account><sid>abc</sid><user><id>7</id></user></request>'
    )
    pretty = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<request method="user.get">\n'
        b"\t<account>acme</account>\n"
        b"  <sid>abc</sid>\r\n"
        b"  <user>\n"
        b"    <id>7</id>\n"
        b"  </user>\n"
        b"</request>\n"
    )
    one, two = parse(compact), parse(pretty)
    assert (
        (one.method, one.account, one.sid)
        == (two.method, two.account, two.sid)
        == ("user.get", "acme", "abc")
    )
    assert one.root.findtext("user/id") == two.root.findtext("user/id") == "7"


def test_element_order_is_free() -> None:
    body = (
        b'<request method="user.get"><user><id>7</id></user><signature>s</signature>'
        b"<sid>abc</sid><silent>1</silent><account>acme</account></request>"
    )
    envelope = parse(body)
    assert (envelope.account, envelope.sid, envelope.signature, envelope.silent) == ("acme", "abc", "s", True)


def test_unknown_elements_are_kept_out_of_the_way() -> None:
    body = (
        b'<request method="user.get"><account>acme</account><pageSize>100</pageSize>'
        b"<whatever><deeper>x</deeper></whatever><user></user></request>"
    )
    envelope = parse(body)
    assert envelope.account == "acme"
    assert envelope.root.findtext("whatever/deeper") == "x"


@pytest.mark.parametrize(
    "inner",
    [
        pytest.param(b"<sid></sid><signature></signature>", id="open-close"),
        pytest.param(b"<sid/><signature/>", id="self-closing"),
        pytest.param(b"<sid> \n </sid><signature>\t</signature>", id="whitespace-only"),
    ],
)
def test_empty_sid_and_signature_are_absent(inner: bytes) -> None:
    envelope = parse(b'<request method="user.get"><account>acme</account>' + inner + b"</request>")
    assert envelope.sid == ""
    assert envelope.signature == ""


def test_method_name_is_trimmed_but_the_raw_value_is_kept() -> None:
    envelope = parse(b'<request method=" user.updateGroupMembership "><account> acme </account></request>')
    assert envelope.method == "user.updateGroupMembership"
    assert envelope.method_raw == " user.updateGroupMembership "
    assert envelope.root.get("method") == " user.updateGroupMembership "
    assert envelope.account == "acme"


def test_numeric_character_references_are_text() -> None:
    body = (
        b'<request method="task.add"><account>acme</account>'
        b"<task><title>&#1047;&#x430;&#1076;&#1072;&#1095;&#1072; &amp; &lt;b&gt;</title></task></request>"
    )
    assert parse(body).root.findtext("task/title") == "Задача & <b>"


@pytest.mark.parametrize(("text", "silent"), [("1", True), ("true", True), ("0", False), ("", False)])
def test_silent_flag(text: str, silent: bool) -> None:
    body = f'<request method="task.update"><account>acme</account><silent>{text}</silent></request>'
    assert parse(body.encode()).silent is silent


def test_cdata_split_trick_is_plain_text() -> None:
    body = b'<request method="x"><account>acme</account><t><![CDATA[a]]]]><![CDATA[>b]]></t></request>'
    assert parse(body).root.findtext("t") == "a]]>b"


def test_markup_inside_cdata_is_data_not_a_dtd() -> None:
    html = b"<!DOCTYPE html><!ENTITY x><p>hi</p>"
    body = b'<request method="x"><account>acme</account><d><![CDATA[' + html + b"]]></d></request>"
    assert parse(body).root.findtext("d") == html.decode()


def test_comments_are_dropped() -> None:
    body = b'<request method="x"><!-- <!ENTITY x "y"> --><account>ac<!-- c -->me</account></request>'
    assert parse(body).account == "acme"


def test_xinclude_is_an_unknown_element_and_is_not_processed() -> None:
    body = (
        b'<request method="user.get" xmlns:xi="http://www.w3.org/2001/XInclude"><account>acme</account>'
        b'<user><id><xi:include href="file:///etc/passwd" parse="text"/></id></user></request>'
    )
    root = parse(body).root
    include = root.find("user/id/{http://www.w3.org/2001/XInclude}include")
    assert include is not None
    assert root.findtext("user/id") == ""
    assert b"root:" not in etree.tostring(root)


@pytest.mark.parametrize("levels", [1, 31])
def test_nesting_up_to_the_cap_is_accepted(levels: int) -> None:
    assert code_of(nested(levels), max_depth=32) == "ok"


@pytest.mark.parametrize(
    ("levels", "cap", "code"), [(1, 3, "ok"), (1, 2, "ok"), (1, 1, "0003"), (2, 3, "ok"), (3, 3, "0003")]
)
def test_the_cap_holds_for_documents_with_few_nodes(levels: int, cap: int, code: str) -> None:
    # nested(levels) has levels + 2 nodes, the deepest at level levels + 1.
    assert code_of(nested(levels), max_depth=cap) == code


def test_a_wide_shallow_document_with_more_nodes_than_the_cap_is_accepted() -> None:
    body = b'<request method="user.get"><account>acme</account>' + b"<a><b/></a>" * 40 + b"</request>"
    assert code_of(body, max_depth=3) == "ok"
    assert code_of(body, max_depth=2) == "0003"


def test_the_first_of_repeated_envelope_elements_counts() -> None:
    body = (
        b'<request method="user.get"><sid> s1 </sid><account>acme</account><user><account>x</account></user>'
        b"<account>other</account><sid>s2</sid><signature/><signature>late</signature>"
        b"<silent>TRUE</silent><silent>0</silent></request>"
    )
    envelope = parse(body)
    assert (envelope.account, envelope.sid, envelope.signature, envelope.silent) == ("acme", "s1", "", True)
    assert code_of(b'<request method="user.get"><account/><account>acme</account></request>') == "0009"


# -- hostile or broken input: 0003 -----------------------------------------------------------------

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b']><request method="user.get"><account>&lol9;</account></request>'
)
XXE_FILE = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<request method="user.get"><account>&xxe;</account></request>'
)
XXE_HTTP = (
    b'<!DOCTYPE r [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/evil">]>'
    b'<request method="user.get"><account>&xxe;</account></request>'
)
PARAMETER_ENTITY = (
    b'<!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>'
    b'<request method="user.get"><account>acme</account></request>'
)
UTF16_DOCTYPE = (
    '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY e "acme">]>'
    '<request method="user.get"><account>&e;</account></request>'
)

HOSTILE: list[tuple[str, bytes]] = [
    ("empty", b""),
    ("whitespace-only", b" \r\n\t "),
    ("unclosed", b'<request method="user.get"><account>acme</account>'),
    ("mismatched", b'<request method="user.get"><account>acme</request></account>'),
    ("text-only", b"user.get acme"),
    ("json", b'{"method": "user.get", "account": "acme"}'),
    ("two-roots", MINIMAL + b"<request/>"),
    ("unquoted-attribute", b"<request method=user.get><account>acme</account></request>"),
    ("bare-ampersand", b'<request method="user.get"><account>a&b</account></request>'),
    ("declaration-not-first", b" " + DECLARATION + MINIMAL),
    ("bad-comment", b'<request method="user.get"><!-- a -- b --><account>acme</account></request>'),
    ("root-response", b'<response method="user.get"><account>acme</account></response>'),
    ("root-other-case", b'<Request method="user.get"><account>acme</account></Request>'),
    ("root-prefixed", b'<p:request xmlns:p="urn:x" method="user.get"><account>acme</account></p:request>'),
    ("root-namespaced", b'<request xmlns="urn:x" method="user.get"><account>acme</account></request>'),
    ("doctype", b"<!DOCTYPE request>" + MINIMAL),
    ("doctype-system", b'<!DOCTYPE request SYSTEM "http://127.0.0.1:9/r.dtd">' + MINIMAL),
    ("billion-laughs", BILLION_LAUGHS),
    ("external-entity-file", XXE_FILE),
    ("external-entity-http", XXE_HTTP),
    ("parameter-entity", PARAMETER_ENTITY),
    ("entity-reference-without-dtd", b'<request method="user.get"><account>&acme;</account></request>'),
    ("nesting-over-cap", nested(32)),
    ("nesting-far-over-cap", nested(5000)),
    ("invalid-utf8", b'<request method="user.get"><account>ac\xff\xfeme</account></request>'),
    ("truncated-utf8", b'<request method="user.get"><account>acme\xd0</account></request>'),
    ("overlong-utf8-2", b'<request method="user.get"><account>ac\xc0\xafme</account></request>'),
    ("overlong-utf8-3", b'<request method="user.get"><account>ac\xe0\x80\xafme</account></request>'),
    ("utf8-surrogate", b'<request method="user.get"><account>ac\xed\xa0\x80me</account></request>'),
    ("nul-byte", b'<request method="user.get"><account>ac\x00me</account></request>'),
    ("nul-after-root", MINIMAL + b"\x00"),
    ("nul-reference", b'<request method="user.get"><account>ac&#0;me</account></request>'),
    ("control-character", b'<request method="user.get"><account>ac\x01me</account></request>'),
    ("control-reference", b'<request method="user.get"><account>ac&#1;me</account></request>'),
    ("pi-before-root", b'<?xml-stylesheet href="x.xsl"?>' + MINIMAL),
    ("pi-inside", b'<request method="user.get"><?php echo 1; ?><account>acme</account></request>'),
    ("pi-after-root", MINIMAL + b"<?x y?>"),
    ("cdata-end-in-text", b'<request method="user.get"><account>ac]]>me</account></request>'),
    ("cdata-closed-early", b'<request method="user.get"><account><![CDATA[a]]>]]></account></request>'),
    ("cdata-unclosed", b'<request method="user.get"><account><![CDATA[acme</account></request>'),
    ("utf16-bom-doctype", UTF16_DOCTYPE.encode("utf-16")),
    ("utf16be-bom-doctype", b"\xfe\xff" + UTF16_DOCTYPE.encode("utf-16-be")),
    ("utf16le-no-bom-doctype", UTF16_DOCTYPE.replace("UTF-16", "UTF-16LE").encode("utf-16-le")),
    ("utf32-doctype", UTF16_DOCTYPE.replace("UTF-16", "UTF-32").encode("utf-32")),
    ("ebcdic", '<?xml version="1.0" encoding="cp500"?>'.encode("cp500") + MINIMAL.decode().encode("cp500")),
]


@pytest.mark.parametrize("body", [body for _, body in HOSTILE], ids=[name for name, _ in HOSTILE])
def test_hostile_or_broken_body_is_a_parse_error(body: bytes) -> None:
    assert code_of(body) == "0003"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"<request><account>acme</account></request>", id="no-method"),
        pytest.param(b'<request method=""><account>acme</account></request>', id="empty-method"),
        pytest.param(b'<request method="  "><account>acme</account></request>', id="blank-method"),
        pytest.param(b'<request method="user.get"></request>', id="no-account"),
        pytest.param(b'<request method="user.get"><account></account></request>', id="empty-account"),
        pytest.param(b'<request method="user.get"><account> </account></request>', id="blank-account"),
        pytest.param(
            b'<request method="user.get"><x><account>acme</account></x></request>', id="nested-account"
        ),
    ],
)
def test_missing_method_or_account_is_a_missing_parameter(body: bytes) -> None:
    assert code_of(body) == "0009"


# -- nothing is ever read --------------------------------------------------------------------------


def opens_fifo(fifo: Path, action: Callable[[], object]) -> bool:
    """Run ``action`` and tell whether it opened ``fifo`` for reading (it blocks there if it does)."""
    worker = threading.Thread(target=action, daemon=True)
    worker.start()
    worker.join(10)
    if not worker.is_alive():
        return False
    try:
        descriptor = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno != errno.ENXIO:
            raise
        worker.join(10)
        return worker.is_alive()
    os.close(descriptor)  # end of file for the reader: it goes on
    worker.join(10)
    return True


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs a FIFO")
    path = tmp_path / "probe.fifo"
    os.mkfifo(path)
    return path


def _external_bodies(target: str) -> dict[str, bytes]:
    request = '<request method="user.get"><account>a</account></request>'
    general = f'<!DOCTYPE r [<!ENTITY x SYSTEM "{target}">]>' + request.replace(">a<", ">&x;<")
    parameter = f'<!DOCTYPE r [<!ENTITY % p SYSTEM "{target}"> %p;]>' + request
    dtd = f'<!DOCTYPE request SYSTEM "{target}">' + request
    include = (
        '<request method="user.get" xmlns:xi="http://www.w3.org/2001/XInclude"><account>a</account>'
        f'<xi:include href="{target}" parse="text"/></request>'
    )
    bodies: dict[str, bytes] = {}
    for name, text in (("general", general), ("parameter", parameter), ("dtd", dtd), ("xinclude", include)):
        bodies[f"{name}-utf8"] = text.encode()
        bodies[f"{name}-utf16"] = ('<?xml version="1.0" encoding="UTF-16"?>' + text).encode("utf-16")
    return bodies


@pytest.mark.parametrize(
    "kind",
    [
        f"{name}-{encoding}"
        for name in ("general", "parameter", "dtd", "xinclude")
        for encoding in ("utf8", "utf16")
    ],
)
def test_the_parser_opens_no_file(fifo: Path, kind: str) -> None:
    body = _external_bodies(fifo.as_uri())[kind]
    outcome: list[str] = []
    assert not opens_fifo(fifo, lambda: outcome.append(code_of(body)))
    assert outcome == ["ok" if kind.startswith("xinclude") else "0003"]


# -- the same through the real app -----------------------------------------------------------------


def test_hostile_bodies_answer_0003_through_the_app(api: Api) -> None:
    for name, body in HOSTILE:
        reply = api.post(body)
        assert reply.status_code == 200, name
        assert reply.code == "0003", (name, reply.raw)
        assert reply.raw.startswith(DECLARATION), name


def test_missing_account_answers_0009_through_the_app(api: Api) -> None:
    reply = api.post(b'<request method="user.get"><user></user></request>')
    assert reply.code == "0009", reply.raw


def test_lenient_bodies_work_through_the_app(api: Api) -> None:
    bodies = [
        b'<request method="user.get"><account>acme</account></request>',
        b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?>\n<request method="user.get">\n'
        b"  <account>acme</account>\n  <sid></sid>\n  <signature></signature>\n  <pageSize>100</pageSize>\n"
        b"  <user>\n  </user>\n</request>\n",
        b'<request method=" user.get\t"><user><id>0</id></user><unknown><a/></unknown>'
        b"<account>acme</account></request>",
        b'<request method="user.get"><account>&#97;c&#x6D;e</account></request>',
    ]
    for body in bodies:
        reply = api.post(body)
        assert reply.ok, (body, reply.raw)
        assert reply.text("user/id") == str(api.tenant.owner_id)


def test_external_resources_leak_nothing_even_with_error_messages(settings: Settings, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    evil_dtd = tmp_path / "evil.dtd"
    # The "local DTD" trick: an external subset may use parameter entities inside declarations.
    evil_dtd.write_text(
        f'<!ENTITY % file SYSTEM "{secret.as_uri()}">'
        "<!ENTITY % eval \"<!ENTITY &#x25; error SYSTEM 'file:///nonexistent/%file;'>\">%eval;%error;"
    )
    local_dtd = (
        '<?xml version="1.0" encoding="UTF-16"?>'
        f'<!DOCTYPE r [<!ENTITY % ext SYSTEM "{evil_dtd.as_uri()}"> %ext;]>'
        '<request method="user.get"><account>acme</account></request>'
    )
    bodies = [*_external_bodies(secret.as_uri()).values(), local_dtd.encode("utf-16")]
    with running(settings.replace(error_messages=True)) as (server, client):
        tenant = provision(server, "acme")
        for body in bodies:
            response = client.post(
                "/xml/", content=body, headers={"Authorization": basic(tenant.api_key, tenant.token)}
            )
            assert response.status_code == 200
            assert b"TOP-SECRET" not in response.content
            assert b"<message>" in response.content or b'status="ok"' in response.content


def test_xinclude_is_not_processed_through_the_app(api: Api, tenant: Tenant, tmp_path: Path) -> None:
    # Were the include processed, <id> would read 999 and the answer would be 6004.
    other = tmp_path / "id.txt"
    other.write_text("999")
    body = request_xml(
        "user.get",
        tenant.name,
        '<user xmlns:xi="http://www.w3.org/2001/XInclude">'
        f'<id><xi:include href="{other.as_uri()}" parse="text"/></id></user>',
    )
    reply = api.post(body)
    assert reply.ok, reply.raw
    assert reply.text("user/id") == str(tenant.owner_id)
