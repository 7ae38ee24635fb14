"""Permanent download links: ``returnDownloadLinks=1`` and ``GET /files/{account}/{uniqueId}/{token}``."""

from __future__ import annotations

import dataclasses
from urllib.parse import urlsplit

import httpx

from planfix_server.app import Server
from planfix_server.domain.files import links
from planfix_server.store import accounts
from tests.domain.contacts.helpers import make_contact
from tests.domain.files.helpers import blobs, download, entry, get_file, task_place, uploaded
from tests.domain.projects.helpers import add_project
from tests.domain.tasks.helpers import new_task
from tests.support import Api, Reply, provision, running

LINKS = "<returnDownloadLinks>1</returnDownloadLinks>"
CONTENT = bytes(range(256)) * 3000  # every byte value, over several streamed chunks


def link_of(api: Api, unique_id: int) -> str:
    reply = get_file(api, f"<uniqueId>{unique_id}</uniqueId>", LINKS)
    assert reply.ok, reply.raw
    return reply.text("file/downloadLink")


def fetch(api: Api, link: str) -> httpx.Response:
    """GET a link as a browser would: no API key, no session, redirects not followed."""
    response: httpx.Response = api.client.get(link, follow_redirects=False)
    return response


def with_token(link: str, token: str) -> str:
    return link.rsplit("/", 1)[0] + "/" + token


def listed_links(reply: Reply) -> dict[int, str | None]:
    assert reply.ok, reply.raw
    return {
        int(one.findtext("uniqueId") or 0): one.findtext("downloadLink") for one in reply.root.iter("file")
    }


def test_link_downloads_the_bytes_with_the_headers_of_file_download(api: Api) -> None:
    task_id = new_task(api)
    ((file_id, unique_id, _),) = uploaded(api, task_place(task_id), entry("Отчёт 1.pdf", CONTENT))
    reply = get_file(api, f"<id>{file_id}</id>", LINKS)
    assert reply.ok, reply.raw
    (file,) = reply.root.iterfind("file")
    assert [child.tag for child in file][-2:] == ["user", "downloadLink"]
    link = reply.text("file/downloadLink")
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc) == ("https", "testserver")
    prefix = f"/files/{api.tenant.account_id}/{unique_id}/"
    assert parts.path.startswith(prefix) and len(parts.path) > len(prefix)
    assert link_of(api, unique_id) == link  # permanent: the same link every time
    response = fetch(api, link)
    assert response.status_code == 200
    assert response.content == CONTENT
    expected = download(api, f"<id>{file_id}</id>").headers
    for header in ("content-type", "content-length", "content-disposition"):
        assert response.headers[header] == expected[header]
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-length"] == str(len(CONTENT))


def test_no_link_unless_asked(api: Api) -> None:
    project_id = add_project(api, "<title>Docs</title>")
    ((file_id, _, _),) = uploaded(api, f"<project><id>{project_id}</id></project>", entry())
    task_id = new_task(api)
    uploaded(api, task_place(task_id), entry())
    for extra in ("", "<returnDownloadLinks>0</returnDownloadLinks>"):
        assert "downloadLink" not in get_file(api, f"<id>{file_id}</id>", extra).raw.decode()
        for method, place in (
            ("file.getListForTask", task_place(task_id)),
            ("file.getListForProject", f"<project><id>{project_id}</id></project>"),
        ):
            reply = api.call(method, place + extra)
            assert reply.ok and "downloadLink" not in reply.raw.decode(), reply.raw
    history = api.call("file.getHistory", f"<file><id>{file_id}</id></file>{LINKS}")
    assert history.ok and "downloadLink" not in history.raw.decode()


def test_every_version_has_its_own_link(api: Api) -> None:
    task_id = new_task(api)
    ((_, first, _),) = uploaded(api, task_place(task_id), entry("a.bin", b"old"))
    ((_, second, _),) = uploaded(
        api, task_place(task_id), entry("a.bin", b"new", extra="<newversion>1</newversion>")
    )
    old, new = link_of(api, first), link_of(api, second)
    assert old != new
    assert (fetch(api, old).content, fetch(api, new).content) == (b"old", b"new")


def test_lists_carry_links(api: Api, server: Server) -> None:
    project_id = add_project(api, "<title>Docs</title>")
    project = f"<project><id>{project_id}</id></project>"
    in_project = uploaded(api, project, entry("p1.txt", b"p1"), entry("p2.txt", b"p2"))
    task_id = new_task(api, project)
    in_task = uploaded(api, task_place(task_id), entry("t1.txt", b"t1"), entry("t2.txt", b"t2"))
    contact = make_contact(server, api.tenant, "Ivan")
    in_contact = uploaded(api, f"<contact><id>{contact.id}</id></contact>", entry("c.txt", b"c"))
    cases = [
        ("file.getListForTask", task_place(task_id), in_task),
        ("file.getListForProject", project, in_project),
        ("file.getListForClient", f"<client><id>{contact.id}</id></client>", in_contact),
    ]
    for method, place, made in cases:
        found = listed_links(api.call(method, place + LINKS))
        assert sorted(found) == sorted(unique_id for _, unique_id, _ in made), method
        for unique_id, link in found.items():
            assert link == link_of(api, unique_id), method
    everything = listed_links(api.call("file.getListForUser", LINKS))
    assert len(everything) == 5 and all(everything.values())
    for _, unique_id, name in in_task:
        assert fetch(api, link_of(api, unique_id)).content == name[:2].encode()


def test_internet_files_redirect(api: Api) -> None:
    task_id = new_task(api)
    url = "<otherFile><url>https://example.com/a.pdf?x=1</url></otherFile>"
    ((_, unique_id, _),) = uploaded(api, task_place(task_id), entry("a.pdf", source="INTERNET", extra=url))
    response = fetch(api, link_of(api, unique_id))
    assert response.status_code == 302
    assert response.headers["location"] == "https://example.com/a.pdf?x=1"


def test_tampered_tokens_are_not_found(api: Api) -> None:
    task_id = new_task(api)
    ((_, unique_id, _),) = uploaded(api, task_place(task_id), entry("a.bin", CONTENT))
    link = link_of(api, unique_id)
    token = link.rsplit("/", 1)[1]
    flipped = ("A" if token[0] != "A" else "B") + token[1:]
    for bad in (flipped, token[:-1], token + "A", "x", "%C3%A9"):
        response = fetch(api, with_token(link, bad))
        assert response.status_code == 404, bad
        assert response.headers["content-type"].startswith("text/plain")
        assert response.content != CONTENT
    # The token names the version: moved to another uniqueId it is worth nothing.
    ((_, other_unique, _),) = uploaded(api, task_place(task_id), entry("b.bin", b"b"))
    moved = link.replace(f"/{unique_id}/", f"/{other_unique}/")
    assert fetch(api, moved).status_code == 404
    assert fetch(api, link).status_code == 200
    assert api.client.post(link).status_code == 405


def test_another_accounts_id_in_the_path(api: Api, server: Server) -> None:
    task_id = new_task(api)
    ((_, unique_id, _),) = uploaded(api, task_place(task_id), entry("a.bin", b"secret"))
    link = link_of(api, unique_id)
    other = provision(server, "other")
    swapped = link.replace(f"/files/{api.tenant.account_id}/", f"/files/{other.account_id}/")
    assert fetch(api, swapped).status_code == 404
    # Even a rightly signed link for the other account does not reach this account's version.
    token = links.token_of(server.settings, other.account_id, unique_id)
    signed = f"https://testserver/files/{other.account_id}/{unique_id}/{token}"
    assert links.verify(server.settings, other.account_id, unique_id, token)
    assert fetch(api, signed).status_code == 404


def test_deleted_files_and_versions_are_not_found(api: Api) -> None:
    task_id = new_task(api)
    ((file_id, unique_id, _),) = uploaded(api, task_place(task_id), entry("a.bin", b"a"))
    ((_, first, _),) = uploaded(api, task_place(task_id), entry("b.bin", b"1"))
    ((_, second, _),) = uploaded(
        api, task_place(task_id), entry("b.bin", b"2", extra="<newversion>1</newversion>")
    )
    whole, old, new = link_of(api, unique_id), link_of(api, first), link_of(api, second)
    assert api.call("file.delete", f"<files><id>{file_id}</id></files>").ok
    assert api.call("file.delete", f"<files><uniqueId>{first}</uniqueId></files>").ok
    assert fetch(api, whole).status_code == 404
    assert fetch(api, old).status_code == 404
    assert fetch(api, new).content == b"2"


def test_links_follow_the_secret(api: Api, server: Server) -> None:
    task_id = new_task(api)
    ((_, unique_id, _),) = uploaded(api, task_place(task_id), entry("a.bin", b"a"))
    link = link_of(api, unique_id)
    path = urlsplit(link).path
    same = dataclasses.replace(server.settings)  # another worker sharing the data directory's key
    with running(same) as (_, other_worker):
        assert other_worker.get(path).content == b"a"
    changed = dataclasses.replace(server.settings, secret_key="another-secret-" + "k" * 32)
    with running(changed) as (_, rekeyed):
        assert rekeyed.get(path).status_code == 404
        api_there = Api(rekeyed, api.tenant)
        fresh = urlsplit(link_of(api_there, unique_id)).path
        assert fresh != path and rekeyed.get(fresh).content == b"a"


def test_lost_content(api: Api, server: Server) -> None:
    task_id = new_task(api)
    ((_, unique_id, _),) = uploaded(api, task_place(task_id), entry("a.bin", b"a"))
    link = link_of(api, unique_id)
    (blob,) = blobs(server)
    blob.unlink()
    response = fetch(api, link)
    assert response.status_code == 500
    assert response.content != b"a"


def test_links_of_an_account_that_is_not_active(api: Api, server: Server) -> None:
    """A frozen account, or one in maintenance, answers its API with 0010 / 0011: its links too stop."""
    task_id = new_task(api)
    ((_, unique_id, _),) = uploaded(api, task_place(task_id), entry("a.bin", b"kept"))
    link = link_of(api, unique_id)
    for status in ("frozen", "maintenance"):
        with server.engine.begin() as connection:
            accounts.set_fields(connection, api.tenant.account_id, status=status)
        assert fetch(api, link).status_code == 404, status
    with server.engine.begin() as connection:
        accounts.set_fields(connection, api.tenant.account_id, status="active")
    assert fetch(api, link).content == b"kept"


def test_a_link_is_not_served_over_plain_http(api: Api, server: Server) -> None:
    """The token is a credential: over plain HTTP only the loopback sandbox listener serves it."""
    task_id = new_task(api)
    ((_, unique_id, _),) = uploaded(api, task_place(task_id), entry("a.txt", b"secret"))
    path = urlsplit(link_of(api, unique_id)).path
    with running(server.settings, base_url="http://testserver") as (_, plain):
        refused = plain.get(path, follow_redirects=False)
    assert (refused.status_code, refused.text) == (403, "HTTPS required\n")
    sandbox = dataclasses.replace(server.settings, plain_http=True)
    with running(sandbox, base_url="http://testserver", client_host="203.0.113.9") as (_, remote):
        assert remote.get(path, follow_redirects=False).status_code == 403
    with running(sandbox, base_url="http://127.0.0.1", client_host="127.0.0.1") as (_, local):
        served = local.get(path, follow_redirects=False)
    assert (served.status_code, served.content) == (200, b"secret")
