"""``planfix-server call``: parameters from paths, profiles, pretty XML and JSON, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from planfix_server.cli import cli
from planfix_server.cli.call import params_from
from tests.client.conftest import Live
from tests.support import Tenant


def run(env: dict[str, str], *args: str) -> Result:
    # Isolated from the developer's own profiles and PLANFIX_* variables.
    base = {
        "PLANFIX_PROFILES": "/nonexistent/profiles.toml",
        "PLANFIX_PROFILE": "",
        "XDG_CONFIG_HOME": "/nonexistent",
    }
    return CliRunner().invoke(cli, ["call", *args], env={**base, **env}, catch_exceptions=False)


def env_for(live: Live, tenant: Tenant) -> dict[str, str]:
    return {
        "PLANFIX_URL": live.url,
        "PLANFIX_ACCOUNT": tenant.name,
        "PLANFIX_API_KEY": tenant.api_key,
        "PLANFIX_TOKEN": tenant.token,
    }


def test_params_from_paths() -> None:
    assert params_from(
        ["user/id=5", "user/addUserGroup/id=1", "user/addUserGroup/id=2", "pageCurrent=1"]
    ) == {
        "user": {"id": "5", "addUserGroup": {"id": ["1", "2"]}},
        "pageCurrent": "1",
    }
    assert params_from(
        ["phones/phone[1]/number=1", "phones/phone[2]/number=2", "phones/phone[1]/typeId=3"]
    ) == {"phones": {"phone": [{"number": "1", "typeId": "3"}, {"number": "2"}]}}
    assert params_from(["ids/id[2]=b", "ids/id[1]=a", "empty=", "x=a=b"]) == {
        "ids": {"id": ["a", "b"]},
        "empty": "",
        "x": "a=b",
    }
    assert params_from(["a=1", "a=2", "a=3"]) == {"a": ["1", "2", "3"]}


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        (["novalue"], "not PATH=VALUE"),
        (["=1"], "not PATH=VALUE"),
        (["a/b c=1"], "bad path step"),
        (["a[0]=1"], "bad path step"),
        (["a=1", "a/b=2"], "already has a value"),
        (["a/b=1", "a=2"], "already has child elements"),
        (["a=1", "a[2]=2"], "both with and without"),
    ],
)
def test_bad_params(pairs: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        params_from(pairs)


def test_pretty_xml(live: Live, tenant: Tenant) -> None:
    result = run(env_for(live, tenant), "user.get", "--param", f"user/id={tenant.owner_id}")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == '<response status="ok">'
    assert "  <user>" in lines
    assert f"    <login>{tenant.owner_login}</login>" in lines


def test_json(live: Live, tenant: Tenant) -> None:
    result = run(env_for(live, tenant), "user.getList", "-p", "pageCurrent=1", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["@status"] == "ok"
    (users,) = data["users"]
    assert users["@totalCount"] == "1"
    assert [user["login"] for user in users["user"]] == [[tenant.owner_login]]


def test_api_error(live: Live, tenant: Tenant) -> None:
    result = run(env_for(live, tenant), "user.get", "-p", "user/id=999999", "--json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip() == "Error: 6004 The user does not exist (user.get)"


def test_login_mode_with_a_profile_file(live: Live, tenant: Tenant, tmp_path: Path) -> None:
    path = tmp_path / "profiles.toml"
    path.write_text(
        f'[local]\nurl = "{live.url}"\naccount = "{tenant.name}"\napi_key = "{tenant.api_key}"\n'
        f'login = "{tenant.owner_login}"\npassword = "{tenant.owner_password}"\nrequests_per_second = 0\n'
    )
    result = run({"PLANFIX_PROFILES": str(path)}, "user.get", "--profile", "local", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["user"][0]["login"] == [tenant.owner_login]


def test_no_credentials() -> None:
    result = run({}, "user.get")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no credentials")
    result = run({}, "user.get", "-p", "bad")
    assert result.stderr.startswith("Error: 'bad' is not PATH=VALUE")


def test_transport_error() -> None:
    env = {
        "PLANFIX_URL": "http://127.0.0.1:9/xml/",
        "PLANFIX_ACCOUNT": "a",
        "PLANFIX_API_KEY": "k",
        "PLANFIX_TOKEN": "t",
    }
    result = run(env, "user.get")
    assert result.exit_code == 1
    assert "ConnectError" in result.stderr
