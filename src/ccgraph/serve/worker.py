"""A query worker process: `python -m ccgraph.serve.worker FD LIFELINE PARENT_PID`, started by the engine.

It loads the served data from the server's snapshot, says it is ready, then answers one operation at
a time. pyoxigraph cannot cancel a query, so the server stops one that runs too long by killing this
process.

A worker must never outlive the server, whatever killed it (SIGKILL included), two ways:
    PR_SET_PDEATHSIG   Linux sends this process SIGKILL when its parent dies;
    EOF on a lifeline  a thread blocks reading a pipe whose other end only the server holds (and never
                       writes), even while a query runs, and exits the moment it reads end-of-file:
                       the kernel closes the server's end when the server dies.
"""

import ctypes
import os
import signal
import socket
import sys
import threading

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def _watch(lifeline: int) -> None:
    try:
        while os.read(lifeline, 1):
            pass
    finally:
        os._exit(0)  # the server has gone: stop now, mid-query or not


def main(argv: list[str]) -> None:
    fd, lifeline, parent = int(argv[1]), int(argv[2]), int(argv[3])
    die_with_parent(parent)
    threading.Thread(target=_watch, args=(lifeline,), daemon=True).start()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the whole process group; the server decides

    from ccgraph.errors import CcgraphError
    from ccgraph.serve import wire
    from ccgraph.serve.dataset import Snapshot
    from ccgraph.serve.evaluate import answer
    from ccgraph.serve.reply import text_reply

    sock = socket.socket(fileno=fd)
    _, fds, _, _ = socket.recv_fds(sock, 1, 2)  # the snapshot's files
    if not fds:
        return  # the server went away before sending them
    has_closure, max_rows = wire.receive(sock)
    snapshot = Snapshot(fds[0], fds[1] if has_closure else None)
    try:
        store = snapshot.open()
    except (CcgraphError, OSError, SyntaxError) as error:
        wire.send(sock, ("error", str(error)))
        return
    wire.send(sock, ("ready", os.getpid()))
    threading.Thread(target=lambda: store.full, daemon=True).start()  # the closure's copy, ahead of need
    while True:
        try:
            operation, accept = wire.receive(sock)
        except (EOFError, OSError):
            return
        try:
            reply = answer(store, operation, accept, max_rows)
        except Exception as error:  # a bug, not the query's fault: say so rather than die and be retried
            reply = text_reply(500, f"internal error: {type(error).__name__}: {' '.join(str(error).split())[:200]}")
        wire.send(sock, reply)


if __name__ == "__main__":
    main(sys.argv)
