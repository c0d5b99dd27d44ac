"""What the endpoint answers: a status, a media type, bytes and extra headers.

Made in the query workers and sent back to the server process whole, so it is a plain dataclass.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Reply:
    status: int
    media_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


def text_reply(status: int, message: str, headers: tuple[tuple[str, str], ...] = ()) -> Reply:
    return Reply(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8"), headers)


def with_charset(media: str) -> str:
    """JSON is UTF-8 by definition (RFC 8259); the other text formats say so."""
    return media if "json" in media and "ld+" not in media else f"{media}; charset=utf-8"
