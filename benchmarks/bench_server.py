"""Latency and throughput of ``plangraph serve`` for one named query, at several concurrencies.

    python benchmarks/bench_server.py                      # starts a server on the seeds
    python benchmarks/bench_server.py --url http://127.0.0.1:7878 --query reports/role-counts
    python benchmarks/bench_server.py --data build/plangraph.nq --requests 400 --workers 2

Each level sends a bounded number of requests (``--requests``) from N client threads, each
with its own keep-alive connection, to the query's text POSTed to ``/sparql`` (``--via
sparql``, what SPARQL clients do) or to ``/queries/<name>`` (``--via named``). Every answer
must be 200 with the same number of rows as the first, or the run fails. Latency is measured
per request on the client (p50, p99); throughput is requests over the wall time of the level.

Without ``--url`` the script starts ``plangraph serve`` on a free loopback port over
``--data`` (default: the seeds built into a temporary directory). The results are appended to
benchmarks/RESULTS.md with the machine (``--no-record`` to only print them).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_QUERIES = ("overlaps/institutions-across-plans", "reports/role-counts")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def seeds(target: Path) -> Path:
    from plangraph.pipeline.build import build
    from plangraph.project import Project

    build(Project(ROOT), out_dir=target)
    return target / "plangraph.nq"


@contextlib.contextmanager
def server(data: Path, workers: int | None, timeout: float) -> Iterator[str]:
    """``plangraph serve`` on a free loopback port, until the block ends."""
    port = free_port()
    script = Path(sys.executable).with_name("plangraph")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "plangraph.cli.main"]
    cmd += ["--root", str(ROOT), "serve", "--data", str(data), "--port", str(port)]
    cmd += ["--log-level", "warning", "--timeout", str(timeout)]
    if workers:
        cmd += ["--workers", str(workers)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                assert proc.stderr is not None
                raise SystemExit(f"plangraph serve exited: {proc.stderr.read().decode()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(base + "/sparql", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise SystemExit("plangraph serve did not start in 120 s")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def level(
    base: str, name: str, text: str, via: str, concurrency: int, requests: int
) -> dict[str, float]:
    """Send ``requests`` requests from ``concurrency`` threads; latency percentiles in ms."""
    latencies: list[float] = []
    rows: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(requests))

    def client() -> None:
        headers = {"Accept": "application/sparql-results+json"}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
            while True:
                with lock:
                    if next(counter, None) is None:
                        return
                start = time.perf_counter()
                if via == "named":
                    r = http.get(f"/queries/{name}")
                else:
                    r = http.post("/sparql", data={"query": text})
                elapsed = time.perf_counter() - start
                with lock:
                    if r.status_code != 200:
                        errors.append(f"{r.status_code} {r.text[:200]}")
                        continue
                    latencies.append(elapsed)
                    rows.append(len(r.json()["results"]["bindings"]))

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    if errors:
        raise SystemExit(
            f"{len(errors)} request(s) failed at concurrency {concurrency}: {errors[0]}"
        )
    if len(set(rows)) != 1:
        raise SystemExit(
            f"answers differ in size at concurrency {concurrency}: {sorted(set(rows))}"
        )
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {
        "requests": len(latencies),
        "rows": rows[0],
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": p99 * 1000,
        "throughput": len(latencies) / wall,
    }


def machine() -> str:
    mem = ""
    with contextlib.suppress(OSError, ValueError):
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        mem = f", {pages / 2**30:.0f} GiB"
    return (
        f"{platform.machine()}, {os.cpu_count()} cores{mem}, Python {platform.python_version()}, "
        f"{platform.platform()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="base URL of a running plangraph serve (else one is started)")
    parser.add_argument("--data", type=Path, help="dataset for the started server (default: seeds)")
    parser.add_argument("--query", help=f"named query (default: {' or '.join(DEFAULT_QUERIES)})")
    parser.add_argument("--via", choices=["sparql", "named"], default="sparql")
    parser.add_argument("--requests", type=int, default=200, help="requests per level")
    parser.add_argument("--concurrency", default="1,4,16", help="comma-separated levels")
    parser.add_argument("--workers", type=int, help="worker processes of the started server")
    parser.add_argument("--timeout", type=float, default=30.0, help="server --timeout")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    args = parser.parse_args()

    from plangraph.analysis.catalogue import catalogue

    cat = catalogue(ROOT / "queries")
    name = args.query or next((q for q in DEFAULT_QUERIES if q in cat), None)
    if name is None or name not in cat:
        raise SystemExit(f"no named query {name!r} in {ROOT / 'queries'}")
    text = cat[name].text
    levels = [int(c) for c in args.concurrency.split(",")]

    with contextlib.ExitStack() as stack:
        if args.url:
            base, described = args.url.rstrip("/"), f"running server {args.url}"
        else:
            data = args.data
            if data is None:
                tmp = Path(tempfile.mkdtemp(prefix="plangraph-bench-"))
                stack.callback(shutil.rmtree, tmp, True)
                print("building the seeds …", file=sys.stderr)
                data = seeds(tmp)
            base = stack.enter_context(server(data, args.workers, args.timeout))
            workers = args.workers or min(4, os.cpu_count() or 1)
            described = f"plangraph serve over {data.name}, {workers} worker(s)"
        info = httpx.get(base + "/sparql", headers={"Accept": "application/n-triples"}).text
        quads = next(
            (
                line.split('"')[1]
                for line in info.splitlines()
                if "void#triples" in line and "_:default " in line
            ),
            "?",
        )
        level(base, name, text, args.via, 1, 5)  # warm-up
        results = [(c, level(base, name, text, args.via, c, args.requests)) for c in levels]

    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"## Endpoint: {name} via /{'sparql' if args.via == 'sparql' else 'queries/…'}, "
        f"{quads} quads — {when}",
        "",
        f"Machine: {machine()}. Server: {described}; client: Python httpx threads on the same "
        f"machine, keep-alive, {args.requests} requests per level (`benchmarks/bench_server.py`).",
        "",
        "| concurrency | requests | rows | p50 ms | p99 ms | requests/s |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for c, r in results:
        lines.append(
            f"| {c} | {r['requests']:.0f} | {r['rows']:.0f} | {r['p50_ms']:.1f} | "
            f"{r['p99_ms']:.1f} | {r['throughput']:.1f} |"
        )
    block = "\n".join(lines) + "\n"
    print(block)
    if not args.no_record:
        results_file = ROOT / "benchmarks" / "RESULTS.md"
        with results_file.open("a", encoding="utf-8") as fh:  # append only: others write too
            fh.write("\n" + block)
        print(f"appended to {results_file}", file=sys.stderr)


if __name__ == "__main__":
    main()
