"""FILES fields of handbook records: ``customValue.files`` on addRecord / updateRecord."""

from __future__ import annotations

import base64

from sqlalchemy import select

from planfix_server.app import Server
from planfix_server.store.tables import files
from tests.domain.handbooks.helpers import get_record, make_field, make_handbook, values_of
from tests.support import Api, Reply


def _file(name: str, content: bytes = b"hello") -> str:
    body = base64.b64encode(content).decode()
    return f"<file><name>{name}</name><sourceType>FILESYSTEM</sourceType><body>{body}</body></file>"


def _write(api: Api, method: str, head: str, field: int, value: str | None, *entries: str) -> Reply:
    inner = f"<id>{field}</id>" + ("" if value is None else f"<value>{value}</value>")
    inner += f"<files>{''.join(entries)}</files>" if entries else ""
    return api.call(method, f"{head}<customData><customValue>{inner}</customValue></customData>")


def _stored(server: Server, key: int) -> list[tuple[int, str, int]]:
    with server.engine.connect() as connection:
        rows = connection.execute(
            select(files.c.id, files.c.name, files.c.field_id)
            .where(files.c.record_id == key)
            .order_by(files.c.id)
        ).all()
    return [(int(row.id), row.name, int(row.field_id)) for row in rows]


def test_files_stored_listed_kept_and_dropped(api: Api, server: Server) -> None:
    hb = make_handbook(server, api.tenant, "Price lists")
    name = make_field(server, api.tenant, hb, "Name")
    docs = make_field(server, api.tenant, hb, "Documents", "FILES")
    head = f"<handbook><id>{hb}</id></handbook>"
    reply = _write(api, "handbook.addRecord", head, docs, None, _file("price.pdf"), _file("terms.txt"))
    assert reply.ok, reply.raw
    key = int(reply.text("key"))
    stored = _stored(server, key)
    assert [(n, f) for _, n, f in stored] == [("price.pdf", docs), ("terms.txt", docs)]
    first, second = stored[0][0], stored[1][0]
    assert values_of(get_record(api, hb, key)) == {
        name: ("", ""),
        docs: (f"{first},{second}", "price.pdf, terms.txt"),
    }
    head += f"<key>{key}</key>"
    assert _write(api, "handbook.updateRecord", head, docs, None, _file("extra.txt")).ok  # no value: keep all
    assert len(_stored(server, key)) == 3
    assert _write(api, "handbook.updateRecord", head, docs, str(second), _file("new.txt")).ok
    assert [n for _, n, _ in _stored(server, key)] == ["terms.txt", "new.txt"]
    assert _write(api, "handbook.updateRecord", head, docs, "").ok  # an empty list keeps none
    assert _stored(server, key) == []
    assert values_of(get_record(api, hb, key))[docs] == ("", "")


def test_file_errors(api: Api, server: Server) -> None:
    hb = make_handbook(server, api.tenant, "Price lists")
    name = make_field(server, api.tenant, hb, "Name")
    docs = make_field(server, api.tenant, hb, "Documents", "FILES")
    head = f"<handbook><id>{hb}</id></handbook>"
    assert _write(api, "handbook.addRecord", head, docs, None, _file("a.txt"), _file("a.txt")).code == "9006"
    assert _write(api, "handbook.addRecord", head, docs, None, _file("a/b.txt")).code == "9005"
    bad_body = "<file><name>x.txt</name><sourceType>FILESYSTEM</sourceType><body>%%%</body></file>"
    assert _write(api, "handbook.addRecord", head, docs, None, bad_body).code == "9003"
    assert (
        _write(api, "handbook.addRecord", head, name, "x", _file("a.txt")).code == "0015"
    )  # not a FILES field
    key = int(_write(api, "handbook.addRecord", head, docs, None, _file("a.txt")).text("key"))
    update = f"{head}<key>{key}</key>"
    assert _write(api, "handbook.updateRecord", update, docs, "one,two").code == "0015"
    assert len(_stored(server, key)) == 1
