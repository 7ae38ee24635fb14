"""The command line, checked through its effect on real XML API calls (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from starlette.testclient import TestClient

from planfix_server.api.catalogue import ALL_FUNCTIONS
from planfix_server.cli import cli
from planfix_server.wire.signature import sign_bytes
from tests.support import Api, Tenant, installed_script, request_xml

# Cheap but real argon2, as in the app fixtures.
ENV = {"PLANFIX_ARGON2_TIME_COST": "1", "PLANFIX_ARGON2_MEMORY_KIB": "64"}


class Cli:
    """Runs ``planfix-server`` commands in-process against one database."""

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self.runner = CliRunner()

    def invoke(self, *args: str) -> Result:
        return self.runner.invoke(cli, [*args, "--db", self.db_url], env=ENV, catch_exceptions=False)

    def json(self, *args: str) -> dict[str, Any]:
        result = self.invoke(*args, "--json")
        assert result.exit_code == 0, (result.stdout, result.stderr)
        found = json.loads(result.stdout)
        assert isinstance(found, dict)
        return found

    def fails(self, *args: str) -> str:
        """The one error line of a command that must fail; nothing on stdout."""
        result = self.invoke(*args, "--json")
        assert result.exit_code != 0, result.stdout
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
        return lines[0]

    def account(self, name: str = "acme", plan: str = "premium") -> Tenant:
        made = self.json(
            "account", "create", name, "--plan", plan, "--owner-login", "boss", "--owner-password", "pw-boss"
        )
        assert set(made) == {"account", "api_key", "signature_key", "token", "owner"}
        assert made["owner"]["login"] == "boss"
        return Tenant(
            name,
            0,
            made["api_key"],
            made["signature_key"],
            made["token"],
            made["owner"]["id"],
            "boss",
            "pw-boss",
        )


@pytest.fixture
def run(db_url: str) -> Cli:
    return Cli(db_url)


def call(api: Api, method: str = "user.get", inner: str = "") -> str:
    reply = api.call(method, inner)
    return "ok" if reply.ok else reply.code


def test_account_create_gives_working_credentials(run: Cli, client: TestClient) -> None:
    tenant = run.account()
    api = Api(client, tenant)
    reply = api.call("user.get")
    assert reply.ok, reply.raw
    assert reply.text("user/id") == str(tenant.owner_id)
    assert reply.text("user/role") == "ADMIN"
    sid = api.login("boss", "pw-boss")
    assert api.call_sid(sid, "user.get").ok


def test_account_list_freeze_plan_maintenance_data_centre(run: Cli, client: TestClient) -> None:
    api = Api(client, run.account())
    run.account("other", "standard")
    listed = run.json("account", "list")["accounts"]
    assert [(a["account"], a["plan"], a["status"]) for a in listed] == [
        ("acme", "premium", "active"),
        ("other", "standard", "active"),
    ]

    assert run.json("account", "freeze", "acme")["status"] == "frozen"
    assert call(api) == "0010"
    assert run.json("account", "unfreeze", "acme")["status"] == "active"
    assert call(api) == "ok"

    assert run.json("account", "set-plan", "acme", "free")["plan"] == "free"
    assert call(api) == "0022"
    run.json("account", "set-plan", "acme", "professional")
    assert call(api) == "ok"

    run.json("account", "maintenance", "acme", "on")
    assert call(api) == "0011"
    run.json("account", "maintenance", "acme", "off")
    assert call(api) == "ok"

    run.json("account", "set-data-centre", "acme", "elsewhere")
    assert call(api) == "0024"
    run.json("account", "set-data-centre", "acme", "local")
    assert call(api) == "ok"

    human = run.invoke("account", "list")
    assert human.exit_code == 0 and "acme" in human.stdout and "professional" in human.stdout


def test_user_create_and_deactivate(run: Cli, client: TestClient) -> None:
    tenant = run.account()
    api = Api(client, tenant)
    bob = run.json("user", "create", "acme", "--login", "bob", "--password", "pw-bob")
    assert set(bob) == {"id", "login"} and bob["login"] == "bob"
    admin = run.json("user", "create", "acme", "--login", "ann", "--admin")
    token = run.json("token", "create", "acme", "--user", "bob")["token"]

    as_bob = api.as_user(token)
    reply = as_bob.call("user.get")
    assert reply.ok, reply.raw
    assert reply.text("user/id") == str(bob["id"]) and reply.text("user/role") == "USER"
    assert api.call("user.get", f"<user><id>{admin['id']}</id></user>").text("user/role") == "ADMIN"
    sid = api.login("bob", "pw-bob")

    assert run.json("user", "deactivate", "acme", "bob")["status"] == "UNACTIVE"
    assert call(as_bob) == "0014"
    assert api.call_sid(sid, "user.get").code == "0014"
    run.json("user", "activate", "acme", "bob")
    assert call(as_bob) == "ok"

    assert "taken" in run.fails("user", "create", "acme", "--login", "bob")
    run.json("user", "create", "acme", "--login", "cat", "--email", "cat@example.com")
    assert "in use" in run.fails("user", "create", "acme", "--login", "dog", "--email", "Cat@example.com")
    assert "cannot be deactivated" in run.fails("user", "deactivate", "acme", "boss")
    assert "no user" in run.fails("user", "deactivate", "acme", "nobody")


def test_key_create_block_unblock(run: Cli, client: TestClient) -> None:
    tenant = run.account()
    made = run.json("key", "create", "acme")
    assert set(made) == {"api_key", "signature_key"}
    api = Api(client, Tenant(**{**tenant.__dict__, "api_key": made["api_key"]}))
    assert call(api) == "ok"

    assert run.json("key", "block", "acme", made["api_key"])["blocked"] is True
    assert call(api) == "0002"
    assert call(Api(client, tenant)) == "ok"  # the account's other key still works
    run.json("key", "unblock", "acme", made["api_key"])
    assert call(api) == "ok"
    assert "no such API key" in run.fails("key", "block", "acme", "0" * 32)

    signed = run.json("key", "create", "acme", "--require-signature")
    strict = Api(client, Tenant(**{**tenant.__dict__, "api_key": signed["api_key"]}))
    assert call(strict) == "0006"
    body = request_xml("user.get", "acme")
    signature = sign_bytes(body, signed["signature_key"])
    reply = strict.post(request_xml("user.get", "acme", signature=signature))
    assert reply.ok, reply.raw
    assert len(run.json("key", "list", "acme")["keys"]) == 3


def test_token_methods_and_revoke(run: Cli, client: TestClient) -> None:
    tenant = run.account()
    api = Api(client, tenant)
    limited = run.json("token", "create", "acme", "--user", "boss", "--methods", "user.get, auth.login")[
        "token"
    ]
    assert call(api.as_user(limited)) == "ok"
    only_login = run.json("token", "create", "acme", "--user", "boss", "--methods", "auth.login")["token"]
    assert call(api.as_user(only_login)) == "0020"

    revoked = run.json("token", "revoke", "acme", limited)
    assert revoked == {"token": limited[:6], "revoked": True}
    assert call(api.as_user(limited)) == "0012"
    assert call(api) == "ok"
    assert "no such live token" in run.fails("token", "revoke", "acme", limited)
    tokens = run.json("token", "list", "acme")["tokens"]
    assert [t["methods"] for t in tokens] == [None, "user.get,auth.login", "auth.login"]

    error = run.fails("token", "create", "acme", "--user", "boss", "--methods", "user.get,task.explode")
    assert "task.explode" in error and "user.get" not in error.split(":", 1)[1].split(";")[0]
    assert "no user" in run.fails("token", "create", "acme", "--user", "ghost")


def test_errors_are_one_line_on_stderr(run: Cli) -> None:
    run.account()
    assert "exists" in run.fails("account", "create", "acme", "--plan", "premium")
    assert "unknown plan" in run.fails("account", "create", "new", "--plan", "gold")
    assert "unknown plan" in run.fails("account", "set-plan", "acme", "gold")
    assert "unknown time zone" in run.fails(
        "account", "create", "x", "--plan", "standard", "--timezone", "Mars"
    )
    for command in (
        ["account", "freeze", "nope"],
        ["account", "unfreeze", "nope"],
        ["account", "set-plan", "nope", "premium"],
        ["user", "create", "nope", "--login", "a"],
        ["key", "create", "nope"],
        ["token", "create", "nope", "--user", "boss"],
    ):
        assert "no account named 'nope'" in run.fails(*command)


def test_methods_lists_the_79_functions(run: Cli) -> None:
    listed = run.json("methods")
    assert listed["total"] == 79
    assert [f["name"] for f in listed["functions"]] == list(ALL_FUNCTIONS)
    implemented = {f["name"] for f in listed["functions"] if f["implemented"]}
    assert {"auth.login", "user.get"} <= implemented
    assert listed["implemented"] == len(implemented)
    human = run.invoke("methods")
    assert human.exit_code == 0 and "task.getPossibleStatusToChange" in human.stdout


def test_account_create_without_password_prints_one(run: Cli, client: TestClient) -> None:
    made = run.json("account", "create", "solo", "--plan", "standard")
    assert made["owner"]["login"] == "owner" and made["owner"]["password"]
    api = Api(client, Tenant("solo", 0, made["api_key"], "", made["token"], made["owner"]["id"], "owner", ""))
    api.login("owner", made["owner"]["password"])


def test_fresh_data_dir_is_migrated(tmp_path: Path) -> None:
    runner = CliRunner()
    data_dir = str(tmp_path / "fresh")
    made = runner.invoke(
        cli, ["account", "create", "acme", "--plan", "standard", "--data-dir", data_dir, "--json"], env=ENV
    )
    assert made.exit_code == 0, made.stderr
    assert (tmp_path / "fresh" / "planfix.sqlite3").is_file()
    migrated = runner.invoke(cli, ["migrate", "--data-dir", data_dir, "--json"], env=ENV)
    assert json.loads(migrated.stdout)["revision"]


def test_bad_database_url_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["account", "list", "--db", "postgresql://nobody@127.0.0.1:1/none", "--json"], env=ENV
    )
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("Error: cannot open the database") and result.stderr.count("\n") == 1


def test_installed_script_prints_exactly_one_json_object(tmp_path: Path) -> None:
    script = installed_script()
    data_dir = str(tmp_path / "data")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("PLANFIX_")}, **ENV}

    def script_run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [script, *args, "--data-dir", data_dir, "--json"]
        return subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)

    created = script_run("account", "create", "acme", "--plan", "premium", "--owner-login", "boss")
    assert created.returncode == 0, created.stderr
    assert created.stdout.endswith("\n") and created.stdout.count("\n") == 1
    made = json.loads(created.stdout)
    assert made["account"] == "acme" and made["owner"]["login"] == "boss"
    assert len(made["api_key"]) == len(made["token"]) == len(made["signature_key"]) == 32

    listed = script_run("account", "list")
    assert json.loads(listed.stdout)["accounts"][0]["account"] == "acme"

    refused = script_run("account", "freeze", "ghost")
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr == "Error: no account named 'ghost'\n"
