"""Golden cases: exact request bytes in, exact response bytes out, through the real app.

Each directory under ``cases/`` holds ``request.xml``, ``response.xml`` and ``case.toml``; the
scheme (credentials, placeholders, updating) is described in ``cases/README.md``.
"""

from __future__ import annotations

import os
import re
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree
from starlette.testclient import TestClient

from planfix_server.api.registry import REGISTRY
from tests.support import Api, Tenant, basic

CASES = Path(__file__).parent / "cases"
UPDATE = os.environ.get("PLANFIX_UPDATE_GOLDEN") == "1"
AUTH_MODES = ("token", "key", "sid", "unknown-key", "none")
KNOWN_KEYS = {"description", "auth", "path", "requires", "unimplemented"}

# Placeholders of response.xml that stand for a value the server made up.
PATTERNS = {"hex32": rb"[0-9a-f]{32}"}
PLACEHOLDER = re.compile(rb"\{\{([a-z0-9_]+)\}\}")


@dataclass(frozen=True)
class Case:
    name: str
    directory: Path
    description: str
    auth: str
    path: str
    requires: tuple[str, ...]
    unimplemented: str

    @classmethod
    def load(cls, directory: Path) -> Case:
        meta = tomllib.loads((directory / "case.toml").read_text(encoding="utf-8"))
        unknown = set(meta) - KNOWN_KEYS
        assert not unknown, f"{directory.name}/case.toml: unknown keys {sorted(unknown)}"
        auth = meta.get("auth", "token")
        assert auth in AUTH_MODES, f"{directory.name}/case.toml: auth must be one of {AUTH_MODES}"
        assert meta.get("description"), f"{directory.name}/case.toml: say what the case shows"
        return cls(
            directory.name,
            directory,
            meta["description"],
            auth,
            meta.get("path", "/xml/"),
            tuple(meta.get("requires", ())),
            meta.get("unimplemented", ""),
        )


def all_cases() -> list[Case]:
    return [Case.load(path) for path in sorted(CASES.iterdir()) if (path / "case.toml").is_file()]


def substitute(template: bytes, values: dict[str, str]) -> bytes:
    """Replace ``{{name}}`` by a known value; unknown names are left for ``matches``."""

    def one(match: re.Match[bytes]) -> bytes:
        name = match.group(1).decode()
        return values[name].encode() if name in values else match.group(0)

    return PLACEHOLDER.sub(one, template)


def matches(expected: bytes, actual: bytes) -> bool:
    """``actual`` equals ``expected`` where each remaining placeholder matches its pattern."""
    parts: list[bytes] = []
    position = 0
    for match in PLACEHOLDER.finditer(expected):
        name = match.group(1).decode()
        assert name in PATTERNS, f"unknown placeholder {{{{{name}}}}}"
        parts.extend((re.escape(expected[position : match.start()]), PATTERNS[name]))
        position = match.end()
    parts.append(re.escape(expected[position:]))
    return re.fullmatch(b"".join(parts), actual) is not None


def placeholders_for(actual: bytes, values: dict[str, str]) -> bytes:
    """What update mode writes: known values and other 32-hex secrets back as placeholders."""
    for name, value in values.items():
        actual = actual.replace(value.encode(), b"{{%s}}" % name.encode())
    return re.sub(rb"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])", b"{{hex32}}", actual)


def authorization(case: Case, api: Api, tenant: Tenant) -> tuple[str | None, dict[str, str]]:
    """The Authorization header for the case and the request placeholders it makes available."""
    if case.auth == "token":
        return basic(tenant.api_key, tenant.token), {}
    if case.auth == "key":
        return basic(tenant.api_key), {}
    if case.auth == "sid":
        return basic(tenant.api_key), {"sid": api.login(tenant.owner_login, tenant.owner_password)}
    if case.auth == "unknown-key":
        return basic(secrets.token_hex(16)), {}
    return None, {}


CASE_LIST = all_cases()


def test_there_are_golden_cases() -> None:
    names = {case.name for case in CASE_LIST}
    for code in ("0001", "0003", "0004", "0008", "0009", "0012", "0018"):
        assert any(name.startswith(f"error.{code}.") for name in names), code
    assert {"auth.login", "user.get.caller", "userGroup.getList.empty"} <= names


@pytest.mark.parametrize("case", CASE_LIST, ids=[case.name for case in CASE_LIST])
def test_golden(
    case: Case, api: Api, client: TestClient, tenant: Tenant, request: pytest.FixtureRequest
) -> None:
    missing = [name for name in case.requires if not REGISTRY[name].implemented]
    if missing:
        request.applymarker(
            pytest.mark.xfail(reason=f"not implemented yet: {', '.join(missing)}", strict=False)
        )
    if case.unimplemented:
        assert not REGISTRY[case.unimplemented].implemented, (
            f"{case.name} needs a declared but unimplemented function and {case.unimplemented} now has a "
            "handler: pick another one for this case"
        )
    header, values = authorization(case, api, tenant)
    body = substitute((case.directory / "request.xml").read_bytes(), values)
    assert not PLACEHOLDER.search(body), f"{case.name}: request.xml uses a placeholder auth={case.auth} lacks"
    headers = {} if header is None else {"Authorization": header}
    response = client.post(case.path, content=body, headers=headers, follow_redirects=False)
    assert response.status_code == 200
    actual = response.content
    etree.fromstring(actual)  # every answer is well-formed XML

    expected_path = case.directory / "response.xml"
    if UPDATE:
        expected_path.write_bytes(placeholders_for(actual, values))
        pytest.skip(f"rewrote {expected_path}")
    expected = substitute(expected_path.read_bytes(), values)
    if not matches(expected, actual):
        assert actual == expected  # the byte diff


def test_placeholder_matching() -> None:
    expected = b"<sid>{{hex32}}</sid>"
    assert matches(expected, b"<sid>" + b"a" * 32 + b"</sid>")
    assert not matches(expected, b"<sid>" + b"A" * 32 + b"</sid>")
    assert not matches(expected, b"<sid>" + b"a" * 31 + b"</sid>")
    assert not matches(b"<x>.</x>", b"<x>y</x>")  # literal parts are literal
    assert substitute(b"<sid>{{sid}}</sid>{{hex32}}", {"sid": "s"}) == b"<sid>s</sid>{{hex32}}"
    assert placeholders_for(b"<a>" + b"b" * 32 + b"</a><s>xyz</s>", {"sid": "xyz"}) == (
        b"<a>{{hex32}}</a><s>{{sid}}</s>"
    )
