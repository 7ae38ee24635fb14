"""The ``run`` fixture of the against-the-server tests (see server.py)."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from typing import Any

import pytest

from tests.client.conftest import StarletteTransport
from tests.client.functions.server import Run, Scenario, Session
from tests.support import Tenant


@pytest.fixture(params=["sync", "async"])
def run(request: pytest.FixtureRequest, test_transport: StarletteTransport, app: Any, tenant: Tenant) -> Run:
    """``run(scenario)``: the scenario with clients of this parameter's kind."""

    def go(scenario: Scenario) -> None:
        async def main() -> None:
            async with AsyncExitStack() as stack:
                await scenario(Session(request.param, tenant, test_transport, app, stack))

        asyncio.run(main())

    return go
