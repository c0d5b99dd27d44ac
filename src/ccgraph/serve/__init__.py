"""Serving the graph: a read-only SPARQL 1.1 Protocol endpoint and web pages.

protocol.py  turns an HTTP request into a query operation, or a 4xx with a reason
negotiate.py picks the response format from the Accept header
dataset.py   what is served (the built store, the closure graph, extra files), opened by each process
evaluate.py  one operation evaluated on the Store and written out, capped (what a worker does)
worker.py    a query worker process; wire.py the messages between it and the server
engine.py    the pool of workers: timeouts (by killing), retries, replacements
app.py       the ASGI application: /sparql, the service description; site.py and pages.py the web pages
server.py    uvicorn, stopped promptly on SIGTERM
"""
