"""Health check and metrics."""

from __future__ import annotations

from starlette.testclient import TestClient

from planfix_server.app import Server, create_app
from planfix_server.pipeline.metrics import REGISTRY_METRICS
from tests.support import Api


def _count(function: str, code: str) -> float:
    value = REGISTRY_METRICS.get_sample_value("planfix_requests_total", {"function": function, "code": code})
    return value or 0.0


def test_healthz_checks_the_database(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(server: Server) -> None:
    # Nothing listens on port 1: the database cannot be reached.
    broken = Server.start(server.settings.replace(db_url="postgresql://postgres@127.0.0.1:1/test"))
    try:
        with TestClient(create_app(server=broken), base_url="https://testserver") as client:
            response = client.get("/healthz")
    finally:
        broken.engine.dispose()
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "OperationalError"}


def test_metrics_count_requests_by_function_and_code(api: Api) -> None:
    ok_before = _count("user.get", "ok")
    unknown_before = _count("unknown", "0008")
    assert api.call("user.get").ok
    assert api.call("made.up").code == "0008"
    assert _count("user.get", "ok") == ok_before + 1
    assert _count("unknown", "0008") == unknown_before + 1
    text = api.client.get("/metrics").text
    assert "planfix_requests_total{" in text
    assert "planfix_request_seconds_bucket{" in text


def test_root_points_to_the_api(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "/xml/" in response.text
