"""``planfix-server call METHOD --param PATH=VALUE …``: one call of any function, through the SDK.

Credentials come from a profile (``planfix_server.client.profiles``: ``--profile NAME``,
``$PLANFIX_PROFILE``, the ``[default]`` profile, ``PLANFIX_*`` variables). The answer is printed as
indented XML, or with ``--json`` as one JSON object in which every child name maps to a list
(``Element.to_data``), so a script never meets "one item became an object".
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import click
from lxml import etree

from planfix_server.api.errors import ApiError
from planfix_server.cli.common import fail
from planfix_server.client.errors import TransportError
from planfix_server.client.pacing import Retry
from planfix_server.client.profiles import ProfileError, load_profile
from planfix_server.client.sync import Client

_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_.-]*)(?:\[(\d+)\])?\Z")
_PRINT_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)


def _step(text: str, pair: str) -> tuple[str, int | None]:
    match = _STEP.match(text)
    if match is None or match.group(2) == "0":
        raise ValueError(f"bad path step {text!r} in {pair!r} (use name or name[N], N from 1)")
    return match.group(1), None if match.group(2) is None else int(match.group(2))


def _slot(node: dict[str, Any], name: str, index: int, pair: str) -> list[Any]:
    found = node.setdefault(name, [])
    if not isinstance(found, list):
        raise ValueError(f"{pair!r}: {name} is used both with and without [N]")
    found.extend([None] * (index - len(found)))
    return found


def params_from(pairs: Sequence[str]) -> dict[str, Any]:
    """``["user/id=5", "user/addUserGroup/id=1", "user/addUserGroup/id=2"]`` →
    ``{"user": {"id": "5", "addUserGroup": {"id": ["1", "2"]}}}``.

    A path repeated makes a list; ``name[N]`` picks the N-th repeated element, for lists of
    structures (``phones/phone[2]/number=…``). Values are sent as written.
    """
    root: dict[str, Any] = {}
    for pair in pairs:
        path, equals, value = pair.partition("=")
        if not equals or not path:
            raise ValueError(f"{pair!r} is not PATH=VALUE")
        *parents, last = [_step(step, pair) for step in path.split("/")]
        node = root
        for name, index in parents:
            if index is None:
                child = node.setdefault(name, {})
                if not isinstance(child, dict):
                    raise ValueError(f"{pair!r}: {name} already has a value")
            else:
                items = _slot(node, name, index, pair)
                if not isinstance(items[index - 1], dict):
                    items[index - 1] = {}
                child = items[index - 1]
            node = child
        name, index = last
        if index is not None:
            _slot(node, name, index, pair)[index - 1] = value
        elif name not in node:
            node[name] = value
        elif isinstance(node[name], list):
            node[name].append(value)
        elif isinstance(node[name], str):
            node[name] = [node[name], value]
        else:
            raise ValueError(f"{pair!r}: {name} already has child elements")
    return root


def pretty(raw: bytes) -> str:
    return etree.tostring(
        etree.fromstring(raw, _PRINT_PARSER), pretty_print=True, encoding="unicode"
    ).rstrip()


@click.command("call")
@click.argument("method")
@click.option(
    "--param",
    "-p",
    "pairs",
    multiple=True,
    metavar="PATH=VALUE",
    help="A parameter: user/id=5. Repeat a path for a list; name[N] for the N-th of repeated structures.",
)
@click.option(
    "--profile", metavar="NAME", help="Credentials profile (default: $PLANFIX_PROFILE or [default])."
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (child names map to lists).")
def call(method: str, pairs: tuple[str, ...], profile: str | None, as_json: bool) -> None:
    """Call METHOD on an XML API endpoint and print the answer.

    \b
    planfix-server call user.get --param user/id=1
    planfix-server call userGroup.getList -p pageCurrent=1 -p sortType=NAME_ASC
    planfix-server call user.updateGroupMembership -p user/id=5 -p user/addUserGroup/id=1
    planfix-server call task.getList -p pageCurrent=1 -p target=in --json | jq '.tasks[0].task'

    Credentials: ~/.config/planfix-server/profiles.toml (or $PLANFIX_PROFILES), or PLANFIX_URL,
    PLANFIX_ACCOUNT, PLANFIX_API_KEY and PLANFIX_TOKEN (or PLANFIX_LOGIN and PLANFIX_PASSWORD).
    """
    try:
        params = params_from(pairs)
        options = load_profile(profile).client_options()
    except (ValueError, ProfileError) as exc:
        raise fail(str(exc)) from exc
    try:
        # One quick retry: a person is waiting, and a server that is down stays down for a while.
        with Client(**options, retry=Retry(attempts=1)) as client:
            response = client.call(method, params)
    except ApiError as exc:
        detail = f": {exc.detail}" if exc.detail else ""
        raise fail(f"{exc.code} {exc.meaning}{detail} ({exc.function or method})") from exc
    except (TransportError, ValueError, OSError) as exc:
        raise fail(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(response.to_data(), ensure_ascii=False))
    else:
        click.echo(pretty(response.raw))
