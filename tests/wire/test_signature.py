"""The request signature: the worked examples of planfix-xml-api/01-authentication.md §4.3."""

from __future__ import annotations

import hashlib

import pytest
from lxml import etree

from planfix_server.wire import signature
from planfix_server.wire.envelope import parse_envelope

KEY = "abcdef0123456789abcdef0123456789"

EXAMPLE_1 = b"""<request method="auth.login">
  <account>acc</account>
  <password>passw</password>
  <login>login</login>
</request>"""

EXAMPLE_2 = b"""<request method="user.updateGroupMembership">
  <account>acc</account>
  <sid>0123456789abcdef0123456789abcdef</sid>
  <user>
    <id>42</id>
    <addUserGroup><id>7</id><id>3</id></addUserGroup>
    <delUserGroup><id>5</id></delUserGroup>
  </user>
  <signature>will-be-ignored</signature>
</request>"""

EXAMPLE_3 = b"""<request method="user.getList">
  <account>acc</account>
  <sid>0123456789abcdef0123456789abcdef</sid>
  <status>ACTIVE</status>
  <userGroup><id>12</id></userGroup>
  <sortType>NAME_ASC</sortType>
  <pageSize>100</pageSize>
  <pageCurrent>1</pageCurrent>
  <onlyOnline></onlyOnline>
</request>"""

EXAMPLE_4 = """<request method="user.update">
  <account>acc</account>
  <sid>0123456789abcdef0123456789abcdef</sid>
  <user><id>42</id><name>Иван</name><lastName>Петров</lastName></user>
</request>""".encode()

EXAMPLES = [
    pytest.param(EXAMPLE_1, "c4d5654f7ff6476e13d2585483d4c0b0", id="1-auth.login"),
    pytest.param(EXAMPLE_2, "cc36c13aa45ce850bb2757c1cf82694d", id="2-nesting-and-list"),
    pytest.param(EXAMPLE_3, "ddc47aa98c02c99a315f54403bec24f4", id="3-mixed-case-and-empty"),
    pytest.param(EXAMPLE_4, "c5a91ae8f2f916f364b33d17a4952abb", id="4-non-ascii"),
]

# The strings to hash, exactly as the reference spells them out.
EXAMPLE_STRINGS = {
    EXAMPLE_1: "auth.loginaccloginpassw",
    EXAMPLE_2: "user.updateGroupMembershipacc0123456789abcdef0123456789abcdef73542",
    EXAMPLE_3: "user.getListacc11000123456789abcdef0123456789abcdefNAME_ASCACTIVE12",
    EXAMPLE_4: "user.updateacc0123456789abcdef0123456789abcdef42ПетровИван",
}

SORTED_LIST_VARIANT = "a3fd37f64cd28c259ed18dec6da44abc"


def root_of(body: bytes) -> etree._Element:
    """The request as the server sees it: through the hardened envelope parser."""
    return parse_envelope(body).root


@pytest.mark.parametrize(("body", "expected"), EXAMPLES)
def test_worked_examples(body: bytes, expected: str) -> None:
    assert signature.compute(root_of(body), KEY) == expected
    assert signature.verify(root_of(body), expected, KEY)


@pytest.mark.parametrize(("body", "expected"), EXAMPLES)
def test_reference_strings_hash_to_the_worked_signatures(body: bytes, expected: str) -> None:
    # Guards the vectors themselves: the documented string plus the key gives the documented value.
    base = EXAMPLE_STRINGS[body] + KEY
    assert hashlib.md5(base.encode(), usedforsecurity=False).hexdigest() == expected


def test_example_1_without_a_key() -> None:
    assert signature.compute(root_of(EXAMPLE_1), "") == "9f66fe46e8152cba521c1ad258ef5189"


@pytest.mark.parametrize(("body", "expected"), EXAMPLES)
def test_client_side_signature_before_the_element_is_added(body: bytes, expected: str) -> None:
    # sign_bytes is what a client computes; example 2 already carries a <signature>, which is skipped.
    assert signature.sign_bytes(body, KEY) == expected


def test_value_sorted_list_variant_is_accepted() -> None:
    root = root_of(EXAMPLE_2)
    assert signature.compute(root, KEY, sort_lists=True) == SORTED_LIST_VARIANT
    assert signature.verify(root, SORTED_LIST_VARIANT, KEY)


@pytest.mark.parametrize(("body", "expected"), EXAMPLES)
def test_upper_case_hex_and_surrounding_whitespace_are_accepted(body: bytes, expected: str) -> None:
    assert signature.verify(root_of(body), expected.upper(), KEY)
    assert signature.verify(root_of(body), f" {expected}\n", KEY)


@pytest.mark.parametrize(("body", "expected"), EXAMPLES)
def test_wrong_signatures_are_rejected(body: bytes, expected: str) -> None:
    root = root_of(body)
    flipped = ("0" if expected[0] != "0" else "1") + expected[1:]
    for wrong in (flipped, expected[:-1], expected + "0", "", "не-hex", SORTED_LIST_VARIANT):
        if body is EXAMPLE_2 and wrong == SORTED_LIST_VARIANT:
            continue
        assert not signature.verify(root, wrong, KEY), wrong
    assert not signature.verify(root, expected, KEY[:-1] + "0")


def test_the_method_is_hashed_as_sent_untrimmed() -> None:
    body = EXAMPLE_1.replace(b'method="auth.login"', b'method="auth.login "')
    trimmed = "c4d5654f7ff6476e13d2585483d4c0b0"
    assert not signature.verify(root_of(body), trimmed, KEY)
    untrimmed = hashlib.md5(f"auth.login accloginpassw{KEY}".encode(), usedforsecurity=False).hexdigest()
    assert signature.verify(root_of(body), untrimmed, KEY)


def test_only_the_root_level_signature_element_is_skipped() -> None:
    body = (
        b'<request method="x"><account>a</account><p><signature>v</signature></p>'
        b"<signature>s</signature></request>"
    )
    expected = hashlib.md5(f"xav{KEY}".encode(), usedforsecurity=False).hexdigest()
    assert signature.compute(root_of(body), KEY) == expected


def test_entity_escaped_text_is_hashed_decoded() -> None:
    body = b'<request method="x"><account>a</account><d>&lt;b&gt; &amp; &#1047;</d></request>'
    expected = hashlib.md5(f"xa<b> & З{KEY}".encode(), usedforsecurity=False).hexdigest()
    assert signature.compute(root_of(body), KEY) == expected
