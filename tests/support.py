"""Helpers shared by the tests: provisioning accounts and sending real XML through the app."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from lxml import etree
from starlette.testclient import TestClient

from planfix_server.app import Server, create_app
from planfix_server.domain.access.service import issue_token, provision_account
from planfix_server.domain.users.service import create_user
from planfix_server.settings import Settings
from planfix_server.store.db import WRITE
from planfix_server.store.uow import AccountUnitOfWork


@dataclass
class Tenant:
    name: str
    account_id: int
    api_key: str
    signature_key: str
    token: str
    owner_id: int
    owner_login: str
    owner_password: str


@dataclass
class Reply:
    raw: bytes
    status_code: int
    headers: dict[str, str]
    root: etree._Element = field(repr=False)

    @property
    def ok(self) -> bool:
        return self.root.get("status") == "ok"

    @property
    def code(self) -> str:
        return self.root.findtext("code") or ""

    def text(self, path: str) -> str:
        found = self.root.findtext(path)
        assert found is not None, f"{path} missing in {self.raw!r}"
        return found


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def provision(server: Server, name: str, plan: str = "premium", password: str = "owner-pass") -> Tenant:
    with server.engine.connect() as connection:
        connection.info[WRITE] = True
        made = provision_account(
            connection,
            now(),
            name=name,
            plan=plan,
            owner_login=f"owner@{name}",
            owner_password_hash=server.passwords.hash(password),
            data_centre=server.settings.data_centre,
        )
        connection.commit()
    return Tenant(
        name,
        made.account.id,
        made.key.api_key,
        made.key.signature_key,
        made.token,
        made.owner.id,
        f"owner@{name}",
        password,
    )


def add_user(
    server: Server,
    tenant: Tenant,
    login: str,
    *,
    role: str = "USER",
    password: str = "user-pass",
    **extra: object,
) -> tuple[int, str]:
    """A user of ``tenant`` and a token bound to it."""
    with server.engine.connect() as connection:
        connection.info[WRITE] = True
        uow = AccountUnitOfWork(connection, tenant.account_id)
        fields: dict[str, object] = {"name": login, "email": f"{login}@example.com", **extra}
        user = create_user(
            uow,
            now(),
            login=login,
            password_hash=server.passwords.hash(password),
            role=role,
            **fields,  # type: ignore[arg-type]
        )
        token = issue_token(uow, now(), user.id)
        connection.commit()
    return user.id, token


def basic(api_key: str, secret: str = "") -> str:
    return "Basic " + base64.b64encode(f"{api_key}:{secret}".encode()).decode()


def request_xml(method: str, account: str, inner: str = "", *, sid: str = "", signature: str = "") -> bytes:
    parts = [
        f'<?xml version="1.0" encoding="UTF-8"?>\n<request method="{method}"><account>{account}</account>'
    ]
    if sid:
        parts.append(f"<sid>{sid}</sid>")
    parts.append(inner)
    if signature:
        parts.append(f"<signature>{signature}</signature>")
    parts.append("</request>")
    return "".join(parts).encode("utf-8")


class Api:
    """Sends XML API requests through the real ASGI app, as one tenant."""

    def __init__(self, client: TestClient, tenant: Tenant, token: str | None = None) -> None:
        self.client = client
        self.tenant = tenant
        self.token = tenant.token if token is None else token

    def post(self, body: bytes, authorization: str | None = None, path: str = "/xml/") -> Reply:
        headers = {
            "Authorization": authorization
            if authorization is not None
            else basic(self.tenant.api_key, self.token)
        }
        response = self.client.post(path, content=body, headers=headers)
        return Reply(
            response.content, response.status_code, dict(response.headers), etree.fromstring(response.content)
        )

    def call(self, method: str, inner: str = "", **kw: str) -> Reply:
        return self.post(request_xml(method, self.tenant.name, inner, **kw))

    def as_user(self, token: str) -> Api:
        return Api(self.client, self.tenant, token)

    def login(self, login: str, password: str) -> str:
        reply = self.post(
            request_xml(
                "auth.login", self.tenant.name, f"<login>{login}</login><password>{password}</password>"
            ),
            authorization=basic(self.tenant.api_key),
        )
        assert reply.ok, reply.raw
        return reply.text("sid")

    def call_sid(self, sid: str, method: str, inner: str = "") -> Reply:
        return self.post(
            request_xml(method, self.tenant.name, inner, sid=sid), authorization=basic(self.tenant.api_key)
        )


@contextmanager
def running(
    settings: Settings, *, base_url: str = "https://testserver", client_host: str = "testclient"
) -> Iterator[tuple[Server, TestClient]]:
    """A second server over the same database with other ``settings`` (and a TestClient for it).

    ``client_host`` becomes the ASGI ``scope["client"]`` host (TestClient's default is "testclient",
    which is not a loopback address).
    """
    made = Server.start(settings)
    try:
        app = create_app(server=made)
        with TestClient(app, base_url=base_url, client=(client_host, 50000)) as test_client:
            yield made, test_client
    finally:
        made.engine.dispose()


def installed_script(name: str = "planfix-server") -> str:
    """The console script installed beside the running interpreter (or else on PATH)."""
    import shutil
    import sys
    from pathlib import Path

    beside = Path(sys.executable).parent / name
    if beside.is_file():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not installed; run `pip install .` first")
    return found
