"""The fixtures loader: every section, defaults, one transaction, clear errors, the section registry."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from planfix_server import security
from planfix_server.app import Server
from planfix_server.domain.access.repository import AccessRepository
from planfix_server.domain.users.repository import UserRepository
from planfix_server.sandbox import fixtures
from planfix_server.sandbox.fixtures import FixtureError, SeedContext, parse_fixture, read_fixture, seed
from planfix_server.store import accounts
from planfix_server.store.tables import accounts as accounts_table
from planfix_server.store.uow import AccountUnitOfWork
from tests.sandbox.conftest import ACME, API_KEY, SIGNATURE_KEY, TOKEN, tenant_of
from tests.support import Api, basic, request_xml

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)

FULL: dict[str, Any] = {
    "accounts": [
        {
            "name": "acme",
            "plan": "premium",
            "timezone": "Europe/Moscow",
            "owner": {"login": "boss", "password": "boss-pass", "name": "Big", "last_name": "Boss"},
            "users": [
                {
                    "login": "ivan",
                    "password": "ivan-pass",
                    "name": "Ivan",
                    "mid_name": "I.",
                    "last_name": "Petrov",
                    "email": "ivan@acme.test",
                    "role": "ADMIN",
                    "groups": ["Sales", "Support"],
                },
                {"login": "olga", "status": "UNACTIVE", "groups": ["Sales"]},
                {"login": "bot"},
            ],
            "user_groups": [{"name": "Sales", "heads": ["ivan", "boss"]}, {"name": "Support"}],
            "api_keys": [
                {"api_key": API_KEY, "signature_key": SIGNATURE_KEY},
                {"api_key": "signedkey", "require_signature": True},
                {"api_key": "blockedkey", "blocked": True},
            ],
            "tokens": [
                {"token": TOKEN},
                {"token": "ivantoken", "user": "ivan", "methods": ["user.get"]},
                {"token": "oldtoken", "user": "bot", "revoked": True},
                {"user": "olga"},
            ],
        },
        {"name": "frozen", "plan": "standard", "status": "frozen", "data_centre": "local"},
    ]
}


def load(server: Server, fixture: Any) -> dict[str, Any]:
    return seed(server.engine, fixture, passwords=server.passwords, now=NOW, data_centre="local")


def account_count(server: Server) -> int:
    with server.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(accounts_table)).scalar_one())


def test_every_built_in_section(server: Server, client: TestClient) -> None:
    loaded = load(server, FULL)["accounts"]
    acme = loaded[0]
    assert acme["owner"] == {"id": 1, "login": "boss", "password": "boss-pass"}
    assert acme["users"] == {"boss": 1, "ivan": 2, "olga": 3, "bot": 4}
    assert acme["user_groups"] == {"Sales": 1, "Support": 2}
    assert [k["api_key"] for k in acme["api_keys"]] == [API_KEY, "signedkey", "blockedkey"]
    assert acme["api_keys"][0]["signature_key"] == SIGNATURE_KEY
    assert len(acme["api_keys"][1]["signature_key"]) == 32  # generated when left out
    tokens = acme["tokens"]
    assert [(t["user"], t["methods"], t["revoked"]) for t in tokens] == [
        ("boss", None, False),
        ("ivan", ["user.get"], False),
        ("bot", None, True),
        ("olga", None, False),
    ]
    assert tokens[0]["token"] == TOKEN and len(tokens[3]["token"]) == 32

    with server.engine.connect() as connection:
        record = accounts.find(connection, "acme")
        assert record is not None and (record.plan, record.timezone) == ("premium", "Europe/Moscow")
        users = AccountUnitOfWork(connection, record.id).get(UserRepository)
        ivan = users.by_login("ivan")
        assert ivan is not None
        assert (ivan.name, ivan.mid_name, ivan.last_name, ivan.email, ivan.role) == (
            "Ivan",
            "I.",
            "Petrov",
            "ivan@acme.test",
            "ADMIN",
        )
        olga, bot = users.by_login("olga"), users.by_login("bot")
        assert olga is not None and olga.status == "UNACTIVE" and olga.password_hash is None
        assert bot is not None and (bot.name, bot.role, bot.status) == ("bot", "USER", "ACTIVE")
        sales, support = acme["user_groups"]["Sales"], acme["user_groups"]["Support"]
        assert users.group_ids_of(2) == {sales, support}
        assert users.group_ids_of(3) == {sales}
        assert sorted(users.head_ids(1)) == [1, 2] and users.head_ids(2) == []
        keys = AccessRepository(connection, record.id).keys()
        assert [(k.require_signature, k.blocked) for k in keys] == [
            (False, False),
            (True, False),
            (False, True),
        ]
        frozen = accounts.find(connection, "frozen")
        assert frozen is not None and (frozen.plan, frozen.status) == ("standard", "frozen")

    api = Api(client, tenant_of(acme))
    assert api.call("user.get").text("user/login") == "boss"
    assert api.login("ivan", "ivan-pass")
    ivan_api = api.as_user("ivantoken")
    assert ivan_api.call("user.get").text("user/login") == "ivan"
    assert ivan_api.call("userGroup.getList").code == "0020"
    assert api.as_user("oldtoken").call("user.get").code == "0012"
    assert api.as_user(tokens[3]["token"]).call("user.get").code == "0014"
    body = request_xml("user.get", "acme")
    assert api.post(body, authorization=basic("signedkey", TOKEN)).code == "0006"
    assert api.post(body, authorization=basic("blockedkey", TOKEN)).code == "0002"
    assert Api(client, tenant_of(loaded[1])).call("user.get").code == "0010"


def test_defaults_one_key_one_owner_token_generated_password(server: Server, client: TestClient) -> None:
    made = load(server, {"accounts": [{"name": "bare"}]})["accounts"][0]
    assert made["plan"] == "premium" and made["owner"]["login"] == "owner"
    assert len(made["owner"]["password"]) >= 12
    assert len(made["api_keys"]) == 1 and len(made["tokens"]) == 1
    assert made["users"] == {"owner": made["owner"]["id"]} and "user_groups" not in made
    api = Api(client, tenant_of(made))
    assert api.call("user.get").ok
    assert api.login("owner", made["owner"]["password"])
    none = load(server, {"accounts": [{"name": "keyless", "api_keys": [], "tokens": []}]})["accounts"][0]
    assert none["api_keys"] == [] and none["tokens"] == []


def test_fixed_secrets_are_stored_as_digests_only(server: Server) -> None:
    load(server, {"accounts": [ACME]})
    with server.engine.connect() as connection:
        raw = connection.exec_driver_sql("SELECT key_hash FROM api_keys").scalar_one()
        assert raw == security.digest(API_KEY) and API_KEY not in raw
        assert connection.exec_driver_sql("SELECT token_hash FROM tokens").scalar_one() == security.digest(
            TOKEN
        )


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        (
            {"accounts": [{"name": "a", "projectz": []}]},
            "unknown section 'projectz'; sections: analitic_groups, analitics, api_keys",
        ),
        ({"accounts": [{"name": "a", "users": [{"login": "x", "rol": "ADMIN"}]}]}, "unknown field 'rol'"),
        ({"accounts": [{"name": "a", "users": [{"login": "x", "role": "BOSS"}]}]}, "users[0].role: 'BOSS'"),
        ({"accounts": [{"name": "a", "plan": "gold"}]}, "plan: 'gold' is not one of free"),
        ({"accounts": [{"name": "a", "timezone": "Mars/Base"}]}, "unknown time zone 'Mars/Base'"),
        ({"accounts": [{"plan": "premium"}]}, "accounts[1].name: required"),
        (
            {"accounts": [{"name": "a", "users": [{"login": "x", "groups": ["Nope"]}]}]},
            "no user_groups entry 'Nope'",
        ),
        (
            {"accounts": [{"name": "a", "user_groups": [{"name": "G", "heads": ["ghost"]}]}]},
            "no users entry 'ghost'",
        ),
        ({"accounts": [{"name": "a", "users": [{"login": "owner"}]}]}, "users[0]: 6002"),
        ({"accounts": [{"name": "a", "users": [{"login": "x"}, {"login": "y", "email": None}]}]}, None),
        ({"accounts": [{"name": "a", "user_groups": [{"name": "G"}, {"name": "G"}]}]}, "'G' appears twice"),
        (
            {"accounts": [{"name": "a", "plan": "standard", "users": [{"login": "t", "role": "TECHADMIN"}]}]},
            "TECHADMIN",
        ),
        (
            {"accounts": [{"name": "a", "api_keys": [{"api_key": 1234}]}]},
            "expected text, got int (quote it in YAML)",
        ),
        ({"accounts": [{"name": "a", "api_keys": [{"api_key": "a:b"}]}]}, "cannot contain ':'"),
        (
            {"accounts": [{"name": "a", "api_keys": [{"api_key": "k"}, {"api_key": "K"}]}]},
            "the same key twice",
        ),
        ({"accounts": [{"name": "a", "tokens": [{"token": "has space"}]}]}, "one word without spaces"),
        (
            {"accounts": [{"name": "a", "tokens": [{"user": "ghost"}]}]},
            "tokens[0].user: no users entry 'ghost'",
        ),
        (
            {"accounts": [{"name": "a", "tokens": [{"methods": ["user.fly"]}]}]},
            "unknown function(s) user.fly",
        ),
        ({"accounts": [{"name": "a", "tokens": [{"methods": []}]}]}, "lists no function"),
        ({"accounts": [{"name": "a", "api_keys": [{"blocked": "yes"}]}]}, "expected true or false"),
        ({"accounts": [{"name": "a", "users": {"login": "x"}}]}, "users: expected a list, got dict"),
        ({"accounts": [{"name": "a"}, {"name": "a"}]}, "accounts[2] (a): the account exists"),
        ({"accounts": {}}, "accounts: expected a list"),
        ({"tenants": []}, "fixture: unknown field 'tenants'"),
    ],
)
def test_a_bad_fixture_is_a_clear_error_and_changes_nothing(
    server: Server, fixture: dict[str, Any], message: str | None
) -> None:
    good = {"name": "first"}  # loaded before the mistake, in the same transaction
    broken = {"accounts": [good, *fixture.get("accounts", [])]} if "accounts" in fixture else fixture
    if isinstance(fixture.get("accounts"), dict):
        broken = fixture
    if message is None:
        load(server, broken)  # a control: a good fixture loads
        return
    with pytest.raises(FixtureError) as raised:
        load(server, broken)
    assert message in str(raised.value)
    assert account_count(server) == 0


def test_the_first_account_of_a_failed_fixture_is_not_kept(server: Server) -> None:
    with pytest.raises(FixtureError):
        load(server, {"accounts": [ACME, {"name": "b", "users": [{"login": "x", "groups": ["late"]}]}]})
    assert account_count(server) == 0
    assert load(server, {"accounts": [ACME]})["accounts"][0]["name"] == "acme"


def test_an_existing_account_is_refused(server: Server) -> None:
    load(server, {"accounts": [ACME]})
    with pytest.raises(FixtureError, match="the account exists"):
        load(server, {"accounts": [{"name": "acme"}]})


# -- parsing


def test_parse_json_and_yaml_and_sniffing(tmp_path: Path) -> None:
    assert parse_fixture('{"accounts": []}') == {"accounts": []}
    assert parse_fixture(b'\xef\xbb\xbf{"accounts": []}') == {"accounts": []}  # a BOM is fine
    with pytest.raises(FixtureError, match="not valid JSON"):
        parse_fixture("{accounts: ", kind="json")
    with pytest.raises(FixtureError, match="a mapping with 'accounts'"):
        parse_fixture("[1, 2]", kind="json")
    with pytest.raises(FixtureError, match="unknown fixture format"):
        parse_fixture("{}", kind="toml")
    json_file = tmp_path / "f.json"
    json_file.write_text(json.dumps({"accounts": [ACME]}))
    assert read_fixture(json_file)["accounts"][0]["name"] == "acme"
    with pytest.raises(FixtureError, match="cannot read"):
        read_fixture(tmp_path / "missing.json")
    pytest.importorskip("yaml")
    assert parse_fixture("accounts:\n  - name: acme\n") == {"accounts": [{"name": "acme"}]}
    yaml_file = tmp_path / "f.yml"
    yaml_file.write_text("accounts: []\n")
    assert read_fixture(yaml_file) == {"accounts": []}
    with pytest.raises(FixtureError, match="not valid YAML"):
        parse_fixture("accounts: [", kind="yaml")


def test_yaml_without_pyyaml_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "yaml", None)  # makes `import yaml` fail
    with pytest.raises(FixtureError, match=r"pip install 'planfix-server\[sandbox\]'"):
        parse_fixture("accounts: []")
    assert parse_fixture('{"accounts": []}') == {"accounts": []}  # JSON needs nothing


# -- the registry


@pytest.fixture
def widgets() -> Iterator[list[tuple[str, Any]]]:
    """A section registered for one test, as a domain module would register its own."""
    seen: list[tuple[str, Any]] = []

    @fixtures.section("widgets", order=35, default=[])
    def load_widgets(context: SeedContext, data: Any, where: str) -> None:
        # Runs after api_keys (30) and before tokens (40); users are referable by login.
        seen.append((where, data))
        for index, value in enumerate(data):
            context.ref("users", value["owner"], f"{where}[{index}].owner")
            context.remember("widgets", value["name"], index + 1, f"{where}[{index}]")
        context.result["widgets"] = dict(context.refs.get("widgets", {}))

    yield seen
    del fixtures.SECTIONS["widgets"]


def test_a_registered_section_loads_in_order_with_references(server: Server, widgets: list[Any]) -> None:
    loaded = load(
        server, {"accounts": [{"name": "a", "widgets": [{"name": "w", "owner": "owner"}]}, {"name": "b"}]}
    )
    assert widgets == [
        ("accounts[0] (a).widgets", [{"name": "w", "owner": "owner"}]),
        ("accounts[1] (b).widgets", []),
    ]
    assert loaded["accounts"][0]["widgets"] == {"w": 1}
    with pytest.raises(FixtureError, match=r"widgets\[0\].owner: no users entry 'nobody'"):
        load(server, {"accounts": [{"name": "c", "widgets": [{"name": "w", "owner": "nobody"}]}]})


def test_registering_twice_or_over_an_account_field_is_refused() -> None:
    fixtures.discover_sections()
    with pytest.raises(RuntimeError, match="registered twice"):
        fixtures.section("users")(lambda context, data, where: None)
    with pytest.raises(RuntimeError, match="a field of the account"):
        fixtures.section("plan")(lambda context, data, where: None)


def test_built_in_sections_are_discovered() -> None:
    assert {"users", "user_groups", "api_keys", "tokens"} <= set(fixtures.discover_sections())


def test_the_documented_fixture_loads(server: Server, client: TestClient) -> None:
    pytest.importorskip("yaml")
    text = (Path(__file__).resolve().parents[2] / "docs" / "sandbox.md").read_text(encoding="utf-8")
    block = text[text.index("```yaml\n") + len("```yaml\n") :]
    loaded = load(server, parse_fixture(block[: block.index("```")], kind="yaml"))["accounts"]
    acme = loaded[0]
    assert acme["users"] == {"owner": 1, "ivan": 2, "olga": 3} and acme["user_groups"] == {
        "Sales": 1,
        "Support": 2,
    }
    assert [t["user"] for t in acme["tokens"]] == ["owner", "ivan", "olga"]
    api = Api(client, tenant_of(acme))
    assert api.call("user.get").text("user/login") == "owner"
    assert api.as_user("ivan-token-1").call("user.get").text("user/login") == "ivan"
    assert Api(client, tenant_of(loaded[1])).call("user.get").code == "0010"
