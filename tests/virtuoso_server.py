"""Start a private Virtuoso (Debian's virtuoso-opensource-7-bin: `virtuoso-t`, `isql-vt`) and stop it after.

No system service and no debconf: a fresh database in a temporary folder, a virtuoso.ini of our own
with free ports on 127.0.0.1 for HTTP (SPARQL at /sparql, the Graph Store Protocol with Digest login
at /sparql-graph-crud-auth) and for SQL (isql), `virtuoso-t +foreground` as a child process.
A new database's `dba` password is "dba"; it is changed through isql to a random one at once.
"""

import contextlib
import secrets
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from live_server import free_port

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")

INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = {db}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}
ServerThreads = 4

[SPARQL]
; no MaxQueryExecutionTime: with one, Virtuoso may answer a slow query with partial results
ResultSetMaxRows = 1000000
"""


@dataclass(frozen=True)
class Virtuoso:
    base: str
    sql_port: int
    user: str
    password: str
    folder: Path

    @property
    def sparql(self) -> str:
        return f"{self.base}/sparql"

    @property
    def graph_store(self) -> str:
        """The Graph Store Protocol endpoint that takes a Digest login (the plain one is read-only)."""
        return f"{self.base}/sparql-graph-crud-auth"

    def isql(self, *statements: str) -> str:
        command = [ISQL, str(self.sql_port), self.user, self.password, "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF",
                   "ERRORS=STDOUT", "exec=" + " ".join(s.rstrip(";") + ";" for s in statements)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
        if done.returncode or "*** Error" in done.stdout:
            raise RuntimeError(f"isql failed: {done.stdout} {done.stderr}")
        return done.stdout


def _log_tail(folder: Path) -> str:
    log = folder / "virtuoso.log"
    return log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"


@contextlib.contextmanager
def virtuoso_server(ready_timeout: float = 60.0):
    if VIRTUOSO is None or ISQL is None:
        raise RuntimeError("virtuoso-t / isql-vt not installed (Debian: apt-get install virtuoso-opensource-7-bin)")
    with tempfile.TemporaryDirectory(prefix="ccgraph-virtuoso-") as folder:
        db = Path(folder)
        http_port, sql_port = free_port(), free_port()
        (db / "virtuoso.ini").write_text(INI.format(db=db, sql_port=sql_port, http_port=http_port), encoding="utf-8")
        process = subprocess.Popen([VIRTUOSO, "+configfile", str(db / "virtuoso.ini"), "+foreground"], cwd=db,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{http_port}"
        try:
            deadline = time.monotonic() + ready_timeout
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"virtuoso-t exited with status {process.returncode}: {_log_tail(db)}")
                try:
                    if httpx.get(f"{base}/sparql", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"virtuoso-t did not answer at {base}/sparql in {ready_timeout:.0f}s: {_log_tail(db)}")
                time.sleep(0.2)
            server = Virtuoso(base, sql_port, "dba", "dba", db)
            password = secrets.token_hex(12)
            server.isql(f"USER_SET_PASSWORD('dba', '{password}')")
            yield Virtuoso(base, sql_port, "dba", password, db)
        finally:
            process.terminate()  # SIGTERM: Virtuoso's quick shutdown
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
