"""The pytest plugin, run inside a pytest of its own (``pytester``).

The inner pytest is one subprocess for every case (a fresh interpreter costs seconds): an
in-process run would drop the modules it imported when it ends, and importing the API's domain
modules a second time registers their functions twice. Its test files have no conftest that
imports the plugin, so the fixtures can only come from the ``pytest11`` entry point.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs" / "sandbox.md"


def docs_block(after: str) -> str:
    """The first ```python block of docs/sandbox.md after the line containing ``after``."""
    text = DOCS.read_text(encoding="utf-8")
    found = re.search(r"```python\n(.*?)```", text[text.index(after) :], flags=re.DOTALL)
    assert found is not None
    return found.group(1)


SESSION = """
import datetime as dt

PORTS = []

def test_first(planfix_sandbox_session, planfix_account, planfix_clock, planfix_faults, planfix_seed):
    PORTS.append(planfix_sandbox_session.port)
    assert planfix_account.url == planfix_sandbox_session.url
    planfix_seed({"accounts": [{"name": "extra"}]})
    planfix_clock.freeze(dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    planfix_faults.error("user.get", "0013")

def test_second(planfix_sandbox_session, planfix_seed, planfix_clock, planfix_faults, planfix_requests):
    PORTS.append(planfix_sandbox_session.port)
    assert PORTS[0] == PORTS[1]
    assert not planfix_clock.frozen and planfix_faults.active() == []
    assert planfix_requests.entries() == []
    made = planfix_seed({"accounts": [{"name": "acme"}, {"name": "extra"}]})  # "extra" is gone
    assert [account["id"] for account in made["accounts"]] == [1, 2]

def test_fresh_server_is_another(planfix_sandbox):
    assert planfix_sandbox.port not in PORTS
"""

CONTROL = """
import httpx

def call(url, account):
    body = f'<request method="user.get"><account>{account.name}</account></request>'
    return httpx.post(url, auth=(account.api_key, account.token), content=body).text

def test_faults_clock_log(planfix_account, planfix_url, planfix_faults, planfix_requests, planfix_clock):
    planfix_clock.freeze()
    planfix_faults.error("user.get", "0007", times=2)
    codes = [call(planfix_url, planfix_account) for _ in range(3)]
    assert ["<code>0007</code>" in code for code in codes] == [True, True, False]
    assert [entry.code for entry in planfix_requests.entries()] == ["0007", "0007", "ok"]
    assert {entry.time for entry in planfix_requests.entries()} == {planfix_clock.now()}
"""

NO_SDK = """
import sys
import pytest

@pytest.fixture(autouse=True)
def no_sdk(monkeypatch):
    monkeypatch.setitem(sys.modules, "planfix_server.client", None)

def test_uses_the_client(planfix_client):
    raise AssertionError("not reached")
"""

WITH_SDK = """
def test_client(planfix_client, planfix_account, planfix_requests):
    for _ in range(5):  # no pacing against the sandbox's defaults
        planfix_client.call("user.get")
    assert planfix_requests.functions(account=planfix_account.name) == ["user.get"] * 5
"""

OPTIONS = """
import httpx

def test_options(planfix_sandbox, planfix_account, planfix_url):
    assert planfix_url.startswith("https://127.0.0.1:") and planfix_sandbox.cert_file.exists()
    settings = planfix_sandbox.server.settings
    assert settings.requests_per_second == 1 and settings.plan_quotas == {"standard": 100}
    body = '<request method="user.getList"><account>shop</account></request>'
    with httpx.Client(verify=planfix_sandbox.verify) as http:
        answer = http.post(planfix_url, content=body, auth=(planfix_account.api_key, planfix_account.token))
    assert answer.content.count(b"<user>") == 2  # the owner and ivan
    assert answer.headers["x-ratelimit-remaining"] == "99"
"""


def test_the_plugin_in_a_pytest_of_its_own(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_documented=docs_block("A complete example to copy"),
        test_session=SESSION,
        test_control=CONTROL,
        test_no_sdk=NO_SDK,
        test_with_sdk=WITH_SDK,
    )
    # The documented conftest, in a directory of its own: TLS, the limit back on, another account.
    options = pytester.mkpydir("with_options")
    (options / "conftest.py").write_text(
        docs_block("Settings and the account can be changed in a `conftest.py`:")
    )
    (options / "test_options.py").write_text(OPTIONS)

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-v", "-rs")
    sdk = importlib.util.find_spec("planfix_server.client.sync") is not None
    outcome = "PASSED" if sdk else "SKIPPED"
    result.stdout.fnmatch_lines_random(
        [
            "*test_documented.py::test_the_current_user PASSED*",
            "*test_documented.py::test_a_session_expires_after_an_hour PASSED*",
            "*test_documented.py::test_a_busy_object_then_success PASSED*",
            "*test_documented.py::test_fixed_credentials_from_a_fixture PASSED*",
            f"*test_documented.py::test_with_the_sdk {outcome}*",
            "*test_session.py::test_first PASSED*",
            "*test_session.py::test_second PASSED*",
            "*test_session.py::test_fresh_server_is_another PASSED*",
            "*test_control.py::test_faults_clock_log PASSED*",
            "*test_no_sdk.py::test_uses_the_client SKIPPED*",
            f"*test_with_sdk.py::test_client {outcome}*",
            "*test_options.py::test_options PASSED*",
            "*the SDK planfix_server.client is not available*",
        ]
    )
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) == 0 and outcomes.get("errors", 0) == 0, result.stdout.str()
