"""The stress scripts in their short form: real server processes, a minute or less each.

Deselect them with ``-m "not stress"`` (they are ``slow`` too).
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "stress: runs a stress script (stress/) in its short form")
