"""Serving the graph: a read-only SPARQL 1.1 Protocol endpoint and web pages.

protocol.py  turns an HTTP request into a query operation, or a 4xx with a reason
negotiate.py picks the response format from the Accept header
engine.py    runs queries in worker processes, killed at the timeout
app.py       the HTTP application (Starlette), served by uvicorn
"""
