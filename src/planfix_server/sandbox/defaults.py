"""Settings of sandbox mode: test-friendly defaults for whatever the user did not set.

``serve --sandbox`` (or ``PLANFIX_SANDBOX=1``) and the in-process ``SandboxServer`` apply them.
A setting given on the command line or in the environment always wins; docs/sandbox.md shows
the same table.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from typing import Any

from planfix_server.pipeline.transport import is_loopback
from planfix_server.settings import SETTINGS, Settings

# Setting -> its value in sandbox mode (unless set explicitly).
SANDBOX_DEFAULTS: dict[str, Any] = {
    # Tests call back to back; the SDK's pacing is tested with the limit switched back on.
    "requests_per_second": 0.0,
    # No plan has a daily quota (set PLANFIX_PLAN_QUOTAS to test it, with the sandbox clock).
    "plan_quotas": {},
    # Tests that try wrong passwords must not lock the next test out of the loopback address.
    "auth_failures_per_minute": 0,
    # Seeding many users and logging in often should cost microseconds, not 50 ms each.
    "argon2_time_cost": 1,
    "argon2_memory_kib": 1024,
}


class SandboxSettingsError(ValueError):
    """Settings sandbox mode cannot run with."""


def explicit_in_env(environ: Mapping[str, str] | None = None) -> set[str]:
    """Names of the settings the environment sets (``PLANFIX_<NAME>``)."""
    environ = os.environ if environ is None else environ
    return {spec.name for spec in SETTINGS if spec.env in environ}


def sandbox_settings(settings: Settings, explicit: Collection[str]) -> Settings:
    """``settings`` in sandbox mode: the defaults above for every setting not in ``explicit``.

    Plain HTTP is implied on a loopback host when no certificate is given, so clients on this
    machine need no TLS; on any other host the listener stays HTTPS (the control plane still
    answers loopback clients only).
    """
    if settings.workers > 1:
        # The clock, faults and request log live in the worker's memory: one worker, one sandbox.
        raise SandboxSettingsError("sandbox mode runs one worker (--workers 1)")
    changes: dict[str, Any] = {
        name: value for name, value in SANDBOX_DEFAULTS.items() if name not in explicit
    }
    if "plain_http" not in explicit and not settings.cert_file and is_loopback(settings.host.strip("[]")):
        changes["plain_http"] = True
    return settings.replace(sandbox=True, **changes)
