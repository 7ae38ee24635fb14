"""The typed ``handbook.*`` calls against this server's own functions (sync and async clients)."""

from __future__ import annotations

import pytest

from planfix_server.api import errors
from planfix_server.app import Server
from planfix_server.client import Ref
from tests.client.functions.server import Run, Session
from tests.domain.handbooks.helpers import make_field, make_group, make_handbook
from tests.support import Tenant


def test_definitions_and_records(run: Run, server: Server, tenant: Tenant) -> None:
    group = make_group(server, tenant, "Work types")
    units = make_handbook(server, tenant, "Units")
    kinds = make_handbook(server, tenant, "Kinds", group)
    name = make_field(server, tenant, kinds, "Name", displayed=True)
    unit = make_field(server, tenant, kinds, "Unit", "HANDBOOK", target=units)
    unit_name = make_field(server, tenant, units, "Name")

    async def scenario(session: Session) -> None:
        pf = await session.client()
        assert await pf.handbook.get_group_list() == [Ref(group, "Work types")]
        assert [h.id for h in await pf.handbook.get_list()] == [units, kinds]
        assert [h.group for h in await pf.handbook.get_list(group_id=group)] == [Ref(group, "Work types")]
        structure = await pf.handbook.get_structure(kinds)
        assert [(f.id, f.type, f.handbook_id) for f in structure.fields] == [
            (name, "STRING", None),
            (unit, "HANDBOOK", units),
        ]
        minute = await pf.handbook.add_record(units, {unit_name: "minute"})
        folder = await pf.handbook.add_record(kinds, group_name="Programming")
        keys = [
            await pf.handbook.add_record(kinds, {name: f"K{n}", unit: minute}, parent_key=folder)
            for n in range(3)
        ]
        record = await pf.handbook.get_record(kinds, keys[0])
        assert record.parent_key == folder
        assert [(v.field_id, v.value, v.text) for v in record.values] == [
            (name, "K0", "K0"),
            (unit, str(minute), "minute"),
        ]
        walked = await pf.handbook.iterate_records(kinds, parent_key=folder, page_size=2)
        assert [r.key for r in walked] == keys
        top = await pf.handbook.get_records(kinds)
        assert [(r.key, r.is_group, r.name) for r in top.items] == [(folder, True, "Programming")]
        assert await pf.handbook.update_record(kinds, keys[1], {name: "Renamed"}, archived=True) == keys[1]
        changed = await pf.handbook.get_record_multi(kinds, [keys[1], 9999])
        assert [(r.key, r.archived, r.values[0].value) for r in changed] == [(keys[1], True, "Renamed")]
        with pytest.raises(errors.ObjectNotFound):
            await pf.handbook.get_record(kinds, 9999)
        with pytest.raises(errors.InvalidParameterValue):
            await pf.handbook.add_record(kinds, {unit: folder})  # a group record is no value

    run(scenario)
