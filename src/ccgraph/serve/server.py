"""Running the app under uvicorn, and stopping promptly.

On SIGTERM or Ctrl+C uvicorn stops accepting connections and waits for requests in flight, which for
a query could mean until its timeout. So the signal also aborts the query engine: its workers are
killed, the requests they were answering (and those waiting for one) get 503 at once, and the server
is gone within about a second. A request the engine is not part of (a report page being drawn) gets
at most GRACE seconds.
"""

import asyncio

import uvicorn

from ccgraph.errors import CcgraphError

GRACE = 1.0


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, engine):
        super().__init__(config)
        self.engine = engine
        self.loop: asyncio.AbstractEventLoop | None = None

    async def serve(self, sockets=None) -> None:
        self.loop = asyncio.get_running_loop()
        await super().serve(sockets)

    def handle_exit(self, sig, frame) -> None:
        super().handle_exit(sig, frame)
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self.engine.abort)


def run(app, host: str, port: int) -> None:
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on", timeout_graceful_shutdown=GRACE)
    server = _Server(config, app.state.engine)
    server.run()
    if not server.started:
        raise CcgraphError(f"the server did not start on {host}:{port} (see the messages above)")
