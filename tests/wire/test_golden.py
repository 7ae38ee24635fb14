"""Golden cases: exact request bytes in, exact response bytes out, through the real app.

Each directory under ``cases/`` holds ``request.xml``, ``response.xml`` and ``case.toml``; the
scheme (credentials, fixture data, set-up requests, placeholders, updating) is described in
``cases/README.md``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from starlette.testclient import TestClient

from planfix_server.app import Server
from planfix_server.sandbox.fixtures import load_sections
from planfix_server.store import accounts
from planfix_server.store.db import WRITE
from tests.support import Api, Tenant, basic

CASES = Path(__file__).parent / "cases"
UPDATE = os.environ.get("PLANFIX_UPDATE_GOLDEN") == "1"
AUTH_MODES = ("token", "key", "sid", "unknown-key", "none")
KNOWN_KEYS = {"description", "auth", "path", "fixture", "setup"}

# Placeholders of response.xml that stand for a value the server made up.
PATTERNS = {"hex32": rb"[0-9a-f]{32}"}
PLACEHOLDER = re.compile(rb"\{\{([a-z0-9_]+)\}\}")
# The account's time zone: what the server writes "now" in (provisioning's default).
ACCOUNT_ZONE = dt.UTC


@dataclass(frozen=True)
class Case:
    name: str
    directory: Path
    description: str
    auth: str
    path: str
    fixture: dict[str, Any]
    setup: tuple[str, ...]

    @classmethod
    def load(cls, directory: Path) -> Case:
        meta = tomllib.loads((directory / "case.toml").read_text(encoding="utf-8"))
        unknown = set(meta) - KNOWN_KEYS
        assert not unknown, f"{directory.name}/case.toml: unknown keys {sorted(unknown)}"
        auth = meta.get("auth", "token")
        assert auth in AUTH_MODES, f"{directory.name}/case.toml: auth must be one of {AUTH_MODES}"
        assert meta.get("description"), f"{directory.name}/case.toml: say what the case shows"
        setup = meta.get("setup", [])
        assert isinstance(setup, list) and all(isinstance(one, str) for one in setup), (
            f"{directory.name}/case.toml: setup is a list of request bodies"
        )
        fixture = meta.get("fixture", {})
        if isinstance(fixture, str):
            fixture = json.loads(fixture)
        assert isinstance(fixture, dict), (
            f"{directory.name}/case.toml: fixture is a table of sections or a JSON object"
        )
        return cls(
            directory.name,
            directory,
            meta["description"],
            auth,
            meta.get("path", "/xml/"),
            fixture,
            tuple(setup),
        )


def all_cases() -> list[Case]:
    return [Case.load(path) for path in sorted(CASES.iterdir()) if (path / "case.toml").is_file()]


def substitute(template: bytes, values: dict[str, str]) -> bytes:
    """Replace ``{{name}}`` by a known value; unknown names are left for ``matches``."""

    def one(match: re.Match[bytes]) -> bytes:
        name = match.group(1).decode()
        return values[name].encode() if name in values else match.group(0)

    return PLACEHOLDER.sub(one, template)


def minutes_between(begin: dt.datetime, end: dt.datetime) -> list[str]:
    """Every ``dd-mm-yyyy HH:MM`` of the account's zone from ``begin`` to ``end``, both included."""
    first = begin.astimezone(ACCOUNT_ZONE).replace(second=0, microsecond=0)
    last = end.astimezone(ACCOUNT_ZONE)
    found = []
    while first <= last:
        found.append(
            f"{first.day:02d}-{first.month:02d}-{first.year:04d} {first.hour:02d}:{first.minute:02d}"
        )
        first += dt.timedelta(minutes=1)
    return found


def now_pattern(minutes: Sequence[str]) -> bytes:
    """``{{now}}``: one of the minutes the case ran in, nothing else."""
    return b"(?:" + b"|".join(re.escape(one.encode()) for one in minutes) + b")"


def matches(expected: bytes, actual: bytes, minutes: Sequence[str] = ()) -> bool:
    """``actual`` equals ``expected`` where each remaining placeholder matches its pattern."""
    patterns = dict(PATTERNS)
    if minutes:
        patterns["now"] = now_pattern(minutes)
    parts: list[bytes] = []
    position = 0
    for match in PLACEHOLDER.finditer(expected):
        name = match.group(1).decode()
        assert name in patterns, f"unknown placeholder {{{{{name}}}}}"
        parts.extend((re.escape(expected[position : match.start()]), patterns[name]))
        position = match.end()
    parts.append(re.escape(expected[position:]))
    return re.fullmatch(b"".join(parts), actual) is not None


def placeholders_for(actual: bytes, values: dict[str, str], minutes: Sequence[str] = ()) -> bytes:
    """What update mode writes: known values, the minutes of the run and other 32-hex secrets back
    as placeholders."""
    for name, value in values.items():
        actual = actual.replace(value.encode(), b"{{%s}}" % name.encode())
    for minute in minutes:
        actual = actual.replace(minute.encode(), b"{{now}}")
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


def load_fixture(case: Case, server: Server, tenant: Tenant, now: dt.datetime) -> None:
    """The case's fixture sections, loaded into the freshly provisioned account."""
    if not case.fixture:
        return
    with server.engine.connect() as connection:
        connection.info[WRITE] = True
        account = accounts.get(connection, tenant.account_id)
        load_sections(
            connection,
            account,
            case.fixture,
            passwords=server.passwords,
            now=now,
            where=f"{case.name}.fixture",
        )
        connection.commit()


def run_setup(case: Case, client: TestClient, tenant: Tenant, values: dict[str, str]) -> None:
    """The case's set-up requests, in order, as the owner (by token); each must answer ok."""
    for number, template in enumerate(case.setup, 1):
        body = substitute(template.encode(), values)
        assert not PLACEHOLDER.search(body), (
            f"{case.name}: setup {number} uses a placeholder auth={case.auth} lacks"
        )
        response = client.post(
            "/xml/", content=body, headers={"Authorization": basic(tenant.api_key, tenant.token)}
        )
        answer = etree.fromstring(response.content)
        assert response.status_code == 200 and answer.get("status") == "ok", (
            f"{case.name}: setup {number} failed: {response.content!r}"
        )


CASE_LIST = all_cases()


def test_there_are_golden_cases() -> None:
    names = {case.name for case in CASE_LIST}
    for code in ("0001", "0003", "0004", "0008", "0009", "0012"):
        assert any(name.startswith(f"error.{code}.") for name in names), code
    assert {"auth.login", "user.get.caller", "userGroup.getList.empty"} <= names
    assert {"action.getList.task-history", "action.get.status-change", "contact.getList.empty"} <= names
    assert {"handbook.getRecords.children", "analitic.getData.work-log", "file.getHistory.versions"} <= names
    assert {"action.add.toggl-analitics", "action.get.analitics-and-files"} <= names


@pytest.mark.parametrize("case", CASE_LIST, ids=[case.name for case in CASE_LIST])
def test_golden(case: Case, server: Server, api: Api, client: TestClient, tenant: Tenant) -> None:
    begin = dt.datetime.now(dt.UTC)
    load_fixture(case, server, tenant, begin)
    header, values = authorization(case, api, tenant)
    run_setup(case, client, tenant, values)
    body = substitute((case.directory / "request.xml").read_bytes(), values)
    assert not PLACEHOLDER.search(body), f"{case.name}: request.xml uses a placeholder auth={case.auth} lacks"
    headers = {} if header is None else {"Authorization": header}
    response = client.post(case.path, content=body, headers=headers, follow_redirects=False)
    assert response.status_code == 200
    actual = response.content
    minutes = minutes_between(begin, dt.datetime.now(dt.UTC))
    etree.fromstring(actual)  # every answer is well-formed XML

    expected_path = case.directory / "response.xml"
    if UPDATE:
        expected_path.write_bytes(placeholders_for(actual, values, minutes))
        pytest.skip(f"rewrote {expected_path}")
    expected = substitute(expected_path.read_bytes(), values)
    if not matches(expected, actual, minutes):
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


def test_now_placeholder_matches_only_the_minutes_of_the_run() -> None:
    begin = dt.datetime(2026, 12, 31, 23, 59, 58, tzinfo=dt.UTC)
    minutes = minutes_between(begin, begin + dt.timedelta(seconds=3))
    assert minutes == ["31-12-2026 23:59", "01-01-2027 00:00"]
    expected = b"<dateTime>{{now}}</dateTime>"
    assert matches(expected, b"<dateTime>01-01-2027 00:00</dateTime>", minutes)
    assert not matches(expected, b"<dateTime>01-01-2027 00:01</dateTime>", minutes)
    assert not matches(expected, b"<dateTime>13-02-2018 01:27</dateTime>", minutes)
    with pytest.raises(AssertionError, match="unknown placeholder"):
        matches(expected, b"<dateTime>31-12-2026 23:59</dateTime>")  # only where the run gives minutes
    assert placeholders_for(b"<d>31-12-2026 23:59</d><d>13-02-2018 01:27</d>", {}, minutes) == (
        b"<d>{{now}}</d><d>13-02-2018 01:27</d>"
    )
