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


async def read(reader: asyncio.StreamReader):
    """The next message; asyncio.IncompleteReadError when the other end has gone."""
    (length,) = _LENGTH.unpack(await reader.readexactly(_LENGTH.size))
    return pickle.loads(await reader.readexactly(length))
