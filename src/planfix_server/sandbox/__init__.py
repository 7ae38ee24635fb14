"""The sandbox: the same server with test knobs (docs/sandbox.md).

- ``defaults``: the settings of sandbox mode (``serve --sandbox``).
- ``control``: the sandbox of one server (``attach``): reset, seed, and the three knobs below.
- ``clock``, ``faults``, ``request_log``: the server's clock, fault injection, the request log.
- ``fixtures`` (+ ``sections``): the fixture loader and its registry of sections.
- ``routes``: the control plane under ``/_sandbox/``.
- ``inprocess``: ``SandboxServer`` (a real socket) and ``asgi_transport`` (none).
- ``pytest_plugin``: the ``planfix_*`` fixtures (entry point ``pytest11``).

Nothing is imported here, so loading the pytest plugin stays cheap.
"""
