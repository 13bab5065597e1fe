"""`kg serve` against Oxigraph's own server (`oxigraph serve`, the `oxigraph` package on PyPI, the
`bench` extra of kg) on copies of the same store, measured side by side: section 9 of `make bench`.

    python benchmarks/serve.py [--triples 1000000] [--seconds 30] [--clients 16] [--workdir DIR]

Measures each saved query's median time over HTTP on both servers, the latency kg's server adds
to a one-row query over the same work done in-process, and the throughput of concurrent clients
on a one-row query and on the saved queries, with PASS/FAIL against the goals (throughput ≥ 0.8×
Oxigraph's server, added latency ≤ 2 ms, no errors, memory flat within 10%). Both servers run
at once and are measured in turns (kg, Oxigraph, Oxigraph, kg for the load runs), so a shared
machine's load falls on both alike; the load average is printed with each figure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

SMALL = "SELECT ?name WHERE { <https://w3id.org/kg-news/id/country/NZL> rdfs:label ?name }"
SAVED = ("officials", "officials-who-met-counterparts", "dialogues", "treaties", "policies")
ACCEPT = {"Accept": "application/sparql-results+json"}
Record = Callable[..., None]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str) -> None:
    import httpx

    deadline = time.monotonic() + 120
    while True:
        try:
            httpx.post(url, data={"query": "ASK {}"}, headers=ACCEPT, timeout=5).raise_for_status()
            return
        except (httpx.HTTPError, OSError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (the query workers)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(status.split("VmRSS:")[1].split()[0])
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue
    return total / 1024


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def in_turns(calls: dict[str, Callable[[], object]], rounds: int, block: int = 1) -> dict[str, list[float]]:
    """Seconds of each call, the calls taken in turns, `block` at a time, after one warm-up each."""
    for call in calls.values():
        call()
    times: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(rounds):
        for name, call in calls.items():
            for _ in range(block):
                started = time.perf_counter()
                call()
                times[name].append(time.perf_counter() - started)
    return times


def throughput(url: str, queries: list[str], clients: int, seconds: float) -> tuple[int, int, float]:
    """(answers, errors, seconds) of `clients` clients posting queries in turn for `seconds`; each
    client's last request is waited for and counted, so long queries are not cut off."""
    import httpx

    done, errors = [0], [0]
    lock = threading.Lock()
    sessions = [httpx.Client(timeout=900) for _ in range(clients)]  # made before the clock starts
    for http in sessions:  # and connected
        http.post(url, data={"query": "ASK {}"}, headers=ACCEPT)
    stop = time.monotonic() + seconds

    def client(offset: int) -> None:
        http, k = sessions[offset], offset
        while time.monotonic() < stop:
            try:
                ok = http.post(url, data={"query": queries[k % len(queries)]}, headers=ACCEPT).status_code == 200
            except httpx.HTTPError:
                ok = False
            k += 1
            with lock:
                done[0] += ok
                errors[0] += not ok

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    for http in sessions:
        http.close()
    return done[0], errors[0], elapsed


def bench_serve(work: Path, triples: int, seconds: float, clients: int, repeats: int, record: Record,
                note: Callable[[str, float, dict[str, Any]], None] | None = None) -> bool:
    """Section 9 of `make bench`; False if Oxigraph's server is not installed."""
    import httpx
    from run import graph_file, oxigraph_folder

    from kg import saved
    from kg.ontology import prefix_block
    from kg.server import query_job
    from kg.store import OxigraphStore

    oxigraph = str(Path(sys.executable).parent / "oxigraph")
    if not os.path.exists(oxigraph):
        oxigraph = shutil.which("oxigraph") or ""
    print(f"\n8. kg serve vs Oxigraph's server (oxigraph serve), {triples:,} triples; load average {load()}",
          flush=True)
    if not oxigraph:
        print("  needs Oxigraph's server: pip install -e '.[bench]' (the oxigraph package)", flush=True)
        return False
    work.mkdir(parents=True, exist_ok=True)
    store = oxigraph_folder(work, graph_file(work, triples))
    copy = work / (store.name + ".oxigraph-serve")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(store, copy)
    # Oxigraph's server takes no prefixes out of band: every query declares them.
    small = prefix_block() + SMALL
    texts = {n: prefix_block() + saved.get(n).text for n in SAVED}

    # In-process: the work a query worker does for the one-row query (run it, write SPARQL JSON).
    local = OxigraphStore(store, read_only=True)
    try:
        local_s = in_turns({"local": lambda: query_job(local, small, ACCEPT["Accept"], 100_000)}, 500)["local"]
    finally:
        local.close()
    local_ms = statistics.median(local_s) * 1000

    kg_port, ox_port = free_port(), free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    servers = {
        # the default --workers (one per CPU, at least 2), and limits that let every saved query through
        "kg": (subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", str(kg_port),
                                 "--max-rows", "10000000", "--timeout", "900"], env=env, stdout=subprocess.DEVNULL),
               f"http://127.0.0.1:{kg_port}/sparql"),
        # the store's default graph is the knowledge graph, which both servers query by default
        "oxigraph": (subprocess.Popen([oxigraph, "serve", "--location", str(copy), "--bind", f"127.0.0.1:{ox_port}"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
                     f"http://127.0.0.1:{ox_port}/query"),
    }
    kg_pid = servers["kg"][0].pid
    try:
        for _, url in servers.values():
            wait_for(url)
        print(f"  each saved query over HTTP (median of {repeats}, the servers in turns):", flush=True)
        ratios: dict[str, float] = {}
        with httpx.Client(timeout=900) as http:
            def post(url: str, text: str) -> Callable[[], object]:
                return lambda: http.post(url, data={"query": text}, headers=ACCEPT).raise_for_status()

            for name, text in texts.items():
                times = in_turns({k: post(url, text) for k, (_, url) in servers.items()}, repeats)
                ms = {k: statistics.median(v) * 1000 for k, v in times.items()}
                ratios[name] = ms["kg"] / ms["oxigraph"]
                print(f"    {name:32s} kg {ms['kg']:8.1f} ms   oxigraph {ms['oxigraph']:8.1f} ms   "
                      f"ratio {ratios[name]:5.2f}   (load {load()})", flush=True)
            worst = max(ratios, key=lambda n: ratios[n])
            if note:
                note("saved queries over HTTP: kg serve's time ÷ Oxigraph's server's, worst of five", ratios[worst],
                     {"worst": worst, **{n: round(r, 2) for n, r in ratios.items()}})
            small_times = in_turns({k: post(url, small) for k, (_, url) in servers.items()}, 20, block=25)
        small_ms = {k: statistics.median(v) * 1000 for k, v in small_times.items()}
        added = small_ms["kg"] - local_ms
        record("9", "latency kg serve adds to a one-row query (median ms over the same work in-process)", added,
               "≤ 2 ms", added <= 2.0, in_process_ms=round(local_ms, 3), kg_serve_ms=round(small_ms["kg"], 2),
               oxigraph_serve_ms=round(small_ms["oxigraph"], 2), load_average=load())

        memory = [tree_rss_mb(kg_pid)]
        for label, queries in (("one-row query", [small]), ("the saved queries", list(texts.values()))):
            totals = {k: [0, 0, 0.0] for k in servers}
            for k in ("kg", "oxigraph", "oxigraph", "kg"):  # in turns: each server first once
                answers, errors, elapsed = throughput(servers[k][1], queries, clients, seconds / 2)
                totals[k][0] += answers
                totals[k][1] += errors
                totals[k][2] += elapsed
            rates = {k: a / s for k, (a, _, s) in totals.items()}
            errors = sum(e for _, e, _ in totals.values())
            ratio = rates["kg"] / rates["oxigraph"]
            memory.append(tree_rss_mb(kg_pid))
            record("9", f"{clients} clients for {seconds:g} s, {label}: kg serve ÷ Oxigraph's server answers/s",
                   ratio, "≥ 0.8, no errors", ratio >= 0.8 and errors == 0, kg_per_s=round(rates["kg"], 2),
                   oxigraph_per_s=round(rates["oxigraph"], 2), errors=errors, kg_answers=totals["kg"][0],
                   oxigraph_answers=totals["oxigraph"][0], load_average=load())
        # Flat: the second load run (the saved queries, the largest results) leaves the server and
        # its workers within 10% of where the first left them.
        growth = memory[2] / memory[1]
        record("9", "kg serve memory (server and workers) after ÷ before the saved-query load run", growth,
               "≤ 1.1 (flat)", growth <= 1.1, mb=" -> ".join(f"{m:.0f}" for m in memory))
    finally:
        for process, _ in servers.values():
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(copy, ignore_errors=True)
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--repeats", type=int, default=3, help="runs per saved query and server (median)")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "kg-bench",
                    help="where the generated graph and its store are kept between runs (as run.py)")
    args = ap.parse_args(argv)
    failed: list[str] = []

    def record(target: str, measure: str, value: float, goal: str, passed: bool, **context: object) -> None:
        if not passed:
            failed.append(measure)
        ctx = "; ".join(f"{k} {v}" for k, v in context.items())
        print(f"  {'PASS' if passed else 'FAIL'}  {measure}: {value:.3g} (goal {goal})" + (f"\n        {ctx}" if ctx else ""),
              flush=True)

    if not bench_serve(args.workdir, args.triples, args.seconds, args.clients, args.repeats, record):
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
