"""Credentials profiles: the file, the environment, and which wins."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from planfix_server.client import AsyncClient, Client
from planfix_server.client.profiles import ENVIRONMENT, ProfileError, load_profile, profiles_path

FILE = """
[default]
url = "https://127.0.0.1:8443/xml/"
account = "demo"
api_key = "key-default"
token = "token-default"
verify = "tls/cert.pem"

[staging]
url = "europe"
account = "acme"
api_key = "key-staging"
login = "ann"
password = "pw"
requests_per_second = 0.5
verify = false
"""


@pytest.fixture
def profiles(tmp_path: Path) -> Path:
    path = tmp_path / "profiles.toml"
    path.write_text(FILE)
    return path


def test_default_profile(profiles: Path) -> None:
    profile = load_profile(path=profiles, environ={})
    assert (profile.url, profile.account, profile.api_key, profile.token) == (
        "https://127.0.0.1:8443/xml/",
        "demo",
        "key-default",
        "token-default",
    )
    assert profile.verify == str(profiles.parent / "tls/cert.pem")
    assert profile.requests_per_second == 1.0
    assert "token-default" not in repr(profile)


def test_named_profile_ignores_the_environment(profiles: Path) -> None:
    environ = {"PLANFIX_ACCOUNT": "other", "PLANFIX_TOKEN": "x"}
    profile = load_profile("staging", path=profiles, environ=environ)
    assert (profile.account, profile.login, profile.password, profile.token) == ("acme", "ann", "pw", None)
    assert (profile.verify, profile.requests_per_second) == (False, 0.5)
    options = profile.client_options()
    assert options["base_url"] == "europe" and options["login"] == "ann"
    assert load_profile(path=profiles, environ={"PLANFIX_PROFILE": "staging"}).account == "acme"


def test_environment_overrides_the_default_profile(profiles: Path) -> None:
    environ = {
        "PLANFIX_ACCOUNT": "other",
        "PLANFIX_LOGIN": "bob",
        "PLANFIX_PASSWORD": "pw",
        "PLANFIX_VERIFY": "0",
    }
    profile = load_profile(path=profiles, environ=environ)
    assert (profile.account, profile.api_key, profile.login, profile.token) == (
        "other",
        "key-default",
        "bob",
        None,
    )
    assert profile.verify is False
    assert profile.source.endswith("[default] + environment")


def test_environment_alone(tmp_path: Path) -> None:
    environ = {
        "PLANFIX_URL": "usa",
        "PLANFIX_ACCOUNT": "acme",
        "PLANFIX_API_KEY": "k",
        "PLANFIX_TOKEN": "t",
        "PLANFIX_VERIFY": "ca.pem",
    }
    profile = load_profile(path=tmp_path / "missing.toml", environ=environ)
    assert (profile.url, profile.verify, profile.source) == ("usa", "ca.pem", "environment")


@pytest.mark.parametrize(
    ("text", "name", "environ", "message"),
    [
        (FILE, "nope", {}, "no profile"),
        ("", None, {}, "no credentials"),
        ('[default]\nurl = "x"\n', None, {}, "missing account, api_key"),
        ('[default]\nurl = "x"\naccount = "a"\napi_key = "k"\n', None, {}, "give token"),
        (
            '[default]\nurl = "x"\naccount = "a"\napi_key = "k"\ntoken = "t"\ncolour = 1\n',
            None,
            {},
            "unknown keys",
        ),
        ("[default", None, {}, "cannot read"),
        (
            '[default]\nurl="x"\naccount="a"\napi_key="k"\ntoken="t"\nrequests_per_second="fast"\n',
            None,
            {},
            "number",
        ),
    ],
)
def test_errors(tmp_path: Path, text: str, name: str | None, environ: dict[str, str], message: str) -> None:
    path = tmp_path / "profiles.toml"
    path.write_text(text)
    with pytest.raises(ProfileError, match=message):
        load_profile(name, path=path, environ=environ)


def test_where_the_file_is(tmp_path: Path) -> None:
    assert profiles_path({"PLANFIX_PROFILES": str(tmp_path / "p.toml")}) == tmp_path / "p.toml"
    assert profiles_path({"XDG_CONFIG_HOME": str(tmp_path)}) == tmp_path / "planfix-server" / "profiles.toml"
    assert profiles_path({}).name == "profiles.toml"


def test_clients_from_a_profile(profiles: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in [*ENVIRONMENT.values(), "PLANFIX_PROFILE"]:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("PLANFIX_PROFILES", str(profiles))
    with Client.from_profile("staging", requests_per_second=0) as client:
        assert (client.url, client.account) == ("https://api.planfix.com/xml/", "acme")
        assert client.stats.requests == 0

    async def scenario() -> None:
        async with AsyncClient.from_profile("staging") as client:
            assert client.url == "https://api.planfix.com/xml/"

    asyncio.run(scenario())
