"""Serve a class that outgrows one process: N `streamlit run app.py` replicas behind HAProxy.

    python scripts/serve_class.py --replicas 2 [--port 8501] [--address 0.0.0.0]

A Streamlit server is one Python process, so it uses about one core however many the machine
has. This starts N replicas on loopback ports after `--port` and HAProxy (Debian's package:
`apt-get install haproxy`) on `--port` in front of them. A student's first request picks a
replica in turn and HAProxy's cookie (GDLAB_REPLICA) sends everything after it to the same one:
the websocket, reconnections and file uploads must reach the server that holds the session.
Ctrl-C (or SIGTERM) stops HAProxy and every replica. bench_class.py measures the same setup.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
COOKIE = "GDLAB_REPLICA"

# Long timeouts on purpose: a student's websocket stays open, mostly idle, for the whole class.
CONFIG = """\
global
    maxconn 4096
defaults
    mode http
    option forwardfor
    timeout connect 5s
    timeout client 1h
    timeout server 1h
    timeout tunnel 1h
    # A replica busy with a class answers its health check late; marking it down would send
    # every new student to the others (seen at 80 students with the default 2 s).
    timeout check 10s
    default-server inter 5s fall 3 rise 2
frontend class
    bind {address}:{port}
    default_backend replicas
backend replicas
    balance roundrobin
    cookie {cookie} insert indirect nocache httponly
    option httpchk GET /_stcore/health
{servers}
"""


# Two malloc arenas for every thread of a replica, set before the process starts, when glibc
# reads it. Streamlit runs each script run in a thread, and glibc's default (8 arenas per core)
# left 81–132 MB of free holes in them over a 7-minute class of 40 against 7–22 MB with two
# (ui/plain/memory.py sets the same from app.py, which comes too late for the arenas the
# server's own threads made first: 51–136 MB free in a later class, 22–56 with the variable).
SERVER_ENVIRONMENT = {"STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", "MALLOC_ARENA_MAX": "2"}


@dataclass
class Class:
    """A running class: the address students open, the replicas and the balancer."""

    url: str
    replicas: list[subprocess.Popen]
    ports: list[int]  # each replica's own loopback port
    balancer: subprocess.Popen | None
    logs: list[Path]


def haproxy_config(address: str, port: int, replica_ports: list[int]) -> str:
    servers = "\n".join(
        f"    server r{i} 127.0.0.1:{p} check cookie r{i}" for i, p in enumerate(replica_ports, 1)
    )
    return CONFIG.format(address=address, port=port, cookie=COOKIE, servers=servers)


def _replica(
    port: int, address: str, log: Path, script: str, env: dict[str, str]
) -> subprocess.Popen:
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", address]
    # A class is served from a checkout nobody edits: watching its files would cost a thread
    # and, on an edit, re-import changed modules under running sessions.
    command += ["--server.fileWatcherType", "none"]
    environment = os.environ | SERVER_ENVIRONMENT | env
    with log.open("wb") as output:
        return subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT
        )


def wait_until_healthy(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"{url} did not become healthy") from None
            time.sleep(0.3)


@contextlib.contextmanager
def serve(
    replicas: int,
    port: int,
    address: str = "127.0.0.1",
    script: str = "app.py",
    env: dict[str, str] | None = None,
    replica_ports: list[int] | None = None,
) -> Iterator[Class]:
    """Start the class; one replica alone is served directly, with no balancer in front.

    Replicas listen on `replica_ports`, by default the ports after `port`.
    """
    workdir = Path(tempfile.mkdtemp(prefix="gdlab-class-"))
    ports = [port] if replicas == 1 else [port + i for i in range(1, replicas + 1)]
    ports = replica_ports or ports
    logs = [workdir / f"replica{i}.log" for i in range(1, replicas + 1)]
    processes: list[subprocess.Popen] = []
    balancer = None
    try:
        for replica_port, log in zip(ports, logs, strict=True):
            # Behind HAProxy a replica listens on loopback only; alone, it is the server.
            where = address if replicas == 1 else "127.0.0.1"
            processes.append(_replica(replica_port, where, log, script, env or {}))
        for replica_port, process in zip(ports, processes, strict=True):
            wait_until_healthy(f"http://127.0.0.1:{replica_port}", process)
        if replicas > 1:
            config = workdir / "haproxy.cfg"
            config.write_text(haproxy_config(address, port, ports))
            balancer = subprocess.Popen([HAPROXY, "-f", str(config), "-db"], cwd=workdir)
            wait_until_healthy(f"http://127.0.0.1:{port}", balancer, timeout=20)
        yield Class(f"http://127.0.0.1:{port}", processes, ports, balancer, logs)
    finally:
        for process in ([balancer] if balancer else []) + processes:
            process.terminate()
        for process in ([balancer] if balancer else []) + processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2, help="streamlit processes (≥ 1)")
    parser.add_argument("--port", type=int, default=8501, help="the port students open")
    parser.add_argument("--address", default="0.0.0.0", help="where HAProxy listens")
    options = parser.parse_args()
    if options.replicas < 1:
        parser.error("--replicas must be at least 1")
    if options.replicas > 1 and not Path(HAPROXY).exists():
        parser.error("HAProxy is not installed: apt-get install haproxy")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # run the clean-up below
    with serve(options.replicas, options.port, options.address) as served:
        print(f"{options.replicas} replica(s) serving {served.url} (Ctrl-C stops them)")
        with contextlib.suppress(KeyboardInterrupt):
            while all(p.poll() is None for p in served.replicas):
                time.sleep(1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
