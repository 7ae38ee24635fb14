"""The signature step: 0006 for a wrong signature, or a missing one on a key that requires it.

Signatures here are computed independently of the server's code, from the algorithm of
planfix-xml-api/01-authentication.md §4.2, for requests simple enough to spell out.
"""

from __future__ import annotations

import hashlib

from planfix_server.app import Server
from tests.pipeline.state import new_key
from tests.support import Api, basic, request_xml


def md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def token_mode_signature(api: Api, signature_key: str) -> str:
    # user.get with <account> and <user><id>: names sorted -> account, user
    return md5(f"user.get{api.tenant.name}{api.tenant.owner_id}{signature_key}")


def user_get_body(api: Api, signature: str = "", sid: str = "") -> bytes:
    inner = f"<user><id>{api.tenant.owner_id}</id></user>"
    return request_xml("user.get", api.tenant.name, inner, sid=sid, signature=signature)


def test_correct_signature_in_token_mode(api: Api) -> None:
    signature = token_mode_signature(api, api.tenant.signature_key)
    assert api.post(user_get_body(api, signature)).ok
    assert api.post(user_get_body(api, signature.upper())).ok


def test_correct_signature_in_sid_mode(api: Api) -> None:
    sid = api.login(api.tenant.owner_login, api.tenant.owner_password)
    # account, sid, user
    signature = md5(f"user.get{api.tenant.name}{sid}{api.tenant.owner_id}{api.tenant.signature_key}")
    reply = api.post(user_get_body(api, signature, sid=sid), authorization=basic(api.tenant.api_key))
    assert reply.ok, reply.raw


def test_signed_auth_login(api: Api) -> None:
    # the reference's example 1 shape: password written before login, names sorted -> account, login, password
    tenant = api.tenant
    signature = md5(
        f"auth.login{tenant.name}{tenant.owner_login}{tenant.owner_password}{tenant.signature_key}"
    )
    inner = f"<password>{tenant.owner_password}</password><login>{tenant.owner_login}</login>"
    body = request_xml("auth.login", tenant.name, inner, signature=signature)
    assert api.post(body, authorization=basic(tenant.api_key)).ok
    wrong = request_xml("auth.login", tenant.name, inner, signature=md5("nonsense"))
    assert api.post(wrong, authorization=basic(tenant.api_key)).code == "0006"


def test_0006_wrong_signature(api: Api) -> None:
    assert api.post(user_get_body(api, md5("something else"))).code == "0006"
    assert api.post(user_get_body(api, "not-even-hex")).code == "0006"


def test_0006_signature_with_another_keys_secret(api: Api, server: Server) -> None:
    other = new_key(server, api.tenant, require_signature=False)
    assert api.post(user_get_body(api, token_mode_signature(api, other.signature_key))).code == "0006"


def test_0006_signature_of_other_values(api: Api) -> None:
    signature = token_mode_signature(api, api.tenant.signature_key)
    body = user_get_body(api, signature).replace(
        f"<id>{api.tenant.owner_id}</id>".encode(), f"<id>{api.tenant.owner_id + 1}</id>".encode()
    )
    assert api.post(body).code == "0006"


def test_empty_signature_is_absent(api: Api) -> None:
    assert api.post(request_xml("user.get", api.tenant.name, "<signature></signature>")).ok


def test_0006_key_requiring_a_signature(api: Api, server: Server) -> None:
    strict = new_key(server, api.tenant, require_signature=True)
    authorization = basic(strict.api_key, api.token)
    assert api.post(user_get_body(api), authorization=authorization).code == "0006"
    assert (
        api.post(
            request_xml("user.get", api.tenant.name, "<signature> </signature>"), authorization=authorization
        ).code
        == "0006"
    )
    signed = user_get_body(api, token_mode_signature(api, strict.signature_key))
    assert api.post(signed, authorization=authorization).ok


def test_0006_key_requiring_a_signature_at_login(api: Api, server: Server) -> None:
    strict = new_key(server, api.tenant, require_signature=True)
    tenant = api.tenant
    inner = f"<login>{tenant.owner_login}</login><password>{tenant.owner_password}</password>"
    assert (
        api.post(request_xml("auth.login", tenant.name, inner), authorization=basic(strict.api_key)).code
        == "0006"
    )
