"""Every error code raises its class from ``planfix_server.api.errors``, with function and meaning."""

from __future__ import annotations

import httpx
import pytest

from planfix_server.api import errors
from planfix_server.api.errors import ERRORS_BY_CODE, ApiError
from planfix_server.client import BadResponse, HttpStatusError, Retry, TransportError
from tests.client.conftest import canned_client, error, ok

AREAS: list[tuple[str, type[ApiError]]] = [
    ("11", errors.SubscriptionError),
    ("10", errors.AnaliticError),
    ("00", errors.ProtocolError),
    ("01", errors.ObjectError),
    ("1", errors.AuthenticationError),
    ("2", errors.ProjectError),
    ("3", errors.TaskError),
    ("4", errors.ActionError),
    ("5", errors.UserGroupError),
    ("6", errors.UserError),
    ("7", errors.ClientError),
    ("8", errors.ContactError),
    ("9", errors.FileError),
]


def area_of(code: str) -> type[ApiError]:
    if len(code) == 5:
        return dict(AREAS)[code[:2]]
    prefix = code[:2] if code.startswith("0") else code[0]
    return dict(AREAS)[prefix]


@pytest.mark.parametrize("code", list(ERRORS_BY_CODE))
def test_every_code_maps_to_its_class(code: str) -> None:
    client = canned_client(error(code, "what went wrong"), retry=Retry(attempts=0), limit_budget=0)
    with pytest.raises(ApiError) as caught:
        client.call("task.get", {"task": {"id": 1}})
    raised = caught.value
    expected = ERRORS_BY_CODE[code]
    assert type(raised) is expected
    assert raised.code == code
    assert raised.function == "task.get"
    assert raised.meaning == expected.meaning and raised.meaning
    assert raised.detail == "what went wrong"
    assert isinstance(raised, area_of(code))
    assert code in str(raised)


def test_catch_by_name_and_by_area() -> None:
    client = canned_client(error("3001"))
    with pytest.raises(errors.TaskNotFound):
        client.task.get(5)
    with pytest.raises(errors.TaskError):
        client.task.get(5)
    client = canned_client(error("0016"))
    with pytest.raises(errors.ParameterError):
        client.user.get(1)


def test_unknown_code() -> None:
    client = canned_client(error("123123123"))
    with pytest.raises(ApiError) as caught:
        client.call("user.get")
    assert caught.value.code == "123123123"
    assert type(caught.value).__name__ == "UnknownError123123123"


def test_http_status_other_than_200() -> None:
    client = canned_client(lambda request: httpx.Response(403, content=b"HTTPS required\n"))
    with pytest.raises(HttpStatusError) as caught:
        client.call("user.get")
    assert caught.value.status_code == 403
    assert "HTTPS required" in str(caught.value)
    assert isinstance(caught.value, TransportError)
    assert not isinstance(caught.value, ApiError)
    assert client.stats.requests == 1  # a 403 is not retried


def test_not_an_api_answer() -> None:
    client = canned_client(b"<html>gateway</html>")
    with pytest.raises(BadResponse):
        client.call("user.get")


def test_typed_reader_failure_is_a_bad_response() -> None:
    client = canned_client(ok("<user><general>1</general></user>"))
    with pytest.raises(BadResponse, match="no <id>"):
        client.user.get()
