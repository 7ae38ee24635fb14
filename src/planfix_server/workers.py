"""Several worker processes, each listening on a socket of its own on the same port (SO_REUSEPORT).

With one listening socket shared by all workers (uvicorn's own supervisor), the worker that wakes
first accepts every connection waiting: a client that opens its keep-alive connections at once (a
connection pool, a proxy's upstream connections) can land them all on one worker while the others
idle. With a socket per worker, the kernel spreads new connections over the workers.

The supervisor keeps the sockets: a worker that dies is replaced on the same socket, and the
connections that arrived for it meanwhile wait in its queue. A worker that fails to start (exit
code 3, as uvicorn reports it) stops everything, since a replacement would fail the same way. On
SIGINT or SIGTERM each worker is asked to stop (it finishes its requests within
``timeout_graceful_shutdown``), and whatever is left after that is killed. SIGHUP replaces the
workers one after the other (each new one imports the code afresh), as uvicorn's supervisor does.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import threading
import time
from collections.abc import Mapping
from multiprocessing.process import BaseProcess
from typing import Any

log = logging.getLogger("planfix_server.serve")

STARTUP_FAILURE = 3  # uvicorn's exit code for a worker that could not start
_CHECK_SECONDS = 0.5
_KILL_MARGIN_SECONDS = 5.0
_READY_SECONDS = 60.0  # for a new worker to start serving after SIGHUP


def available() -> bool:
    """Whether this platform has SO_REUSEPORT (Linux, the BSDs, macOS)."""
    return hasattr(socket, "SO_REUSEPORT")


def listening_sockets(host: str, port: int, count: int) -> list[socket.socket]:
    """``count`` sockets bound to one address with SO_REUSEPORT (port 0: the first one's port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    made: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(family, socket.SOCK_STREAM)
            made.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((host, port))
            port = sock.getsockname()[1]
    except OSError:
        for sock in made:
            sock.close()
        raise
    return made


def _serve(options: Mapping[str, Any], sock: socket.socket, ready: Any) -> None:
    """A worker process: uvicorn on its own socket (it calls listen); ``ready`` is set once it serves."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(**options))

    def tell_when_started() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started:
            ready.set()

    threading.Thread(target=tell_when_started, daemon=True).start()
    server.run(sockets=[sock])


class Supervisor:
    """Runs ``workers`` uvicorn workers built from ``options`` (``uvicorn.Config`` arguments)."""

    def __init__(self, options: Mapping[str, Any], host: str, port: int, workers: int) -> None:
        self.options = dict(options)
        self.host, self.port, self.workers = host, port, workers
        self.stopping = threading.Event()
        self.restarting = threading.Event()
        self._context = multiprocessing.get_context("spawn")  # no copy of the parent's threads or engine
        self._grace = float(self.options.get("timeout_graceful_shutdown") or 0) + _KILL_MARGIN_SECONDS
        self._ready: dict[int, Any] = {}  # the event of each socket's newest worker

    def _start(self, sock: socket.socket) -> tuple[BaseProcess, Any]:
        """A new worker on ``sock``, and the event it sets once it serves."""
        ready = self._context.Event()
        # Kept until the slot's next worker: an event nobody holds is gone before the child opens it.
        self._ready[sock.fileno()] = ready
        process = self._context.Process(
            target=_serve, args=(self.options, sock, ready), name="planfix-worker"
        )
        process.start()
        return process, ready

    def run(self) -> int:
        """Serve until SIGINT/SIGTERM (SIGHUP: replace every worker, one after the other); 0, or
        STARTUP_FAILURE when a worker could not start."""
        sockets = listening_sockets(self.host, self.port, self.workers)
        handlers = {signal.SIGINT: self._on_stop, signal.SIGTERM: self._on_stop, signal.SIGHUP: self._on_hup}
        previous = {sig: signal.signal(sig, handler) for sig, handler in handlers.items()}
        failed = False
        processes: list[BaseProcess] = []
        try:
            processes = [self._start(sock)[0] for sock in sockets]
            log.info("%d workers, each on its own socket (SO_REUSEPORT)", self.workers)
            while not failed and not self.stopping.wait(_CHECK_SECONDS):
                if self.restarting.is_set():
                    self.restarting.clear()
                    self._replace_all(processes, sockets)
                failed = self._replace_dead(processes, sockets)
        finally:
            self._stop_all(processes)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            for sock in sockets:
                sock.close()
        return STARTUP_FAILURE if failed else 0

    def _on_stop(self, signum: int, _frame: Any) -> None:
        self.stopping.set()

    def _on_hup(self, signum: int, _frame: Any) -> None:
        self.restarting.set()

    def _replace_dead(self, processes: list[BaseProcess], sockets: list[socket.socket]) -> bool:
        """Start a worker in place of each that ended; True when one could not start at all."""
        for index, process in enumerate(processes):
            if process.is_alive():
                continue
            process.join()
            if process.exitcode == STARTUP_FAILURE:
                log.error("a worker could not start; stopping")
                return True
            log.warning("worker %s ended (exit %s); starting another", process.pid, process.exitcode)
            processes[index] = self._start(sockets[index])[0]
        return False

    def _replace_all(self, processes: list[BaseProcess], sockets: list[socket.socket]) -> None:
        """One after the other: a new worker on the socket and, once it serves, the old one asked to
        finish its requests. A new worker that does not come up is dropped and the old one kept."""
        log.info("SIGHUP: replacing the workers")
        for index, old in enumerate(processes):
            new, ready = self._start(sockets[index])
            deadline = time.monotonic() + _READY_SECONDS
            while not ready.wait(0.1) and new.is_alive() and time.monotonic() < deadline:
                if self.stopping.is_set():
                    self._stop_all([new])
                    return
            if not ready.is_set():
                log.error("a new worker did not start; keeping worker %s and the others", old.pid)
                self._stop_all([new])
                return
            processes[index] = new
            self._stop_all([old])

    def _stop_all(self, processes: list[BaseProcess]) -> None:
        for process in processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn shuts down gracefully
        deadline = time.monotonic() + self._grace  # they stop side by side: one deadline for all
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                log.warning("worker %s did not stop in %.0f s; killing it", process.pid, self._grace)
                process.kill()
                process.join()
