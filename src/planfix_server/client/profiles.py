"""Credentials profiles: a TOML file of named profiles, or ``PLANFIX_*`` environment variables.

The file is ``$PLANFIX_PROFILES`` when set, else ``$XDG_CONFIG_HOME/planfix-server/profiles.toml``
(``~/.config/planfix-server/profiles.toml``)::

    [default]
    url = "https://127.0.0.1:8443/xml/"   # or a data centre: europe, asia, usa, europe-old, russia
    account = "demo"
    api_key = "…"
    token = "…"                           # or: login = "…" and password = "…"
    signature_key = "…"                   # optional: sign every request
    verify = "/path/to/cert.pem"          # CA bundle for a self-signed server, or false; default true
    requests_per_second = 1.0             # client-side pacing; 0 turns it off

    [staging]
    url = "europe"
    …

Environment variables: ``PLANFIX_URL``, ``PLANFIX_ACCOUNT``, ``PLANFIX_API_KEY``,
``PLANFIX_TOKEN``, ``PLANFIX_LOGIN``, ``PLANFIX_PASSWORD``, ``PLANFIX_SIGNATURE_KEY``,
``PLANFIX_VERIFY`` (a CA file, or ``0``/``false``), and ``PLANFIX_PROFILE`` (a profile name).

Which values are used: a profile named explicitly (the argument, e.g. ``--profile NAME``, or
``$PLANFIX_PROFILE``) must exist and is used as written. Otherwise the ``[default]`` profile, if
the file has one, with every ``PLANFIX_*`` variable that is set overriding its field; with no
file at all the variables alone. Relative ``verify`` paths in the file are relative to the file.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

DEFAULT_NAME = "default"
ENVIRONMENT = {
    "url": "PLANFIX_URL",
    "account": "PLANFIX_ACCOUNT",
    "api_key": "PLANFIX_API_KEY",
    "token": "PLANFIX_TOKEN",
    "login": "PLANFIX_LOGIN",
    "password": "PLANFIX_PASSWORD",
    "signature_key": "PLANFIX_SIGNATURE_KEY",
    "verify": "PLANFIX_VERIFY",
}


class ProfileError(ValueError):
    """No usable profile: missing file or name, a bad value, or missing credentials."""


@dataclass(frozen=True)
class Profile:
    """Where and as whom to call; ``client_options()`` are the keyword arguments of a client."""

    url: str
    account: str
    api_key: str
    token: str | None = field(default=None, repr=False)
    login: str | None = None
    password: str | None = field(default=None, repr=False)
    signature_key: str | None = field(default=None, repr=False)
    verify: bool | str = True
    requests_per_second: float = 1.0
    source: str = ""

    def client_options(self) -> dict[str, Any]:
        return {
            "base_url": self.url,
            "account": self.account,
            "api_key": self.api_key,
            "token": self.token,
            "login": self.login,
            "password": self.password,
            "signature_key": self.signature_key,
            "verify": self.verify,
            "requests_per_second": self.requests_per_second,
        }


def profiles_path(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    if environ.get("PLANFIX_PROFILES"):
        return Path(environ["PLANFIX_PROFILES"]).expanduser()
    config = environ.get("XDG_CONFIG_HOME") or str(Path("~/.config").expanduser())
    return Path(config) / "planfix-server" / "profiles.toml"


def _read_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"cannot read {path}: {exc}") from exc


def _verify(value: Any, base: Path | None) -> bool | str:
    if isinstance(value, bool):
        return value
    text = str(value).strip()
    if text.lower() in ("0", "false", "no", "off"):
        return False
    if text.lower() in ("", "1", "true", "yes", "on"):
        return True
    path = Path(text).expanduser()
    if base is not None and not path.is_absolute():
        path = base / path
    return str(path)


def _with_verify(values: Mapping[str, Any], base: Path | None) -> dict[str, Any]:
    made = dict(values)
    if "verify" in made:
        made["verify"] = _verify(made["verify"], base)
    return made


def _build(values: Mapping[str, Any], source: str) -> Profile:
    known = {f.name for f in fields(Profile)} - {"source"}
    unknown = set(values) - known
    if unknown:
        raise ProfileError(f"{source}: unknown keys {', '.join(sorted(unknown))}")
    missing = [name for name in ("url", "account", "api_key") if not values.get(name)]
    if missing:
        hint = ", ".join(ENVIRONMENT[name] for name in missing)
        raise ProfileError(f"{source}: missing {', '.join(missing)} (or set {hint})")
    if not values.get("token") and not values.get("login"):
        raise ProfileError(f"{source}: give token, or login and password")
    try:
        rate = float(values.get("requests_per_second", 1.0))
    except (TypeError, ValueError):
        raise ProfileError(f"{source}: requests_per_second must be a number") from None
    texts = {name: str(values[name]) for name in ENVIRONMENT if name != "verify" and values.get(name)}
    return Profile(
        **texts,
        verify=values.get("verify", True),
        requests_per_second=rate,
        source=source,
    )


def load_profile(
    name: str | None = None, *, path: Path | None = None, environ: Mapping[str, str] | None = None
) -> Profile:
    """The profile to use (the rules are in the module docstring)."""
    environ = os.environ if environ is None else environ
    path = path or profiles_path(environ)
    chosen = name or environ.get("PLANFIX_PROFILE") or None
    table = _read_file(path)
    if chosen is not None:
        section = table.get(chosen)
        if not isinstance(section, dict):
            raise ProfileError(f"no profile [{chosen}] in {path}")
        return _build(_with_verify(section, path.parent), f"{path} [{chosen}]")
    values: dict[str, Any] = {}
    section = table.get(DEFAULT_NAME)
    sources = []
    if isinstance(section, dict):
        values.update(_with_verify(section, path.parent))
        sources.append(f"{path} [{DEFAULT_NAME}]")
    overridden = {key: environ[var] for key, var in ENVIRONMENT.items() if environ.get(var)}
    if overridden:
        # A token from the environment replaces a login from the file, and the other way round.
        if "token" in overridden:
            values.pop("login", None)
            values.pop("password", None)
        if "login" in overridden:
            values.pop("token", None)
        values.update(_with_verify(overridden, None))
        sources.append("environment")
    if not values:
        raise ProfileError(f"no credentials: set {ENVIRONMENT['url']} etc., or write {path}")
    return _build(values, " + ".join(sources))
