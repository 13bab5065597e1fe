"""Start and stop a real Virtuoso Open Source server for the endpoint tests.

The server gets its own temporary database folder and ini file, listens on 127.0.0.1 on two free
ports (HTTP and ISQL), and is given SPARQL update rights for anonymous requests plus one user with
a password (for the authenticated endpoints).
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

SERVER = "virtuoso-t"
# Lower than Virtuoso's usual 10,000 so the tests meet the silent result cap with small graphs.
MAX_ROWS = 1000
ISQL = "isql-vt"
USER, PASSWORD = "kgtest", "kgtest-secret"
READER, READER_PASSWORD = "kgreader", "kgreader-secret"  # may query, may not update

_INI = """\
[Database]
DatabaseFile       = {d}/virtuoso.db
ErrorLogFile       = {d}/virtuoso.log
LockFile           = {d}/virtuoso.lck
TransactionFile    = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {d}/virtuoso-temp.db
TransactionFile    = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:{isql}
LiteMode                 = 0
DisableUnixSocket        = 1
DisableTcpSocket         = 0
MaxClientConnections     = 10
CheckpointInterval       = 60
O_DIRECT                 = 0
CaseMode                 = 2
MaxStaticCursorRows      = 5000
CheckpointAuditTrail     = 0
AllowOSCalls             = 0
SchedulerInterval        = 10
DirsAllowed              = ., {d}
ThreadCleanupInterval    = 0
ThreadThreshold          = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize        = 100000
SingleCPU                = 0
PrefixResultNames        = 0
RdfFreeTextRulesSize     = 100
IndexTreeMaps            = 64
MaxQueryMem              = 256M
VectorSize               = 1000
MaxVectorSize            = 1000000
AdjustVectorSize         = 0
ThreadsPerQuery          = 2
AsyncQueueMaxThreads     = 10
NumberOfBuffers          = 10000
MaxDirtyBuffers          = 6000

[HTTPServer]
ServerPort                  = 127.0.0.1:{http}
ServerRoot                  = {d}/vsp
MaxClientConnections        = 10
DavRoot                     = DAV
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
TempASPXDir                 = 0
ServerThreads               = 10
MaxKeepAlives               = 10
KeepAliveTimeout            = 10
MaxCachedProxyConnections   = 10
ProxyConnectionCacheTimeout = 15
HTTPThreadSize              = 280000
HttpPrintWarningsInOutput   = 0
Charset                     = UTF-8
EnabledGzipContent          = 0

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT  = 0
SQL_TXN_TIMEOUT    = 0

[SPARQL]
ResultSetMaxRows           = {max_rows}
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 60
DeferInferenceRulesInit    = 0
"""

# Anonymous requests (user SPARQL) may update; the named user may too, through /sparql-auth.
_GRANTS = f"""\
GRANT SPARQL_UPDATE TO "SPARQL";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);
DB.DBA.USER_CREATE ('{USER}', '{PASSWORD}');
GRANT SPARQL_UPDATE TO "{USER}";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('{USER}', 7);
DB.DBA.USER_CREATE ('{READER}', '{READER_PASSWORD}');
GRANT SPARQL_SELECT TO "{READER}";
"""


def available() -> bool:
    return shutil.which(SERVER) is not None and shutil.which(ISQL) is not None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Virtuoso:
    folder: Path
    http_port: int
    isql_port: int
    process: subprocess.Popen[bytes]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sparql(self) -> str:
        return f"{self.base}/sparql"

    @property
    def sparql_auth(self) -> str:
        return f"{self.base}/sparql-auth"

    def isql(self, sql: str) -> str:
        """Run SQL statements as dba through the ISQL port; fails on any SQL error."""
        done = subprocess.run(
            [ISQL, f"127.0.0.1:{self.isql_port}", "dba", "dba", "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF",
             "ERRORS=STDOUT"],
            input=sql.encode() + b"\nexit;\n",
            capture_output=True,
            timeout=60,
            check=False,
        )
        out = done.stdout.decode(errors="replace")
        if done.returncode != 0 or "*** Error" in out:
            raise RuntimeError(f"isql failed ({done.returncode}): {out.strip()} {done.stderr.decode().strip()}")
        return out

    def log(self) -> str:
        try:
            return (self.folder / "virtuoso.log").read_text(errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)


def _ready(url: str) -> bool:
    query = urllib.parse.urlencode({"query": "ASK {}"})
    req = urllib.request.Request(f"{url}?{query}", headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(req, timeout=2) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


def start(wait: float = 120.0) -> Virtuoso:
    """Start a fresh server and wait until its SPARQL endpoint answers; raises RuntimeError if it cannot."""
    folder = Path(tempfile.mkdtemp(prefix="kg-virtuoso-"))
    (folder / "vsp").mkdir()
    http_port, isql_port = free_port(), free_port()
    while isql_port == http_port:
        isql_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_INI.format(d=folder, http=http_port, isql=isql_port, max_rows=MAX_ROWS))
    log = open(folder / "stdout.log", "wb")  # noqa: SIM115 - kept open for the server's lifetime
    process = subprocess.Popen(
        [SERVER, "+foreground", "+configfile", str(ini)],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "LC_ALL": "C"},
    )
    server = Virtuoso(folder, http_port, isql_port, process)
    deadline = time.monotonic() + wait
    while not _ready(server.sparql):
        if process.poll() is not None or time.monotonic() > deadline:
            tail = server.log()[-2000:] + (folder / "stdout.log").read_text(errors="replace")[-1000:]
            server.stop()
            raise RuntimeError(f"Virtuoso did not start: {tail}")
        time.sleep(0.25)
    try:
        server.isql(_GRANTS)
    except Exception:
        server.stop()
        raise
    return server


_shared: Virtuoso | None = None
_failed: str | None = None  # a server that would not start is not retried for every test


def shared() -> Virtuoso:
    """One server for the whole test run, stopped when the interpreter exits.

    Under CI (`CI=true`) a missing Virtuoso fails the tests; elsewhere they are skipped.
    """
    global _shared, _failed
    import pytest

    if _shared is not None:
        return _shared
    if _failed is not None:
        pytest.fail(_failed)
    if not available():
        message = f"Virtuoso is not installed ({SERVER}, {ISQL}): run scripts/system-deps.sh --test"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    try:
        _shared = start()
    except RuntimeError as e:
        _failed = str(e)
        raise
    atexit.register(_shared.stop)
    return _shared
