"""`kg serve` against Oxigraph's own server (`oxigraph serve`, the `oxigraph` package on PyPI) on
copies of the same store, measured side by side.

    python benchmarks/serve.py [--triples 1000000] [--seconds 30] [--clients 16] [--workdir DIR]

Prints each saved query's median time over HTTP on both servers, the latency kg's server adds to
a one-row query over the same query in-process, and the throughput of concurrent clients on a
one-row query and on the saved queries, with PASS/FAIL against the goals (throughput ≥ 0.8× of
Oxigraph's server, added latency ≤ 2 ms, no errors, memory flat within 10%).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

SMALL = "SELECT ?name WHERE { <https://w3id.org/kg-news/id/country/NZL> rdfs:label ?name }"
SAVED = ("officials", "officials-who-met-counterparts", "dialogues", "treaties", "policies")
ACCEPT = {"Accept": "application/sparql-results+json"}


def median_ms(call: Callable[[], object], repeats: int) -> float:
    for _ in range(min(repeats, 5)):
        call()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


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


def throughput(url: str, queries: list[str], clients: int, seconds: float) -> tuple[float, int]:
    import httpx

    done, errors = [0], [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(offset: int) -> None:
        with httpx.Client(timeout=600) as http:
            k = offset
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
    return done[0] / (time.monotonic() - started), errors[0]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--repeats", type=int, default=5, help="runs per saved query (median)")
    ap.add_argument("--workdir", type=Path, default=ROOT / ".bench")
    args = ap.parse_args(argv)

    import httpx
    from run import graph_file, oxigraph_folder

    from kg import results, saved
    from kg.ontology import prefix_block
    from kg.store import open_store

    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not os.path.exists(oxigraph):
        print("needs Oxigraph's server: pip install oxigraph", file=sys.stderr)
        return 2
    args.workdir.mkdir(parents=True, exist_ok=True)
    store = oxigraph_folder(args.workdir, graph_file(args.workdir, args.triples))
    copy = args.workdir / (store.name + ".oxigraph-serve")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(store, copy)
    # Oxigraph's server takes no prefixes out of band: every query declares them.
    small = prefix_block() + SMALL
    texts = {n: prefix_block() + saved.get(n).text for n in SAVED}

    with open_store(str(store), read_only=True) as local:
        def in_process() -> None:
            results.write_json(local.query(small), io.StringIO())
        local_ms = median_ms(in_process, 300)

    kg_port, ox_port = free_port(), free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    servers = {
        "kg": (subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", str(kg_port),
                                 "--max-rows", "10000000", "--timeout", "600"], env=env, stdout=subprocess.DEVNULL),
               f"http://127.0.0.1:{kg_port}/sparql"),
        # the store's default graph is the knowledge graph, which both servers query by default
        "oxigraph": (subprocess.Popen([oxigraph, "serve", "--location", str(copy), "--bind", f"127.0.0.1:{ox_port}"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
                     f"http://127.0.0.1:{ox_port}/query"),
    }
    failed = False
    try:
        for _, url in servers.values():
            wait_for(url)
        print(f"kg serve vs oxigraph serve, {args.triples:,} triples (medians of {args.repeats}; side by side)")
        with httpx.Client(timeout=600) as http:
            for name, text in texts.items():
                ms = {k: median_ms(lambda u=url, t=text: http.post(u, data={"query": t}, headers=ACCEPT).raise_for_status(),
                                   args.repeats) for k, (_, url) in servers.items()}
                print(f"  {name:32s} kg {ms['kg']:8.1f} ms   oxigraph {ms['oxigraph']:8.1f} ms   "
                      f"ratio {ms['kg'] / ms['oxigraph']:5.2f}", flush=True)
            small_ms = {k: median_ms(lambda u=url: http.post(u, data={"query": small}, headers=ACCEPT).raise_for_status(), 300)
                        for k, (_, url) in servers.items()}
        added = small_ms["kg"] - local_ms
        print(f"  one-row query: in-process {local_ms:.3f} ms, kg serve {small_ms['kg']:.2f} ms, "
              f"oxigraph serve {small_ms['oxigraph']:.2f} ms")
        ok = added <= 2.0
        failed |= not ok
        print(f"{'PASS' if ok else 'FAIL'}  latency kg serve adds to a one-row query: {added:.2f} ms (goal ≤ 2 ms)")

        for label, queries in (("one-row query", [small]), ("saved queries", list(texts.values()))):
            kg_process = servers["kg"][0]
            before = tree_rss_mb(kg_process.pid)
            rates = {}
            for k, (_, url) in servers.items():
                rates[k] = throughput(url, queries, args.clients, args.seconds)
            after = tree_rss_mb(kg_process.pid)
            ratio = rates["kg"][0] / rates["oxigraph"][0] if rates["oxigraph"][0] else float("inf")
            errors = rates["kg"][1] + rates["oxigraph"][1]
            ok = ratio >= 0.8 and errors == 0
            failed |= not ok
            print(f"{'PASS' if ok else 'FAIL'}  {args.clients} clients for {args.seconds:g} s, {label}: "
                  f"kg {rates['kg'][0]:.1f}/s, oxigraph {rates['oxigraph'][0]:.1f}/s, ratio {ratio:.2f} "
                  f"(goal ≥ 0.8), errors {errors}", flush=True)
            flat = after <= before * 1.1 + 5
            failed |= not flat
            print(f"{'PASS' if flat else 'FAIL'}  kg serve memory (server and workers) {before:.0f} -> {after:.0f} MB")
    finally:
        for process, _ in servers.values():
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(copy, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
