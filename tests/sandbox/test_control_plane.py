"""The control plane under /_sandbox/: reset, seed, clock, faults, request log, who may use it."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from starlette.testclient import TestClient

from planfix_server.app import Server, create_app
from planfix_server.settings import Settings
from tests.sandbox.conftest import ACME, API_KEY, TOKEN, Sandboxed, sandboxed
from tests.support import Api, Tenant

ROUTES = [
    ("POST", "reset"),
    ("POST", "seed"),
    ("GET", "clock"),
    ("POST", "clock"),
    ("GET", "faults"),
    ("POST", "faults"),
    ("DELETE", "faults"),
    ("GET", "requests"),
    ("DELETE", "requests"),
]

# -- who may use it


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_non_loopback_clients_get_403(settings: Settings, method: str, path: str) -> None:
    made = Server.start(settings.replace(sandbox=True))
    try:
        # TestClient's default client address, "testclient", is not a loopback address.
        with TestClient(create_app(server=made), base_url="https://testserver") as client:
            response = client.request(method, f"/_sandbox/{path}", json={})
    finally:
        made.engine.dispose()
    assert response.status_code == 403
    assert "loopback" in response.json()["error"]


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_not_mounted_outside_sandbox_mode(server: Server, method: str, path: str) -> None:
    assert not server.settings.sandbox
    with TestClient(
        create_app(server=server), base_url="https://testserver", client=("127.0.0.1", 1)
    ) as client:
        assert client.request(method, f"/_sandbox/{path}", json={}).status_code == 404
    assert not server.before_dispatch and not server.after_answer


# -- reset and seed


def test_seed_json_gives_working_fixed_credentials(sbx: Sandboxed) -> None:
    loaded = sbx.seed(ACME)["accounts"][0]
    assert (loaded["api_keys"][0]["api_key"], loaded["tokens"][0]["token"]) == (API_KEY, TOKEN)
    api = sbx.api(loaded)
    assert api.call("user.get").text("user/login") == "owner"
    assert api.login("owner", "owner-pass")


def test_seed_yaml_by_content_type(sbx: Sandboxed) -> None:
    pytest.importorskip("yaml")
    body = "\n".join(
        [
            "accounts:",
            "  - name: acme",
            f"    api_keys: [{{api_key: '{API_KEY}'}}]",
            f"    tokens: [{{token: '{TOKEN}'}}]",
        ]
    )
    response = sbx.control("POST", "seed", content=body, headers={"content-type": "application/yaml"})
    assert response.status_code == 200, response.text
    assert sbx.api(response.json()["accounts"][0]).call("user.get").ok


def test_bad_seed_is_400_and_changes_nothing(sbx: Sandboxed) -> None:
    response = sbx.control(
        "POST",
        "seed",
        json={"accounts": [ACME, {"name": "other", "users": [{"login": "x", "role": "BOSS"}]}]},
    )
    assert response.status_code == 400
    assert "accounts[1] (other).users[0].role" in response.json()["error"]
    assert sbx.seed(ACME)  # acme was not created by the failed seed, so the name is free


def test_reset_all_deletes_everything_and_restarts_ids(sbx: Sandboxed) -> None:
    acme = sbx.seed(ACME)["accounts"][0]
    sbx.seed({"name": "other"})
    response = sbx.control("POST", "reset")
    assert response.json() == {"reset": "all"}
    assert sbx.api(acme).call("user.get").code == "0004"
    again = sbx.seed(ACME)["accounts"][0]
    assert (again["id"], again["owner"]["id"]) == (1, 1)
    assert sbx.api(again).call("user.get").ok


def test_reset_one_account_keeps_the_others(sbx: Sandboxed) -> None:
    acme = sbx.seed(ACME)["accounts"][0]
    other = sbx.seed({"name": "other", "users": [{"login": "ivan"}], "user_groups": [{"name": "Sales"}]})
    assert sbx.control("POST", "reset", json={"account": "acme"}).json() == {"reset": "acme"}
    assert sbx.api(acme).call("user.get").code == "0004"
    assert sbx.api(other["accounts"][0]).call("user.get").ok
    # The name is free again.
    assert sbx.api(sbx.seed(ACME)["accounts"][0]).call("user.get").ok
    missing = sbx.control("POST", "reset", json={"account": "nobody"})
    assert missing.status_code == 404


def test_reset_clears_counters_faults_log_and_clock(settings: Settings) -> None:
    with sandboxed(settings, plan_quotas={"premium": 1}) as sbx:
        api = sbx.api(sbx.seed(ACME)["accounts"][0])
        assert api.call("user.get").ok
        assert api.call("user.get").code == "0007"
        sbx.sandbox.faults.error("user.get", "0013", times=5)
        sbx.sandbox.clock.freeze(dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
        sbx.control("POST", "reset")
        assert sbx.sandbox.faults.active() == [] and len(sbx.sandbox.requests) == 0
        assert not sbx.sandbox.clock.frozen
        api = sbx.api(sbx.seed(ACME)["accounts"][0])
        assert api.call("user.get").ok  # a fresh daily count, no fault


def test_reset_of_one_account_clears_its_counters_faults_and_log(settings: Settings) -> None:
    with sandboxed(settings, plan_quotas={"premium": 1}) as sbx:
        acme = sbx.api(sbx.seed(ACME)["accounts"][0])
        other = sbx.api(sbx.seed({"name": "other"})["accounts"][0])
        assert acme.call("user.get").ok and other.call("user.get").ok
        sbx.sandbox.faults.error("user.get", "0013", account="acme")
        sbx.sandbox.faults.error("userGroup.getList", "0013")
        sbx.control("POST", "reset", json={"account": "acme"})
        assert [f.function for f in sbx.sandbox.faults.active()] == ["userGroup.getList"]
        assert [e.account for e in sbx.sandbox.requests.entries()] == ["other"]
        acme = sbx.api(sbx.seed(ACME)["accounts"][0])
        assert acme.call("user.get").ok


# -- the clock


def test_clock_read_freeze_advance_unfreeze_reset(sbx: Sandboxed) -> None:
    state = sbx.control("GET", "clock").json()
    assert state["frozen"] is False and abs(state["offset_seconds"]) < 1
    frozen = sbx.control("POST", "clock", json={"freeze": "2026-03-02T10:00:00+03:00"}).json()
    assert frozen == {
        "now": "2026-03-02T07:00:00+00:00",
        "frozen": True,
        "offset_seconds": frozen["offset_seconds"],
    }
    assert sbx.control("POST", "clock", json={"advance": 90}).json()["now"] == "2026-03-02T07:01:30+00:00"
    running = sbx.control("POST", "clock", json={"unfreeze": True}).json()
    assert running["frozen"] is False and running["now"] >= "2026-03-02T07:01:30"
    moved = sbx.control("POST", "clock", json={"set": "2027-01-01T00:00:00Z", "freeze": True}).json()
    assert moved["now"] == "2027-01-01T00:00:00+00:00" and moved["frozen"]
    back = sbx.control("POST", "clock", json={"reset": True}).json()
    assert back["frozen"] is False and abs(back["offset_seconds"]) < 1


@pytest.mark.parametrize("body", [{}, {"advance": "soon"}, {"freeze": "yesterday"}, {"travel": 1}, [1]])
def test_clock_bad_requests_are_400(sbx: Sandboxed, body: object) -> None:
    response = sbx.control("POST", "clock", json=body)
    assert response.status_code == 400 and response.json()["error"]


def test_clock_makes_a_session_expire(sbx: Sandboxed) -> None:
    api = sbx.api(sbx.seed(ACME)["accounts"][0])
    sbx.control("POST", "clock", json={"freeze": True})
    sid = api.login("owner", "owner-pass")
    sbx.control("POST", "clock", json={"advance": sbx.server.settings.session_ttl_seconds - 1})
    assert api.call_sid(sid, "user.get").ok
    sbx.control("POST", "clock", json={"advance": 1})
    assert api.call_sid(sid, "user.get").code == "0005"


def test_clock_starts_a_new_day_for_the_daily_quota(settings: Settings) -> None:
    with sandboxed(settings, plan_quotas={"premium": 2}) as sbx:
        api = sbx.api(sbx.seed({**ACME, "timezone": "Europe/Moscow"})["accounts"][0])
        # 23:59:30 in Moscow: the quota's day is the account's day.
        sbx.control("POST", "clock", json={"freeze": "2026-03-02T20:59:30Z"})
        assert [api.call("user.get").code or "ok" for _ in range(3)] == ["ok", "ok", "0007"]
        sbx.control("POST", "clock", json={"advance": 31})
        assert api.call("user.get").ok
        assert api.call("user.get").ok
        assert api.call("user.get").code == "0007"


# -- faults


def test_fault_answers_the_code_k_times_then_normally(sbx: Sandboxed) -> None:
    api = sbx.api(sbx.seed(ACME)["accounts"][0])
    response = sbx.control("POST", "faults", json={"function": "user.get", "code": "0013", "times": 2})
    assert response.status_code == 201
    fault = response.json()
    assert (fault["function"], fault["code"], fault["times"]) == ("user.get", "0013", 2)
    assert api.call("userGroup.getList").ok  # another function is not touched
    assert [api.call("user.get").code or "ok" for _ in range(3)] == ["0013", "0013", "ok"]
    assert sbx.control("GET", "faults").json() == {"faults": []}


def test_faults_queue_and_scope_to_an_account(sbx: Sandboxed) -> None:
    acme = sbx.api(sbx.seed(ACME)["accounts"][0])
    other = sbx.api(sbx.seed({"name": "other"})["accounts"][0])
    sbx.control("POST", "faults", json={"function": "*", "code": "3014", "account": "acme"})
    sbx.control("POST", "faults", json={"function": "user.get", "code": "0007"})
    assert other.call("user.get").code == "0007"
    assert acme.call("user.get").code == "3014"
    assert acme.call("user.get").ok


def test_faults_list_and_clear(sbx: Sandboxed) -> None:
    sbx.control("POST", "faults", json={"function": "user.get", "code": "0013"})
    sbx.control("POST", "faults", json={"function": "task.get", "latency_ms": 10})
    listed = sbx.control("GET", "faults").json()["faults"]
    assert [(f["function"], f["times"]) for f in listed] == [("user.get", 1), ("task.get", None)]
    assert sbx.control("DELETE", "faults").json() == {"removed": 2}
    assert sbx.control("GET", "faults").json() == {"faults": []}


@pytest.mark.parametrize(
    "body",
    [
        {"function": "user.fly", "code": "0013"},
        {"function": "user.get", "code": "13"},
        {"function": "user.get"},
        {"function": "user.get", "code": "0013", "times": 0},
        {"function": "user.get", "latency_ms": -1},
        {"function": "user.get", "code": "0013", "colour": "red"},
        {"code": "0013"},
    ],
)
def test_bad_faults_are_400(sbx: Sandboxed, body: dict[str, object]) -> None:
    response = sbx.control("POST", "faults", json=body)
    assert response.status_code == 400 and response.json()["error"]


def test_latency_fault_slows_the_function(sbx: Sandboxed) -> None:
    api = sbx.api(sbx.seed(ACME)["accounts"][0])
    sbx.control("POST", "faults", json={"function": "user.get", "latency_ms": 150, "times": 1})
    started = time.perf_counter()
    assert api.call("user.get").ok
    assert time.perf_counter() - started >= 0.15
    assert sbx.sandbox.faults.active() == []  # used up: the next call is not delayed
    assert api.call("user.get").ok
    logged = sbx.control("GET", "requests", params={"function": "user.get"}).json()["requests"]
    assert logged[0]["ms"] >= 150 and len(logged) == 2


# -- the request log


def test_request_log_content_filters_and_clear(sbx: Sandboxed) -> None:
    api = sbx.api(sbx.seed(ACME)["accounts"][0])
    sbx.control("POST", "clock", json={"freeze": "2026-03-02T10:00:00Z"})
    api.call("user.get")
    api.call("userGroup.getList")
    Api(sbx.client, Tenant("nowhere", 0, API_KEY, "", TOKEN, 0, "", "")).call("user.get")
    sbx.control("POST", "faults", json={"function": "user.get", "code": "0013"})
    api.call("user.get")
    logged = sbx.control("GET", "requests").json()["requests"]
    assert [(e["account"], e["function"], e["code"]) for e in logged] == [
        ("acme", "user.get", "ok"),
        ("acme", "userGroup.getList", "ok"),
        ("nowhere", "user.get", "0004"),
        ("acme", "user.get", "0013"),
    ]
    assert {e["time"] for e in logged} == {"2026-03-02T10:00:00+00:00"}
    assert all(e["ms"] > 0 and e["client"] == "127.0.0.1" and e["request_id"] for e in logged)
    only = sbx.control("GET", "requests", params={"account": "acme", "code": "0013"}).json()["requests"]
    assert [e["function"] for e in only] == ["user.get"]
    assert sbx.control("DELETE", "requests").status_code == 200
    assert sbx.control("GET", "requests").json() == {"requests": []}
