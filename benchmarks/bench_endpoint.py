"""``plangraph serve`` and ``oxigraph serve`` side by side: same data, same queries, same load.

    make bench-endpoint                                  # the seeds; records in RESULTS.md
    python benchmarks/bench_endpoint.py --data build/plangraph.nq --seconds 20 --no-record

Both servers run on loopback over the same dataset (``oxigraph serve`` in memory, with
``--union-default-graph`` so that both answer over the union of the named graphs, loaded
through its Graph Store endpoint). Each query is POSTed as a form to ``/sparql`` (plangraph)
and ``/query`` (Oxigraph) with ``Accept: application/sparql-results+json`` by wrk (Debian's
HTTP load generator, ``benchmarks/endpoint-deps.sh``), ``--connections`` keep-alive
connections (8) on 2 threads, for ``--seconds`` after a warm-up. plangraph runs three times:
as it starts by default (result cache off, bounded queries answered in the server process),
with every query in a worker (``--inline-work 0``, the code before bounded queries), and with
the result cache on (``--cache-mb``). Before measuring, one answer of each
server is compared: the same number of rows, or the run fails; wrk's count of non-2xx answers
must be 0.

The queries: ``light`` (``SELECT ?p ?t { ?p a pg:Plan ; dct:title ?t }``) and ``aggregate``
(the text of ``queries/overlaps/institutions-across-plans.rq``). The table (requests/s, p50 and
p99 latency, ratio to Oxigraph) is printed and appended, with the machine, to
``benchmarks/RESULTS.md`` (``--no-record`` to only print it). The targets of issue 16 are
checked in the verdict lines; no test asserts a time.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LIGHT = (
    "PREFIX pg: <https://w3id.org/plangraph/ontology#>\n"
    "PREFIX dct: <http://purl.org/dc/terms/>\n"
    "SELECT ?p ?t { ?p a pg:Plan ; dct:title ?t }"
)
ACCEPT = "application/sparql-results+json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_until_up(url: str, proc: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 120
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"{what} exited with {proc.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code < 500:
                return
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} did not start in 120 s")
        time.sleep(0.1)


@contextlib.contextmanager
def stopping(proc: subprocess.Popen[bytes]) -> Iterator[None]:
    try:
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@contextlib.contextmanager
def plangraph_serve(data: Path, *options: str) -> Iterator[tuple[str, int]]:
    """``plangraph serve`` on a free port; yields its query URL and pid."""
    port = free_port()
    script = BIN / "plangraph"
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "plangraph.cli.main"]
    cmd += ["--root", str(ROOT), "serve", "--data", str(data), "--port", str(port)]
    cmd += ["--log-level", "warning", *options]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with stopping(proc):
        url = f"http://127.0.0.1:{port}/sparql"
        wait_until_up(url, proc, "plangraph serve")
        yield url, proc.pid


@contextlib.contextmanager
def oxigraph_serve(data: Path) -> Iterator[tuple[str, int]]:
    """``oxigraph serve`` in memory on a free port, loaded with the data; yields its query
    URL and pid."""
    binary = shutil.which("oxigraph", path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if binary is None:
        raise SystemExit("no oxigraph binary: pip install oxigraph (a dev dependency)")
    port = free_port()
    cmd = [binary, "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with stopping(proc):
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/", proc, "oxigraph serve")
        media = "application/n-quads" if data.suffix == ".nq" else "application/trig"
        r = httpx.post(
            base + "/store", content=data.read_bytes(), headers={"Content-Type": media}, timeout=300
        )
        if r.status_code >= 300:
            raise SystemExit(f"oxigraph serve refused the data: {r.status_code} {r.text[:300]}")
        yield base + "/query", proc.pid


def rows(url: str, query: str) -> int:
    r = httpx.post(url, data={"query": query}, headers={"Accept": ACCEPT}, timeout=60)
    if r.status_code != 200:
        raise SystemExit(f"{url} answered {r.status_code}: {r.text[:300]}")
    return len(r.json()["results"]["bindings"])


@dataclass(frozen=True)
class Load:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    cpu_ms: float
    """CPU time (user + system) of the server's processes per request."""


_CLOCK = os.sysconf("SC_CLK_TCK")


def process_tree(pid: int) -> list[int]:
    """A process and all its descendants (plangraph: server, zygote, workers)."""
    found = [pid]
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            for child in Path(f"/proc/{pid}/task/{task}/children").read_text().split():
                found += process_tree(int(child))
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of the processes still alive (fields 14 and 15 of /proc/PID/stat)."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / _CLOCK


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if m is None:
        raise ValueError(f"not a wrk duration: {text}")
    return float(m.group(1)) * _UNITS[m.group(2)]


def wrk(url: str, query: str, seconds: int, connections: int, pid: int) -> Load:
    """wrk POSTing the query as a form; requests/s, latency percentiles, and the CPU the
    server process ``pid`` and its children used per request."""
    body = "query=" + quote(query, safe="")
    script = (
        f'wrk.method = "POST"\nwrk.body = {body!r}\n'.replace("'", '"')
        + 'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        + f'wrk.headers["Accept"] = "{ACCEPT}"\n'
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(script)
    try:
        threads = min(2, connections)
        cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
        pids = process_tree(pid)
        cpu = cpu_seconds(pids)
        out = subprocess.run(
            [*cmd, "-s", fh.name, url], capture_output=True, text=True, check=True
        ).stdout
        cpu = cpu_seconds(sorted(set(pids) | set(process_tree(pid)))) - cpu
    finally:
        os.unlink(fh.name)
    if "Non-2xx or 3xx responses" in out:
        raise SystemExit(f"non-2xx answers from {url}:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return Load(rate, p50, p99, total, 1000 * cpu / max(total, 1))


def median_load(loads: list[Load]) -> Load:
    """The median of each figure over the runs."""
    return Load(
        statistics.median(x.requests_per_s for x in loads),
        statistics.median(x.p50_ms for x in loads),
        statistics.median(x.p99_ms for x in loads),
        sum(x.requests for x in loads),
        statistics.median(x.cpu_ms for x in loads),
    )


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError, ValueError):
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        mem = f", {pages / 2**30:.0f} GiB"
    versions = []
    with contextlib.suppress(Exception):
        import pyoxigraph

        versions.append(f"pyoxigraph {pyoxigraph.__version__}")
    with contextlib.suppress(Exception):
        ox = subprocess.run(
            [str(BIN / "oxigraph"), "--version"], capture_output=True, text=True
        ).stdout.strip()
        versions.append(ox)
    with contextlib.suppress(Exception):
        versions.append(
            subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1]
        )
    return (
        f"{cpu}, {os.cpu_count()} cores{mem}; Python {platform.python_version()}, "
        f"{', '.join(versions)}; {platform.platform()}"
    )


def seeds(target: Path) -> Path:
    from plangraph.pipeline.build import build
    from plangraph.project import Project

    build(Project(ROOT), out_dir=target)
    return target / "plangraph.nq"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, help="dataset (default: the seeds, built here)")
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per run")
    parser.add_argument(
        "--rounds", type=int, default=3, help="runs per server and query (interleaved; median)"
    )
    parser.add_argument("--connections", type=int, default=8, help="concurrency")
    parser.add_argument(
        "--cache-mb", type=int, default=64, help="result cache of the 'on' run (0: no such run)"
    )
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    args = parser.parse_args()

    from plangraph.analysis.catalogue import catalogue

    queries = {
        "light": LIGHT,
        "aggregate": catalogue(ROOT / "queries")["overlaps/institutions-across-plans"].text,
    }
    with contextlib.ExitStack() as stack:
        data = args.data
        if data is None:
            tmp = Path(tempfile.mkdtemp(prefix="plangraph-bench-"))
            stack.callback(shutil.rmtree, tmp, True)
            print("building the seeds …", file=sys.stderr)
            data = seeds(tmp)
        quads = sum(1 for line in data.open("rb") if line.strip() and not line.startswith(b"#"))
        servers = {
            "oxigraph serve": stack.enter_context(oxigraph_serve(data)),
            "plangraph serve (cache off)": stack.enter_context(plangraph_serve(data)),
            "plangraph serve (cache off, workers only)": stack.enter_context(
                plangraph_serve(data, "--inline-work", "0")
            ),
        }
        if args.cache_mb:
            servers["plangraph serve (cache on)"] = stack.enter_context(
                plangraph_serve(data, "--cache-mb", str(args.cache_mb))
            )
        results: dict[tuple[str, str], Load] = {}
        load_before = os.getloadavg()
        for qname, query in queries.items():
            counts = {name: rows(url, query) for name, (url, _) in servers.items()}
            if len(set(counts.values())) != 1:
                raise SystemExit(f"{qname}: the servers disagree on the number of rows: {counts}")
            runs: dict[str, list[Load]] = {name: [] for name in servers}
            for url, pid in servers.values():
                wrk(url, query, 2, args.connections, pid)  # warm-up
            for _ in range(args.rounds):  # interleaved, so that the machine's load hits all
                for name, (url, pid) in servers.items():
                    runs[name].append(wrk(url, query, args.seconds, args.connections, pid))
            for name, loads in runs.items():
                results[(qname, name)] = load = median_load(loads)
                print(
                    f"{qname:9} {name:28} {load.requests_per_s:9.0f} req/s  "
                    f"p50 {load.p50_ms:6.2f} ms  p99 {load.p99_ms:6.2f} ms  "
                    f"CPU {load.cpu_ms:6.3f} ms/request",
                    file=sys.stderr,
                )
        load_after = os.getloadavg()

    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"## Endpoint side by side: plangraph serve and oxigraph serve, {quads:,} quads — {when}",
        "",
        f"Machine: {machine()}. Load: wrk, {args.connections} keep-alive connections on 2 "
        f"threads, {args.seconds} s per run after 2 s of warm-up, {args.rounds} runs per "
        "server and query, interleaved, median shown; form POSTs with "
        f"`Accept: {ACCEPT}`; servers and wrk on the same machine "
        "(`make bench-endpoint`, `benchmarks/bench_endpoint.py`). Load average of the machine "
        f"(other work included) {load_before[0]:.1f} before, {load_after[0]:.1f} after. "
        "CPU ms/request: user + system time of the server's processes (plangraph: server, "
        "zygote, workers) over the requests answered, which other load on the machine does "
        "not inflate.",
        "",
        "| query | server | requests/s | × Oxigraph | p50 ms | p99 ms | CPU ms/request |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for qname in queries:
        base = results[(qname, "oxigraph serve")].requests_per_s
        for name in servers:
            load = results[(qname, name)]
            lines.append(
                f"| {qname} | {name} | {load.requests_per_s:,.0f} | "
                f"{load.requests_per_s / base:.2f} | {load.p50_ms:.2f} | {load.p99_ms:.2f} | "
                f"{load.cpu_ms:.3f} |"
            )
    light = results[("light", "plangraph serve (cache off)")]
    light_ratio = light.requests_per_s / results[("light", "oxigraph serve")].requests_per_s
    agg = results[("aggregate", "plangraph serve (cache off)")].requests_per_s
    agg_ratio = agg / results[("aggregate", "oxigraph serve")].requests_per_s
    lines += [
        "",
        "| target (cache off, issue 16) | measured | verdict |",
        "|---|---|---|",
        f"| light query ≥ 0.5× oxigraph serve | {light_ratio:.2f}× | "
        f"{'met' if light_ratio >= 0.5 else 'NOT met'} |",
        f"| aggregate ≥ 1.0× oxigraph serve | {agg_ratio:.2f}× | "
        f"{'met' if agg_ratio >= 1.0 else 'NOT met'} |",
        f"| light query p99 ≤ 50 ms at concurrency {args.connections} | {light.p99_ms:.1f} ms | "
        f"{'met' if light.p99_ms <= 50 else 'NOT met'} |",
    ]
    block = "\n".join(lines) + "\n"
    print(block)
    if not args.no_record:
        results_file = ROOT / "benchmarks" / "RESULTS.md"
        with results_file.open("a", encoding="utf-8") as fh:  # append only: others write too
            fh.write("\n" + block)
        print(f"appended to {results_file}", file=sys.stderr)


if __name__ == "__main__":
    main()
