"""``planfix-server seed FILE``: the fixtures loader on the command line (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from starlette.testclient import TestClient

from planfix_server.cli import cli
from tests.sandbox.conftest import ACME, API_KEY, TOKEN, tenant_of
from tests.support import Api, Tenant

ENV = {"PLANFIX_ARGON2_TIME_COST": "1", "PLANFIX_ARGON2_MEMORY_KIB": "64"}


def seed(db_url: str, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(
        cli, ["seed", *args, "--db", db_url], env=ENV, input=stdin, catch_exceptions=False
    )


def test_seed_json_file_then_call_with_the_fixed_secrets(
    db_url: str, tmp_path: Path, client: TestClient
) -> None:
    path = tmp_path / "fixture.json"
    path.write_text(json.dumps({"accounts": [{**ACME, "users": [{"login": "ivan", "password": "pw"}]}]}))
    result = seed(db_url, str(path), "--json")
    assert result.exit_code == 0, result.stderr
    loaded = json.loads(result.stdout)["accounts"][0]
    assert loaded["api_keys"][0]["api_key"] == API_KEY and loaded["users"] == {"owner": 1, "ivan": 2}
    api = Api(client, tenant_of(loaded))
    assert api.call("user.get").text("user/login") == "owner"
    assert api.login("ivan", "pw")


def test_seed_yaml_from_stdin_prints_the_secrets(db_url: str, client: TestClient) -> None:
    pytest.importorskip("yaml")
    body = "\n".join(
        [
            "accounts:",
            "  - name: shop",
            "    users: [{login: ivan}]",
            "    user_groups: [{name: Sales, heads: [ivan]}]",
            f"    tokens: [{{token: '{TOKEN}'}}]",
        ]
    )
    result = seed(db_url, "-", stdin=body)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "account shop (id 1, plan premium)"
    assert any(line.split() == ["token", TOKEN, "(owner)"] for line in lines)
    assert "  users           ivan" in lines and "  user groups     Sales" in lines
    key = next(line.split()[2] for line in lines if line.strip().startswith("API key"))
    assert Api(client, Tenant("shop", 1, key, "", TOKEN, 1, "owner", "")).call("user.get").ok


def test_a_bad_fixture_is_one_error_line_and_changes_nothing(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps({"accounts": [ACME, {"name": "b", "users": [{"login": "x", "groups": ["G"]}]}]})
    )
    result = seed(db_url, str(path), "--json")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"Error: {path}: accounts[1] (b).users[0].groups: no user_groups entry 'G' in this account"
    ]
    listed = CliRunner().invoke(cli, ["account", "list", "--json", "--db", db_url], env=ENV)
    assert json.loads(listed.stdout) == {"accounts": []}


def test_a_missing_file_is_an_error(db_url: str, tmp_path: Path) -> None:
    result = seed(db_url, str(tmp_path / "nope.yaml"))
    assert result.exit_code == 1 and "cannot read" in result.stderr
