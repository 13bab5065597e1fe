"""Start a real `kg serve` process on a free port and stop it by its process id."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def serving(store: str | Path, *options: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """`kg serve --store STORE --port 0 OPTIONS` running; yields its base URL (no trailing slash)."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", "0", *options],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment,
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        m = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
        if not m:
            process.kill()
            raise RuntimeError(f"kg serve did not start: {line}{process.stderr.read() if process.stderr else ''}")
        base = m.group(1)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/sparql?query=ASK%7B%7D", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
