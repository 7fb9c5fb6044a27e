"""The real application served over HTTP for tests that need a server: uvicorn in a thread of the
test process, on a loopback port the operating system picks (so parallel workers never collide).
tests/concurrency/world.py serves it in a subprocess instead, for load."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI


@contextmanager
def in_thread(app: FastAPI) -> Iterator[str]:
    """``app`` served by uvicorn in a daemon thread on 127.0.0.1 (port 0: a free one), its base URL
    yielded; stopped afterwards and its database engine disposed."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.xieshang.engine.dispose()
