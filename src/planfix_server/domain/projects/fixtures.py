"""Fixture sections ``project_groups`` and ``projects``.

::

    "project_groups": ["Clients", "Internal"],
    "projects": [{"title": "Site", "owner": "alice", "status": "ACTIVE", "hidden": false,
                  "group": "Clients", "parent": "Other title", "end_date": "31-12-2026",
                  "template": false, "from_template": "Template title",
                  "workers": ["bob"], "worker_groups": ["Developers"], "members": [], "auditors": [],
                  "managers": [], "custom_data": {"Stage": "A"}}]

Users are named by login, groups by name, projects (parents, templates) by a title listed before.
"""

from __future__ import annotations

from typing import Any

from planfix_server.domain.customfields.fixtures import write_fixture_values
from planfix_server.domain.projects.group_methods import add_group
from planfix_server.domain.projects.repository import Person
from planfix_server.domain.projects.service import ROLES, insert_project
from planfix_server.domain.projects.shapes import PROJECT_STATUSES
from planfix_server.sandbox.fixtures import FixtureError, Item, SeedContext, entries, section
from planfix_server.wire.fields import Date

PROJECT_FIELDS = (
    "title",
    "description",
    "owner",
    "status",
    "hidden",
    "group",
    "parent",
    "end_date",
    "template",
    "from_template",
    *(f"{role}s" for role in ROLES),
    *(f"{role}_groups" for role in ROLES),
    "custom_data",
)


@section("project_groups", order=60)
def load_project_groups(context: SeedContext, data: Any, where: str) -> None:
    """Project group names, in their order."""
    for value, place in entries(data, where):
        name = Item({"name": value}, place, ("name",)).need("name") if isinstance(value, str) else None
        if name is None:
            name = Item(value, place, ("name",)).need("name")
        context.remember("project_groups", name, add_group(context.uow, name, context.now), place)
    context.result["project_groups"] = dict(context.refs.get("project_groups", {}))


@section("projects", order=65)
def load_projects(context: SeedContext, data: Any, where: str) -> None:
    """Projects and project templates, parents before their subprojects."""
    for value, place in entries(data, where):
        item = Item(value, place, PROJECT_FIELDS)
        title = item.need("title")
        owner_id = context.ref("users", item.need("owner", context.owner_login), item.at("owner"))
        people = []
        for role in ROLES:
            for login in item.texts(f"{role}s") or []:
                people.append(Person(role, "user", context.ref("users", login, item.at(f"{role}s"))))
            for name in item.texts(f"{role}_groups") or []:
                people.append(
                    Person(role, "group", context.ref("user_groups", name, item.at(f"{role}_groups")))
                )
        end_text = item.text("end_date")
        try:
            end_date = None if end_text is None else Date().parse(end_text)
        except Exception as exc:
            raise FixtureError(f"{item.at('end_date')}: {exc}") from None
        group, parent, template = item.text("group"), item.text("parent"), item.text("from_template")
        with context.at(place):
            project_id = insert_project(
                context.uow,
                context.now,
                title=title,
                owner_id=owner_id,
                description=item.text("description") or "",
                status=item.need("status", "ACTIVE", choices=PROJECT_STATUSES),
                hidden=item.flag("hidden"),
                end_date=end_date,
                group_id=None if group is None else context.ref("project_groups", group, item.at("group")),
                parent_id=None if parent is None else context.ref("projects", parent, item.at("parent")),
                template_id=None
                if template is None
                else context.ref("projects", template, item.at("from_template")),
                is_template=item.flag("template"),
                people=people,
            )
        context.remember("projects", title, project_id, place)
        write_fixture_values(
            context, "project", project_id, item.data.get("custom_data"), item.at("custom_data"), owner_id
        )
    context.result["projects"] = dict(context.refs.get("projects", {}))
