"""Queries run in worker processes; one past its time limit is stopped by killing its worker.

pyoxigraph has no per-query timeout and cannot be interrupted, so every query is evaluated in a
worker process (serve/worker.py) that can be killed. The pool has a fixed size: each worker answers
one query at a time, a request that cannot get a worker within queue_wait is told to retry, and a
worker that dies, whatever killed it, is replaced. A query whose worker died under it (not by our
timeout) is tried again on another worker. Workers are started fresh (not forked from the server,
whose RocksDB handles and threads a fork would copy) and load the served data from the snapshot the
server took at start-up (serve/dataset.py), so all of them always answer from the same data.

Everything here runs on the server's event loop: no thread waits on a worker. Workers are started
from the loop's thread, which lives as long as the server, so PR_SET_PDEATHSIG fires only when the
server itself dies.
"""

import asyncio
import os
import socket
import sys
from collections import deque
from dataclasses import dataclass

from ccgraph.errors import CcgraphError
from ccgraph.graph.store import Store
from ccgraph.serve import wire
from ccgraph.serve.dataset import Snapshot
from ccgraph.serve.protocol import Operation
from ccgraph.serve.reply import Reply, text_reply

ATTEMPTS = 3  # a query whose worker died is tried on this many workers in all
START_TIMEOUT = 120.0  # seconds a new worker may take to open the data
RESTART_WAIT = 30.0  # seconds past queue_wait a request may wait while a replacement worker starts


@dataclass(frozen=True)
class Settings:
    workers: int = 2
    timeout: float = 10.0  # seconds of wall-clock time per query
    max_rows: int = 10_000  # rows (or triples) returned at most; more are cut and the response says so
    queue_wait: float = 5.0  # seconds a request may wait for a free worker


BUSY = text_reply(503, "all query workers are busy: retry shortly", (("Retry-After", "1"),))
SHUTTING_DOWN = text_reply(503, "the server is shutting down", (("Connection", "close"),))


class _Worker:
    def __init__(self, process: asyncio.subprocess.Process, channel: wire.Channel):
        self.process = process
        self.pid = process.pid
        self.channel = channel
        self.gone = False  # exited, and noticed
        self.killed = False
        self.expired = False  # killed because its query ran out of time

    async def ask(self, operation: Operation, accept: str | None) -> Reply:
        answer = self.channel.receive()
        self.channel.send((operation, accept))
        return await answer

    @property
    def usable(self) -> bool:
        return not (self.gone or self.killed) and self.process.returncode is None

    def expire(self) -> None:
        self.expired = True
        self.kill()

    def kill(self) -> None:
        self.killed = True
        if self.process.returncode is None:
            try:
                self.process.kill()
            except ProcessLookupError:
                pass


class QueryEngine:
    """A pool of query workers on the running event loop. `await run(...)` answers one operation."""

    def __init__(self, store: Store, settings: Settings = Settings()):
        self.store = store
        self._snapshot: asyncio.Future | None = None  # of the Snapshot, taken while the first workers start
        self.settings = settings
        self._workers: set[_Worker] = set()
        self._idle: deque[_Worker] = deque()
        self._waiters: deque[asyncio.Future] = deque()
        self._closing = False
        self._tasks: set[asyncio.Task] = set()
        # Every worker inherits the read end; only this process holds the write end (never written):
        # when this process dies, each worker reads end-of-file and exits.
        self._lifeline_r, self._lifeline_w = os.pipe()

    @property
    def pids(self) -> list[int]:
        return sorted(w.pid for w in self._workers if w.usable)

    # ------------------------------------------------------------ life cycle

    async def start(self) -> None:
        """Start every worker and wait until each has loaded the data (a failure is a CcgraphError)."""
        self._snapshot = asyncio.get_running_loop().run_in_executor(None, Snapshot.of, self.store)
        started = await asyncio.gather(*(self._spawn() for _ in range(self.settings.workers)), return_exceptions=True)
        failures = [s for s in started if isinstance(s, BaseException)]
        for worker in started:
            if isinstance(worker, _Worker):
                self._add(worker)
        if failures:
            self.abort()
            raise failures[0] if isinstance(failures[0], CcgraphError) else CcgraphError(f"query worker: {failures[0]}")

    def abort(self) -> None:
        """Stop now: workers killed (a query in flight is answered 503), waiting requests answered 503."""
        self._closing = True
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
        for worker in list(self._workers):
            worker.kill()

    async def close(self) -> None:
        self.abort()
        processes = [w.process for w in self._workers]
        if processes:
            await asyncio.wait([asyncio.ensure_future(p.wait()) for p in processes], timeout=5)
        for fd in (self._lifeline_r, self._lifeline_w):
            try:
                os.close(fd)
            except OSError:
                pass
        if self._snapshot is not None and self._snapshot.done() and not self._snapshot.cancelled() and self._snapshot.exception() is None:
            self._snapshot.result().close()

    async def _spawn(self) -> _Worker:
        ours, theirs = socket.socketpair()
        try:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "ccgraph.serve.worker", str(theirs.fileno()), str(self._lifeline_r), str(os.getpid()),
                pass_fds=(theirs.fileno(), self._lifeline_r), stdin=asyncio.subprocess.DEVNULL)
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        try:
            # The snapshot's files go over the socket (SCM_RIGHTS), so the worker's Python can start
            # while the snapshot is still being written.
            snapshot = await self._snapshot
            socket.send_fds(ours, [b"s"], list(snapshot.fds))
        except BaseException:
            process.kill()
            ours.close()
            raise
        _, channel = await asyncio.get_running_loop().create_unix_connection(wire.Channel, sock=ours)
        worker = _Worker(process, channel)
        try:
            ready = channel.receive()
            channel.send((snapshot.closure_fd is not None, self.settings.max_rows))
            status, detail = await asyncio.wait_for(ready, START_TIMEOUT)
        except (ConnectionError, asyncio.TimeoutError):
            worker.kill()
            raise CcgraphError("a query worker stopped while loading the data (see the messages above)") from None
        if status != "ready":
            worker.kill()
            raise CcgraphError(detail)
        return worker

    def _add(self, worker: _Worker) -> None:
        self._workers.add(worker)
        self._background(self._keep(worker))
        self._release(worker)

    async def _keep(self, worker: _Worker) -> None:
        """When a worker exits, for whatever reason, forget it and start another."""
        await worker.process.wait()
        worker.gone = True
        self._workers.discard(worker)
        worker.channel.close()
        delay = 0.2
        while not self._closing:
            try:
                fresh = await self._spawn()
            except (CcgraphError, OSError) as error:
                print(f"ccgraph serve: cannot start a query worker ({error}); trying again", file=sys.stderr, flush=True)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            if self._closing:
                fresh.kill()
            else:
                self._add(fresh)
            return

    def _background(self, coroutine) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # ------------------------------------------------------------ answering

    async def run(self, operation: Operation, accept: str | None) -> Reply:
        for _ in range(ATTEMPTS):
            worker = await self._acquire(asyncio.get_running_loop().time() + self.settings.queue_wait)
            if worker is None:
                return SHUTTING_DOWN if self._closing else BUSY
            # At the time limit the worker is killed: the only way to stop the query (_keep starts a
            # fresh one). A timer, not asyncio.wait_for: no task per query on the hot path.
            timer = asyncio.get_running_loop().call_later(self.settings.timeout, worker.expire)
            try:
                reply = await worker.ask(operation, accept)
            except (ConnectionError, OSError):
                worker.kill()
                if worker.expired:
                    return text_reply(503, f"query stopped: it ran past the {self.settings.timeout:g} s time limit")
                if self._closing:
                    return SHUTTING_DOWN
                continue  # it died under the query (killed, crashed): try the query elsewhere
            except BaseException:
                worker.kill()  # cancelled half-way: the worker's state is unknown
                raise
            finally:
                timer.cancel()
            self._release(worker)
            return reply
        return text_reply(500, f"the query's worker process died each of the {ATTEMPTS} times it was tried")

    async def _acquire(self, deadline: float) -> _Worker | None:
        """A live idle worker, or None when none came free by the deadline or the server is stopping.

        While a replacement worker is starting the pool is short, not busy: the wait goes on (a
        while) for it, so one killed query does not turn the requests queued behind it away.
        """
        loop = asyncio.get_running_loop()
        last_resort = deadline + RESTART_WAIT
        while not self._closing:
            while self._idle:
                worker = self._idle.popleft()
                if worker.usable:
                    return worker
            remaining = deadline - loop.time()
            short = sum(1 for w in self._workers if w.usable) < self.settings.workers
            if remaining <= 0 and short and loop.time() < last_resort:
                remaining = min(0.2, last_resort - loop.time())
            if remaining <= 0:
                return None
            waiter = loop.create_future()
            self._waiters.append(waiter)
            try:
                worker = await asyncio.wait_for(waiter, remaining)
            except asyncio.TimeoutError:
                continue  # look again: the deadline may be past, or a replacement on its way
            finally:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
            if worker is not None and worker.usable:
                return worker
        return None

    def _release(self, worker: _Worker) -> None:
        if not worker.usable or self._closing:
            return
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._idle.append(worker)
