"""The 79 functions of XML API v1, by the sections of the official function list."""

from __future__ import annotations

SECTIONS: dict[str, tuple[str, ...]] = {
    "Authentication": ("auth.login",),
    "Projects": ("project.add", "project.update", "project.get", "project.getList"),
    "Project groups": (
        "projectGroup.add",
        "projectGroup.update",
        "projectGroup.move",
        "projectGroup.get",
        "projectGroup.getList",
    ),
    "Tasks": (
        "task.add",
        "task.update",
        "task.updateCustomData",
        "task.get",
        "task.getMulti",
        "task.getList",
        "task.accept",
        "task.reject",
        "task.changeExpectDate",
        "task.changeStatus",
        "task.getPossibleStatusToChange",
        "task.changeWorkers",
        "task.getFilterList",
    ),
    "Task statuses": ("taskStatus.getSetList", "taskStatus.getListOfSet"),
    "Comments": (
        "action.add",
        "action.update",
        "action.get",
        "action.getList",
        "action.getListByPeriod",
        "action.getListWithAnalitic",
        "action.delete",
    ),
    "Data tags": (
        "analitic.getGroupList",
        "analitic.getList",
        "analitic.getOptions",
        "analitic.getHandbook",
        "analitic.getData",
        "analitic.getDataByCondition",
    ),
    "User groups": (
        "userGroup.add",
        "userGroup.update",
        "userGroup.get",
        "userGroup.getList",
        "userGroup.getHeads",
    ),
    "Employees": (
        "user.add",
        "user.update",
        "user.get",
        "user.getList",
        "user.updateGroupMembership",
        "user.changeStatus",
        "user.actionsAdded",
    ),
    "Contacts": (
        "contact.add",
        "contact.update",
        "contact.updateCustomData",
        "contact.get",
        "contact.getList",
        "contact.managePlanfixAccess",
        "contact.updateUserInfo",
        "contact.updateContractors",
        "contact.getPhoneTypes",
        "contact.getGroupList",
        "contact.delete",
        "contact.getFilterList",
    ),
    "Files": (
        "file.upload",
        "file.download",
        "file.get",
        "file.getListForProject",
        "file.getListForTask",
        "file.getListForUser",
        "file.getListForClient",
        "file.getHistory",
        "file.delete",
    ),
    "Handbooks": (
        "handbook.getGroupList",
        "handbook.getList",
        "handbook.getStructure",
        "handbook.getRecords",
        "handbook.getRecord",
        "handbook.getRecordMulti",
        "handbook.addRecord",
        "handbook.updateRecord",
    ),
}

ALL_FUNCTIONS: tuple[str, ...] = tuple(name for names in SECTIONS.values() for name in names)
SECTION_OF: dict[str, str] = {name: section for section, names in SECTIONS.items() for name in names}

assert len(ALL_FUNCTIONS) == 79 == len(set(ALL_FUNCTIONS))
