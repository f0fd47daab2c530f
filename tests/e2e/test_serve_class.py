"""scripts/serve_class.py: two replicas behind HAProxy keep each student on one server.

No browser: two sessions of scripts/class_client.py, which speaks Streamlit's websocket
protocol, through Debian's HAProxy. Skipped without HAProxy (apt-get install haproxy); CI sets
GDLAB_REQUIRE_HAPROXY=1, which turns the skip into a failure.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import urllib.request
from pathlib import Path

import pytest

from scripts import serve_class
from scripts.browser import free_port
from scripts.class_client import Session


@pytest.fixture(scope="module")
def balanced():
    if not Path(serve_class.HAPROXY).exists():
        if os.environ.get("GDLAB_REQUIRE_HAPROXY") == "1":
            pytest.fail(f"HAProxy is required here, but {serve_class.HAPROXY} is missing.")
        pytest.skip("HAProxy is not installed (apt-get install haproxy).")
    ports = [free_port() for _ in range(3)]
    with serve_class.serve(2, ports[0], replica_ports=ports[1:]) as served:
        yield served


async def _visit(url: str) -> tuple[Session, Session, list]:
    one, two = Session(url, "", {"seed": "3"}), Session(url, "loss", {"seed": "4"})
    shown = [await one.open(), await two.open()]
    # Each page's own title, and no exception box.
    titles = ("Fit", "Loss")
    found = [(t in s.headings, len(s.exceptions)) for t, s in zip(titles, shown, strict=True)]
    moved = await one.set_slider("noise", 2.5, shown[0])
    expected = list(moved.metrics.values())
    before = one.session_id
    # Reconnecting must reach the server that holds the session, or its state is gone.
    again = await one.reconnect()
    found += [one.session_id == before, list(again.metrics.values()) == expected]
    for session in (one, two):
        await session.close()
    return one, two, found


def test_two_replicas_behind_haproxy_serve_pages_and_keep_each_session_on_its_server(balanced):
    with urllib.request.urlopen(balanced.url, timeout=30) as response:
        assert response.status == 200 and b"<html" in response.read().lower()
    # In a thread of its own: when another browser test ran first, Playwright's sync API holds
    # a running event loop in this thread, and asyncio.run refuses to start a second one here.
    with concurrent.futures.ThreadPoolExecutor(1) as worker:
        one, two, found = worker.submit(asyncio.run, _visit(balanced.url)).result()
    assert found == [(True, 0), (True, 0), True, True]
    # Round robin: the two students landed on different replicas, each named by its cookie.
    assert {one.replica, two.replica} == {"r1", "r2"}
