"""``planfix-server contact-group add|list`` and ``contact add|templates``, checked through the XML API."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.domain.contacts.helpers import texts
from tests.support import Api
from tests.test_cli import Cli


@pytest.fixture
def run(db_url: str) -> Cli:
    return Cli(db_url)


def test_groups(run: Cli, client: TestClient) -> None:
    tenant = run.account()
    first = run.json("contact-group", "add", "acme", "Clients")["id"]
    second = run.json("contact-group", "add", "acme", "Partners")["id"]
    assert run.json("contact-group", "list", "acme") == {
        "groups": [{"id": first, "name": "Clients"}, {"id": second, "name": "Partners"}]
    }
    human = run.invoke("contact-group", "list", "acme")
    assert human.exit_code == 0 and "Partners" in human.stdout
    listed = Api(client, tenant).call("contact.getGroupList")
    assert texts(listed, "contactGroups/group/id") == [str(first), str(second)]
    assert "1 to 200 characters" in run.fails("contact-group", "add", "acme", " ")
    assert "no account named 'nope'" in run.fails("contact-group", "add", "nope", "X")


def test_templates_and_contacts(run: Cli, client: TestClient) -> None:
    tenant = run.account()
    group = run.json("contact-group", "add", "acme", "Partners")["id"]
    template = run.json(
        "contact", "add", "acme", "--name", "Partner", "--template", "--company", "--group", str(group)
    )
    assert template["template"] is True
    listed = run.json("contact", "templates", "acme")["templates"]
    assert listed == [
        {"id": template["id"], "general": template["general"], "name": "Partner", "company": True}
    ]
    made = run.json(
        "contact", "add", "acme", "--name", "ACME", "--from-template", str(template["general"]),
        "--email", "acme@example.com", "--by", "boss",
    )  # fmt: skip
    api = Api(client, tenant)
    card = api.call("contact.get", f"<contact><id>{made['id']}</id></contact>")
    assert card.text("contact/userid") == str(made["userid"])
    assert card.text("contact/template/id") == str(template["general"])
    assert card.text("contact/isCompany") == "1"
    assert card.text("contact/group/id") == str(group)
    assert card.text("contact/email") == "acme@example.com"
    # templates may be used by contact.add over the API too
    reply = api.call(
        "contact.add", f"<contact><name>X</name><template>{template['general']}</template></contact>"
    )
    assert reply.ok, reply.raw


def test_refusals(run: Cli) -> None:
    run.account()
    assert "8010" in run.fails("contact", "add", "acme", "--name", "X", "--email", "bad")
    assert "0015" in run.fails("contact", "add", "acme", "--name", "X", "--group", "999")
    assert "no employee 'ghost'" in run.fails("contact", "add", "acme", "--name", "X", "--by", "ghost")
    assert run.json("contact", "templates", "acme") == {"templates": []}
