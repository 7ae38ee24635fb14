"""Custom fields of type handbook_record / handbook_record_set hold keys of real handbook records."""

from __future__ import annotations

from planfix_server.app import Server
from tests.domain.handbooks.helpers import add_record, make_handbook
from tests.domain.handbooks.helpers import make_field as make_handbook_field
from tests.domain.projects.helpers import add_project, custom, get_project, make_field
from tests.support import Api, provision


def _value(field_id: int, value: str) -> str:
    return f"<customData><customValue><id>{field_id}</id><value>{value}</value></customValue></customData>"


def test_keys_show_the_record_caption(api: Api, server: Server) -> None:
    units = make_handbook(server, api.tenant, "Units")
    code = make_handbook_field(server, api.tenant, units, "Code")
    name = make_handbook_field(server, api.tenant, units, "Name", displayed=True)
    minute = add_record(api, units, {code: "m", name: "minute"})
    hour = add_record(api, units, {code: "h", name: "hour"})
    one = make_field(server, api.tenant, "project", "Unit", "handbook_record", handbook_id=units)
    many = make_field(server, api.tenant, "project", "Units", "handbook_record_set", handbook_id=units)
    project = add_project(api, "<title>P</title>" + _value(one, str(minute)))
    assert custom(get_project(api, project))["Unit"] == (str(minute), "minute")
    project = add_project(api, "<title>Q</title>" + _value(many, f"[{hour},{minute}]"))
    assert custom(get_project(api, project))["Units"] == (f"[{hour},{minute}]", "hour, minute")


def test_first_field_is_the_caption_without_a_displayed_one(api: Api, server: Server) -> None:
    units = make_handbook(server, api.tenant, "Units")
    code = make_handbook_field(server, api.tenant, units, "Code")
    make_handbook_field(server, api.tenant, units, "Name")
    minute = add_record(api, units, {code: "m"})
    field = make_field(server, api.tenant, "project", "Unit", "handbook_record")
    project = add_project(api, "<title>P</title>" + _value(field, str(minute)))
    assert custom(get_project(api, project))["Unit"] == (str(minute), "m")


def test_unknown_group_or_foreign_keys_are_0015(api: Api, server: Server) -> None:
    units = make_handbook(server, api.tenant, "Units")
    other = make_handbook(server, api.tenant, "Other")
    group = add_record(api, units, group="Time")
    foreign = add_record(api, other)
    one = make_field(server, api.tenant, "project", "Unit", "handbook_record", handbook_id=units)
    many = make_field(server, api.tenant, "project", "Units", "handbook_record_set", handbook_id=units)
    loose = make_field(server, api.tenant, "project", "Any", "handbook_record")
    other_tenant = provision(server, "other")
    their_key = add_record(Api(api.client, other_tenant), make_handbook(server, other_tenant, "Theirs"))
    for field, value in (
        (one, "999"),
        (one, str(group)),
        (one, str(foreign)),
        (many, f"[{foreign}]"),
        (loose, str(group)),
        (loose, str(their_key)),
    ):
        reply = api.call("project.add", f"<project><title>P</title>{_value(field, value)}</project>")
        assert reply.code == "0015", (field, value, reply.raw)
    assert api.call("project.add", f"<project><title>P</title>{_value(loose, str(foreign))}</project>").ok
