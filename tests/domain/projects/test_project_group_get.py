from __future__ import annotations

from planfix_server.app import Server
from tests.domain.projects.helpers import make_group
from tests.domain.users.helpers import body
from tests.support import Api, add_user, provision


def test_one_group(api: Api, server: Server) -> None:
    group = make_group(server, api.tenant, "Clients & co")
    reply = api.call("projectGroup.get", f"<projectGroup><id>{group}</id></projectGroup>")
    assert body(reply) == f"<projectGroup><id>{group}</id><name>Clients &amp; co</name></projectGroup>"


def test_employees_may_read_groups(api: Api, server: Server) -> None:
    group = make_group(server, api.tenant, "G")
    _, token = add_user(server, api.tenant, "plain")
    assert api.as_user(token).call("projectGroup.get", f"<projectGroup><id>{group}</id></projectGroup>").ok


def test_errors(api: Api, server: Server) -> None:
    other = provision(server, "other")
    theirs = make_group(server, other, "Theirs")
    assert api.call("projectGroup.get", "").code == "0009"
    assert api.call("projectGroup.get", "<projectGroup><id>0</id></projectGroup>").code == "0009"
    assert api.call("projectGroup.get", "<projectGroup><id>77</id></projectGroup>").code == "0101"
    assert api.call("projectGroup.get", f"<projectGroup><id>{theirs}</id></projectGroup>").code == "0101"
    assert api.call("projectGroup.get", "<projectGroup><id>x</id></projectGroup>").code == "0015"
