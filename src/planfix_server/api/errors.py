"""Error codes of the PlanFix XML API v1, one class per code.

The server raises these; the SDK raises the same classes for answers it receives, so a caller
can catch by meaning (``except SessionExpired``) or by area (``except TaskError``)::

    ApiError
    ├── ProtocolError          00xx  envelope, accounts, credentials, limits, parameters
    │   ├── AuthError              0001 0002 0004 0005 0006 0012 0013 0014
    │   ├── AccountUnavailable     0010 0011 0022 0023 0024
    │   ├── LimitExceeded          0007
    │   └── ParameterError         0009 0015 0016 0017 0019 0021
    ├── ObjectError            01xx  generic object errors
    ├── AuthenticationError    1xxx
    ├── ProjectError           2xxx
    ├── TaskError              3xxx
    ├── ActionError            4xxx
    ├── UserGroupError         5xxx
    ├── UserError              6xxx
    ├── ClientError            7xxx  (legacy counterparties)
    ├── ContactError           8xxx
    ├── FileError              9xxx
    ├── AnaliticError          10xxx
    └── SubscriptionError      11xxx (reserved)

Every class carries ``code`` and ``meaning``; an instance may also carry the ``function`` it
answered and a ``detail`` for logs (never sent unless messages are switched on). The SDK sets
``function`` to the function it called and ``detail`` to the answer's ``<message>``, and raises
these (SDK-only, in ``planfix_server.client.errors``) when a call got no API answer at all::

    TransportError             network failure after the retries, or no API answer
    ├── HttpStatusError        an HTTP status other than 200 (API errors always come in a 200)
    └── BadResponse            a body that is not an XML API response, or a value of the wrong type
"""

from __future__ import annotations

from typing import ClassVar


class ApiError(Exception):
    code: ClassVar[str] = ""
    meaning: ClassVar[str] = ""
    # Elements the error answer carries after ``<code>`` (9006 names the file in the way).
    extra: tuple[tuple[str, str], ...] = ()

    def __init__(self, detail: str = "", *, function: str = "") -> None:
        self.detail = detail
        self.function = function
        super().__init__(f"{self.code} {self.meaning}" + (f": {detail}" if detail else ""))


class ProtocolError(ApiError):
    """Codes 00xx."""


class AuthError(ProtocolError):
    """Credentials, sessions and signatures."""


class AccountUnavailable(ProtocolError):
    """The account cannot use the API right now or here."""


class LimitExceeded(ProtocolError):
    """Request limits."""


class ParameterError(ProtocolError):
    """The request's parameters."""


class ObjectError(ApiError):
    """Codes 01xx."""


class AuthenticationError(ApiError):
    """Codes 1xxx."""


class ProjectError(ApiError):
    """Codes 2xxx."""


class TaskError(ApiError):
    """Codes 3xxx."""


class ActionError(ApiError):
    """Codes 4xxx."""


class UserGroupError(ApiError):
    """Codes 5xxx."""


class UserError(ApiError):
    """Codes 6xxx."""


class ClientError(ApiError):
    """Codes 7xxx (legacy counterparties)."""


class ContactError(ApiError):
    """Codes 8xxx."""


class FileError(ApiError):
    """Codes 9xxx."""


class AnaliticError(ApiError):
    """Codes 10xxx."""


class SubscriptionError(ApiError):
    """Code 11xxx (reserved; no function of XML API v1 raises it)."""


def _code(base: type[ApiError], code: str, name: str, meaning: str) -> type[ApiError]:
    cls = type(name, (base,), {"code": code, "meaning": meaning, "__doc__": f"{code}: {meaning}"})
    cls.__module__ = __name__
    return cls


# 00xx
InvalidApiKey = _code(AuthError, "0001", "InvalidApiKey", "Incorrect API Key")
ApplicationBlocked = _code(AuthError, "0002", "ApplicationBlocked", "The application is blocked")
XmlParseError = _code(
    ProtocolError, "0003", "XmlParseError", "XML parsing error: the request is not valid XML"
)
UnknownAccount = _code(AuthError, "0004", "UnknownAccount", "Unknown account")
SessionExpired = _code(
    AuthError, "0005", "SessionExpired", "The session key is invalid (the session has expired)"
)
InvalidSignature = _code(AuthError, "0006", "InvalidSignature", "Incorrect signature")
RequestLimitExceeded = _code(
    LimitExceeded, "0007", "RequestLimitExceeded", "Resource usage limit exceeded (request limit)"
)
UnknownFunction = _code(ProtocolError, "0008", "UnknownFunction", "The function name is not recognised")
MissingParameter = _code(
    ParameterError, "0009", "MissingParameter", "One of the required function parameters is missing"
)
AccountFrozen = _code(AccountUnavailable, "0010", "AccountFrozen", "The account is frozen")
PlatformUpdating = _code(
    AccountUnavailable,
    "0011",
    "PlatformUpdating",
    "A software update is in progress on the account's platform",
)
NotAuthenticated = _code(
    AuthError,
    "0012",
    "NotAuthenticated",
    "Authentication error: no session was passed, or the token does not exist",
)
UndefinedUser = _code(AuthError, "0013", "UndefinedUser", "Undefined user")
UserInactive = _code(AuthError, "0014", "UserInactive", "The user is inactive")
InvalidParameterValue = _code(ParameterError, "0015", "InvalidParameterValue", "Invalid parameter value")
ValueNotAllowedHere = _code(
    ParameterError,
    "0016",
    "ValueNotAllowedHere",
    "In this context the parameter cannot take the value passed",
)
DependentParameterMissing = _code(
    ParameterError, "0017", "DependentParameterMissing", "The value of a dependent parameter is missing"
)
NotImplementedFunction = _code(
    ProtocolError, "0018", "NotImplementedFunction", "The function or functionality is not implemented"
)
ConflictingParameters = _code(
    ParameterError, "0019", "ConflictingParameters", "Conflicting parameters were specified"
)
FunctionForbidden = _code(AuthError, "0020", "FunctionForbidden", "Calling this function is forbidden")
TooManyObjects = _code(
    ParameterError,
    "0021",
    "TooManyObjects",
    "The requested number of objects exceeds the maximum allowed for this function",
)
FreeAccount = _code(AccountUnavailable, "0022", "FreeAccount", "API usage is not available for free accounts")
NotInPlan = _code(
    AccountUnavailable,
    "0023",
    "NotInPlan",
    "The requested action is not possible within the account's current plan",
)
WrongDataCentre = _code(
    AccountUnavailable, "0024", "WrongDataCentre", "The account is located in a different data center"
)
# 01xx
ObjectNotFound = _code(ObjectError, "0101", "ObjectNotFound", "The requested object does not exist")
ObjectAddFailed = _code(ObjectError, "0102", "ObjectAddFailed", "Error adding the object")
ObjectUpdateFailed = _code(ObjectError, "0103", "ObjectUpdateFailed", "Error updating the object")
DataAccessDenied = _code(ObjectError, "0104", "DataAccessDenied", "Access to the data is denied")
ObjectEditDenied = _code(ObjectError, "0105", "ObjectEditDenied", "No permission to edit the object")
# 1xxx
WrongLoginOrPassword = _code(
    AuthenticationError, "1001", "WrongLoginOrPassword", "Incorrect login or password"
)
NoPrivileges = _code(
    AuthenticationError, "1002", "NoPrivileges", "The request cannot be executed: no rights to perform it"
)
# 2xxx
ProjectNotFound = _code(ProjectError, "2001", "ProjectNotFound", "The requested project does not exist")
ProjectAccessDenied = _code(ProjectError, "2002", "ProjectAccessDenied", "No rights to perform this request")
ProjectAddFailed = _code(ProjectError, "2003", "ProjectAddFailed", "Error adding the project")
# 3xxx
TaskNotFound = _code(TaskError, "3001", "TaskNotFound", "The specified task does not exist")
ParentTaskAccessDenied = _code(TaskError, "3002", "ParentTaskAccessDenied", "No access to the parent task")
TaskProjectNotFound = _code(
    TaskError, "3003", "TaskProjectNotFound", "The project in which the task is being created does not exist"
)
TaskProjectAccessDenied = _code(
    TaskError,
    "3004",
    "TaskProjectAccessDenied",
    "The project in which the task is being created is not accessible",
)
TaskAddFailed = _code(TaskError, "3005", "TaskAddFailed", "Error adding the task")
TaskStartAfterEnd = _code(
    TaskError, "3006", "TaskStartAfterEnd", "The start time cannot be later than the finish time"
)
TaskRecurrenceUndefined = _code(TaskError, "3007", "TaskRecurrenceUndefined", "Undefined recurrence")
TaskAccessDenied = _code(TaskError, "3008", "TaskAccessDenied", "No access to the task")
TaskEditDenied = _code(TaskError, "3009", "TaskEditDenied", "No access to change the task's data")
TaskCannotBeRejected = _code(TaskError, "3010", "TaskCannotBeRejected", "This task cannot be rejected")
TaskCannotBeAccepted = _code(TaskError, "3011", "TaskCannotBeAccepted", "This task cannot be accepted")
NotTaskAssignee = _code(
    TaskError, "3012", "NotTaskAssignee", "The user making the request is not an assignee of the task"
)
TaskNotAccepted = _code(TaskError, "3013", "TaskNotAccepted", "The task has not been accepted")
TaskBeingModified = _code(
    TaskError, "3014", "TaskBeingModified", "The task is being modified right now; repeat the request later"
)
# 4xxx
ActionAccessDenied = _code(ActionError, "4001", "ActionAccessDenied", "No rights to perform this request")
ActionNotFound = _code(ActionError, "4002", "ActionNotFound", "The action does not exist")
ActionAddFailed = _code(ActionError, "4003", "ActionAddFailed", "Error adding the action")
ActionUpdateFailed = _code(ActionError, "4004", "ActionUpdateFailed", "Error updating data")
ActionUpdateFailed2 = _code(ActionError, "4005", "ActionUpdateFailed2", "Error updating data")
StatusNotAllowed = _code(
    ActionError,
    "4006",
    "StatusNotAllowed",
    "Attempt to change the task status to a status that is not allowed",
)
StatusChangeForbidden = _code(
    ActionError, "4007", "StatusChangeForbidden", "Changing the status is forbidden in this action"
)
CommentAccessDenied = _code(ActionError, "4008", "CommentAccessDenied", "No access to the comment")
ActionTaskAccessDenied = _code(ActionError, "4009", "ActionTaskAccessDenied", "No access to the task")
ActionAnaliticNotFound = _code(
    ActionError, "4010", "ActionAnaliticNotFound", "The specified analitic does not exist"
)
AnaliticFieldsMissing = _code(
    ActionError, "4011", "AnaliticFieldsMissing", "Not all fields were passed for the analitic"
)
AnaliticParameterUnknown = _code(
    ActionError,
    "4012",
    "AnaliticParameterUnknown",
    "A parameter that does not exist was specified for the analitic",
)
AnaliticTypeMismatch = _code(
    ActionError, "4013", "AnaliticTypeMismatch", "The data passed do not match the field type"
)
HandbookKeyUnusable = _code(
    ActionError, "4014", "HandbookKeyUnusable", "The specified handbook key cannot be used"
)
HandbookKeyNotFound = _code(
    ActionError, "4015", "HandbookKeyNotFound", "The specified handbook key does not exist"
)
AnaliticDataKeyForeign = _code(
    ActionError,
    "4016",
    "AnaliticDataKeyForeign",
    "The specified field-data key does not belong to the specified analitic",
)
# 5xxx
UserGroupNotFound = _code(
    UserGroupError, "5001", "UserGroupNotFound", "The specified user group does not exist"
)
UserGroupAccessDenied = _code(
    UserGroupError, "5002", "UserGroupAccessDenied", "No rights to perform this request"
)
UserGroupAddFailed = _code(UserGroupError, "5003", "UserGroupAddFailed", "Error adding the group")
# 6xxx
UserAccessDenied = _code(UserError, "6001", "UserAccessDenied", "No rights to perform this request")
EmailInUse = _code(UserError, "6002", "EmailInUse", "This e-mail is already in use")
UserAddFailed = _code(UserError, "6003", "UserAddFailed", "Error adding the employee")
UserNotFound = _code(UserError, "6004", "UserNotFound", "The user does not exist")
UserUpdateFailed = _code(UserError, "6005", "UserUpdateFailed", "Error updating data")
UnknownUserGroupId = _code(
    UserError, "6006", "UnknownUserGroupId", "The identifier of a user group that does not exist was given"
)
# 7xxx
ClientAccessDenied = _code(ClientError, "7001", "ClientAccessDenied", "No rights to perform this request")
ClientNotFound = _code(ClientError, "7002", "ClientNotFound", "The client does not exist")
ClientAddFailed = _code(ClientError, "7003", "ClientAddFailed", "Error adding the client")
ClientUpdateFailed = _code(ClientError, "7004", "ClientUpdateFailed", "Error updating data")
# 8xxx
ContactAccessDenied = _code(ContactError, "8001", "ContactAccessDenied", "No rights to perform this request")
ContactNotFound = _code(ContactError, "8002", "ContactNotFound", "The contact does not exist")
ContactAddFailed = _code(ContactError, "8003", "ContactAddFailed", "Error adding the contact")
ContactUpdateFailed = _code(ContactError, "8004", "ContactUpdateFailed", "Error updating data")
ContactAccessNotActivated = _code(
    ContactError, "8005", "ContactAccessNotActivated", "The contact has not activated Planfix access"
)
ContactAccessNotGranted = _code(
    ContactError, "8006", "ContactAccessNotGranted", "The contact has not been granted Planfix access"
)
ContactLoginNotUnique = _code(
    ContactError, "8007", "ContactLoginNotUnique", "The e-mail given as login is not unique"
)
ContactPasswordNotActivated = _code(
    ContactError,
    "8008",
    "ContactPasswordNotActivated",
    "Attempt to set a password for a contact that has not activated Planfix access",
)
ContactSignInUpdateFailed = _code(
    ContactError, "8009", "ContactSignInUpdateFailed", "Error updating the sign-in data"
)
ContactInvalidEmail = _code(
    ContactError, "8010", "ContactInvalidEmail", "An invalid e-mail address was given"
)
# 9xxx
FileAccessDenied = _code(FileError, "9001", "FileAccessDenied", "No rights to perform this request")
FileNotFound = _code(FileError, "9002", "FileNotFound", "The requested file does not exist")
FileUploadFailed = _code(FileError, "9003", "FileUploadFailed", "Error uploading the file")
FileListEmpty = _code(FileError, "9004", "FileListEmpty", "Attempt to upload an empty list of files")
FileNameInvalid = _code(FileError, "9005", "FileNameInvalid", "Invalid character in the file name")
FileNameNotUnique = _code(FileError, "9006", "FileNameNotUnique", "The file name is not unique")
FileSystemError = _code(FileError, "9007", "FileSystemError", "File system error")
ProjectFileToProject = _code(
    FileError, "9008", "ProjectFileToProject", "A project's file cannot be added to a project"
)
FileOfOtherProject = _code(
    FileError, "9009", "FileOfOtherProject", "The file being attached to the task belongs to another project"
)
# 10xxx
AnaliticAccessDenied = _code(
    AnaliticError, "10001", "AnaliticAccessDenied", "No rights to perform this request"
)
AnaliticNotFound = _code(AnaliticError, "10002", "AnaliticNotFound", "The analitic does not exist")
AnaliticGroupNotFound = _code(
    AnaliticError, "10003", "AnaliticGroupNotFound", "The analitic group parameter passed does not exist"
)
AnaliticHandbookNotFound = _code(
    AnaliticError,
    "10004",
    "AnaliticHandbookNotFound",
    "The analitic handbook parameter passed does not exist",
)
# 11xxx
SubscriptionNotFound = _code(
    SubscriptionError, "11001", "SubscriptionNotFound", "The specified subscription does not exist"
)


def _collect() -> dict[str, type[ApiError]]:
    found: dict[str, type[ApiError]] = {}
    for value in list(globals().values()):
        if isinstance(value, type) and issubclass(value, ApiError) and value.code:
            if value.code in found:
                raise RuntimeError(f"error code {value.code} declared twice")
            found[value.code] = value
    return dict(sorted(found.items(), key=lambda item: (len(item[0]), item[0])))


ERRORS_BY_CODE: dict[str, type[ApiError]] = _collect()


def error_for_code(code: str) -> type[ApiError]:
    """The class of a code; an unknown code gets a fresh subclass of ApiError (SDK use)."""
    known = ERRORS_BY_CODE.get(code)
    if known is not None:
        return known
    return type(f"UnknownError{code}", (ApiError,), {"code": code, "meaning": "Unknown error code"})
