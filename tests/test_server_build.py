"""A `kg build` into the store `kg serve` reads: the server keeps answering, never shows part of an
article, and serves the new article without a restart."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from _serve import ROOT, serving

from kg.build import build_paths

pytestmark = pytest.mark.slow

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
# Per article: its graph's triples (a graph caught half written would show fewer).
SIZES = "SELECT ?a (COUNT(*) AS ?n) WHERE { ?a a kg:Article . GRAPH ?a { ?s ?p ?o } } GROUP BY ?a"


def test_a_build_while_serving_is_seen_without_restart(tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = build_paths(str(store), [str(SEEDS[0])])
    assert first.built == 1
    answers: list[dict[str, int]] = []
    failures: list[str] = []
    stop = threading.Event()

    with serving(store, "--workers", "2") as url:
        def poll() -> None:
            with httpx.Client(base_url=url, timeout=30) as http:
                while not stop.is_set():
                    answer = http.get("/sparql", params={"query": SIZES})
                    if answer.status_code != 200:
                        failures.append(f"{answer.status_code} {answer.text}")
                        continue
                    rows = answer.json()["results"]["bindings"]
                    answers.append({r["a"]["value"]: int(r["n"]["value"]) for r in rows})

        threading.Thread(target=poll, daemon=True).start()
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-m", "kg", "build", "--store", str(store), str(SEEDS[1])],
                              env=env, capture_output=True, text=True, timeout=300)
        finished = time.monotonic()
        assert done.returncode == 0, done.stderr
        while not any(len(a) == 2 for a in answers[-1:]) and time.monotonic() - finished < 10:
            time.sleep(0.01)
        seen = time.monotonic()
        stop.set()
        time.sleep(0.2)

    assert not failures
    assert len(answers[-1]) == 2, "the new article never became visible"
    final = answers[-1]
    # Every answer shows each article whole, or not at all.
    assert all(sizes == {a: final[a] for a in sizes} for sizes in answers)
    print(f"new article visible {seen - finished:.3f} s after the build ended; {len(answers)} answers during the build")
