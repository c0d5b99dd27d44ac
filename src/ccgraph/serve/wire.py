"""Messages between the server process and its query workers, over a Unix socket pair.

A message is a 4-byte length then a pickle. Both ends are this package's own processes (the worker is
started by the server with the socket's other end), so pickle carries nothing from outside: the
request's text travels as a string inside an Operation, never as a pickle of its own.
"""

import asyncio
import pickle
import socket
import struct

_LENGTH = struct.Struct(">I")


def encode(message) -> bytes:
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _LENGTH.pack(len(body)) + body


def send(sock: socket.socket, message) -> None:
    sock.sendall(encode(message))


def receive(sock: socket.socket):
    """The next message; EOFError when the other end has gone."""
    (length,) = _LENGTH.unpack(_exactly(sock, _LENGTH.size))
    return pickle.loads(_exactly(sock, length))


def _exactly(sock: socket.socket, size: int) -> bytes:
    buffer = bytearray(size)
    view, got = memoryview(buffer), 0
    while got < size:
        n = sock.recv_into(view[got:])
        if n == 0:
            raise EOFError
        got += n
    return bytes(buffer)


class Channel(asyncio.Protocol):
    """The server's end of a worker's socket: send a message, await the next one.

    One message is outstanding at a time (a worker answers one query at a time), so a bare protocol
    with one future does it, at a fraction of the event-loop work of asyncio's streams. When the
    worker goes, the awaited message fails with ConnectionError.
    """

    def __init__(self):
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future | None = None
        self.lost = False

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        self._deliver()

    def connection_lost(self, exc) -> None:
        self.lost = True
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError("the worker's socket closed"))

    def send(self, message) -> None:
        self.transport.write(encode(message))

    def receive(self) -> asyncio.Future:
        self.waiter = asyncio.get_running_loop().create_future()
        if self.lost:
            self.waiter.set_exception(ConnectionError("the worker's socket closed"))
        self._deliver()
        return self.waiter

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def _deliver(self) -> None:
        if self.waiter is None or self.waiter.done() or len(self.buffer) < _LENGTH.size:
            return
        (length,) = _LENGTH.unpack_from(self.buffer)
        end = _LENGTH.size + length
        if len(self.buffer) >= end:
            message = pickle.loads(memoryview(self.buffer)[_LENGTH.size:end])
            del self.buffer[:end]
            self.waiter.set_result(message)
