"""A contact with PlanFix access signs in (auth.login, tokens) and acts with a contact's limited rights.

Its access is opened through contact.managePlanfixAccess and activated with the command line, as an
administrator would; then it calls what it may and is refused what it may not.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from planfix_server.app import Server
from planfix_server.cli import cli
from tests.domain.contacts.access_helpers import contact_with_access, manage, state
from tests.domain.contacts.helpers import make_contact
from tests.domain.tasks.helpers import ids, new_task, people
from tests.domain.users.helpers import api_add_group, set_user
from tests.support import Api, add_user, basic, request_xml

ENV = {"PLANFIX_ARGON2_TIME_COST": "1", "PLANFIX_ARGON2_MEMORY_KIB": "64"}


def run(db_url: str, *args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of a ``planfix-server`` command on the test database."""
    result = CliRunner().invoke(cli, [*args, "--db", db_url, "--json"], env=ENV, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def login(api: Api, name: str, password: str) -> str:
    """ "ok", or the code auth.login answers."""
    reply = api.post(
        request_xml("auth.login", api.tenant.name, f"<login>{name}</login><password>{password}</password>"),
        authorization=basic(api.tenant.api_key),
    )
    return "ok" if reply.ok else reply.code


def test_a_contact_with_active_access_signs_in_with_its_login_email(api: Api, server: Server) -> None:
    contact = contact_with_access(server, api, "Ann", "ann@client.org", "ann-pass")
    sid = api.login("ann@client.org", "ann-pass")
    assert len(sid) == 32
    card = api.call_sid(sid, "contact.get", f"<contact><id>{contact.id}</id></contact>")
    assert card.ok, card.raw
    assert card.text("contact/userid") == str(contact.user_id)
    assert login(api, "Ann@Client.org", "ann-pass") == "ok"  # logins compare without case


def test_without_active_access_a_contact_gets_what_a_wrong_password_gets(api: Api, server: Server) -> None:
    contact = make_contact(server, api.tenant, "Ann", email="ann@client.org")
    assert login(api, f"#contact{contact.user_id}", "anything") == "1001"
    manage(api, contact.id, 1)
    assert login(api, "ann@client.org", "anything") == "1001"  # invited: no password yet
    set_user(server, api.tenant, contact.user_id, password_hash=server.passwords.hash("ann-pass"))
    assert login(api, "ann@client.org", "ann-pass") == "1001"  # invited, even with a password
    contact_with_access(server, api, "Bob", "bob@client.org", "bob-pass")
    assert login(api, "bob@client.org", "wrong") == "1001"
    closed = contact_with_access(server, api, "Cid", "cid@client.org", "cid-pass")
    manage(api, closed.id, 0)
    assert login(api, "cid@client.org", "cid-pass") == "1001"
    # An inactive employee with the right password, by contrast, learns it is inactive.
    worker, _ = add_user(server, api.tenant, "worker", password="worker-pass")
    set_user(server, api.tenant, worker, status="UNACTIVE")
    assert login(api, "worker", "worker-pass") == "0014"


def test_closing_access_ends_sessions_and_tokens(api: Api, server: Server, db_url: str) -> None:
    contact = contact_with_access(server, api, "Ann", "ann@client.org", "ann-pass")
    sid = api.login("ann@client.org", "ann-pass")
    code, out, err = run(db_url, "token", "create", "acme", "--user", "ann@client.org")
    assert code == 0, err
    token = api.as_user(json.loads(out)["token"])
    own = f"<contact><id>{contact.id}</id></contact>"
    assert token.call("contact.get", own).ok
    manage(api, contact.id, 0)
    assert api.call_sid(sid, "contact.get", own).code == "0014"
    assert token.call("contact.get", own).code == "0014"
    manage(api, contact.id, 1)
    assert token.call("contact.get", own).ok


def test_the_command_line_activates_and_shows_access(api: Api, server: Server, db_url: str) -> None:
    contact = make_contact(server, api.tenant, "Ann", email="ann@client.org")
    code, _, err = run(
        db_url, "contact-access", "activate", "--account", "acme", "--contact", str(contact.id)
    )
    assert code != 0 and "open it first" in err
    manage(api, contact.id, 1)
    code, out, err = run(db_url, "contact-access", "show", "--account", "acme", "--contact", str(contact.id))
    assert code == 0, err
    assert '"access": "invited"' in out and '"login": "ann@client.org"' in out
    code, out, err = run(
        db_url,
        "contact-access",
        "activate",
        "--account",
        "acme",
        "--contact",
        str(contact.id),
        "--password",
        "pw-1",
    )
    assert code == 0, err
    assert '"access": "active"' in out and '"status": "ACTIVE"' in out and '"password": true' in out
    assert login(api, "ann@client.org", "pw-1") == "ok"
    code, _, err = run(db_url, "contact-access", "activate", "--account", "acme", "--contact", "999999")
    assert code != 0 and "no contact 999999" in err
    code, _, err = run(db_url, "contact-access", "show", "--account", "nope", "--contact", str(contact.id))
    assert code != 0 and "no account" in err


def test_tokens_are_made_only_for_contacts_with_active_access(api: Api, server: Server, db_url: str) -> None:
    invited = make_contact(server, api.tenant, "Ivy", email="ivy@client.org")
    manage(api, invited.id, 1)
    code, out, err = run(db_url, "token", "create", "acme", "--user", "ivy@client.org")
    assert code != 0 and out == "" and "without active PlanFix access" in err
    plain = make_contact(server, api.tenant, "Pat")
    code, _, err = run(db_url, "token", "create", "acme", "--user", f"#contact{plain.user_id}")
    assert code != 0 and "without active PlanFix access" in err
    contact_with_access(server, api, "Ann", "ann@client.org")
    code, out, err = run(db_url, "token", "create", "acme", "--user", "ann@client.org")
    assert code == 0 and '"token"' in out, err
    code, out, _ = run(db_url, "token", "list", "acme")
    assert "ann@client.org" in out


def test_user_commands_leave_contacts_alone(api: Api, server: Server, db_url: str) -> None:
    contact = contact_with_access(server, api, "Ann", "ann@client.org")
    code, _, err = run(db_url, "user", "deactivate", "acme", "ann@client.org")
    assert code != 0 and "is a contact" in err
    assert state(server, api.tenant, contact.id).status == "ACTIVE"
    code, out, err = run(db_url, "user", "list", "acme")
    assert code == 0, err
    assert api.tenant.owner_login in out and "ann@client.org" not in out and "#contact" not in out
    code, _, err = run(db_url, "user", "create", "acme", "--login", "#contact99")
    assert code != 0 and "cannot create user" in err


@pytest.fixture
def signed_in(api: Api, server: Server) -> tuple[Api, str, dict[str, int]]:
    """A contact (member of a company) signed in with auth.login, and the ids the tests need."""
    company = make_contact(server, api.tenant, "Client Ltd", is_company=True)
    contact = contact_with_access(server, api, "Ann", "ann@client.org", "ann-pass")
    assert api.call(
        "contact.updateContractors",
        f"<contact><id>{contact.id}</id><contractors><addClient><id>{company.id}</id></addClient></contractors>"
        "</contact>",
    ).ok
    stranger = make_contact(server, api.tenant, "Stranger", email="stranger@client.org")
    worker, _ = add_user(server, api.tenant, "worker")
    mine = new_task(api, f"<workers>{people([contact.user_id])}</workers>", title="Ann's task")
    other = new_task(api, f"<workers>{people([worker])}</workers>", title="Internal task")
    numbers = {
        "contact": contact.id,
        "userid": contact.user_id,
        "company": company.id,
        "stranger": stranger.id,
        "worker": worker,
        "mine": mine,
        "other": other,
        "group": api_add_group(api, "Sales"),
    }
    return api, api.login("ann@client.org", "ann-pass"), numbers


def test_a_signed_in_contact_reads_itself_its_company_and_its_tasks(
    signed_in: tuple[Api, str, dict[str, int]], db_url: str
) -> None:
    api, sid, n = signed_in
    code, out, err = run(db_url, "token", "create", "acme", "--user", "ann@client.org")
    assert code == 0, err
    by_token = api.as_user(json.loads(out)["token"])
    assert ids(by_token.call("task.getList")) == [n["mine"]]
    for contact_id in (n["contact"], n["company"]):
        reply = api.call_sid(sid, "contact.get", f"<contact><id>{contact_id}</id></contact>")
        assert reply.ok and reply.text("contact/id") == str(contact_id), reply.raw
    employees = api.call_sid(sid, "user.getList")
    assert sorted(ids(employees, "users/user")) == sorted([api.tenant.owner_id, n["worker"]])
    listed = api.call_sid(sid, "task.getList")
    assert listed.ok, listed.raw
    assert ids(listed) == [n["mine"]]
    assert api.call_sid(sid, "task.get", f"<task><id>{n['mine']}</id></task>").ok
    assert not api.call_sid(sid, "task.get", f"<task><id>{n['other']}</id></task>").ok
    added = api.call_sid(
        sid,
        "action.add",
        f"<action><description>From the client</description><task><id>{n['mine']}</id></task></action>",
    )
    assert added.ok, added.raw
    refused = api.call_sid(
        sid,
        "action.add",
        f"<action><description>Sneaky</description><task><id>{n['other']}</id></task></action>",
    )
    assert not refused.ok


def test_a_signed_in_contact_is_refused_what_it_may_not_do(
    signed_in: tuple[Api, str, dict[str, int]], server: Server
) -> None:
    api, sid, n = signed_in
    me, stranger = n["contact"], n["stranger"]
    refused = [
        ("contact.get", f"<contact><id>{stranger}</id></contact>", "8001"),
        ("contact.getList", "", "8001"),
        ("contact.add", "<contact><name>New</name></contact>", "8001"),
        ("contact.update", f"<contact><id>{me}</id><name>Renamed</name></contact>", "8001"),
        ("contact.update", f"<contact><id>{stranger}</id><name>Renamed</name></contact>", "8001"),
        ("contact.updateCustomData", f"<contact><id>{me}</id><customData/></contact>", "8001"),
        (
            "contact.updateContractors",
            f"<contact><id>{me}</id><contractors><delClient><id>{n['company']}</id></delClient></contractors>"
            "</contact>",
            "8001",
        ),
        ("contact.delete", f"<contact><id>{stranger}</id></contact>", "8001"),
        (
            "contact.managePlanfixAccess",
            f"<contact><id>{me}</id><havePlanfixAccess>0</havePlanfixAccess></contact>",
            "8001",
        ),
        (
            "contact.updateUserInfo",
            f"<contact><id>{me}</id><user><password>x</password></user></contact>",
            "8001",
        ),
        ("user.get", "", "6004"),
        ("user.add", "<user><name>X</name><email>x@client.org</email></user>", "6001"),
        ("user.update", f"<user><id>{n['userid']}</id><name>Renamed</name></user>", "6001"),
        ("user.update", f"<user><id>{n['worker']}</id><name>Renamed</name></user>", "6001"),
        ("user.changeStatus", f"<user><id>{n['worker']}</id><status>UNACTIVE</status></user>", "6001"),
        (
            "user.updateGroupMembership",
            f"<user><id>{n['worker']}</id><addUserGroup><id>{n['group']}</id></addUserGroup></user>",
            "6001",
        ),
        ("userGroup.add", "<userGroup><name>Mine</name></userGroup>", "5002"),
        ("userGroup.update", f"<userGroup><id>{n['group']}</id><name>Mine</name></userGroup>", "5002"),
    ]
    for method, inner, code in refused:
        assert api.call_sid(sid, method, inner).code == code, method
    card = api.call("contact.get", f"<contact><id>{me}</id></contact>")
    assert card.text("contact/name") == "Ann"
    assert api.call("contact.get", f"<contact><id>{stranger}</id></contact>").ok
    assert state(server, api.tenant, me).access == "active"
