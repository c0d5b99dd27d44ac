"""The endpoint's faults, each mended and kept mended: oversized bodies, the server killed or stopped
with work in flight, workers dying under queries, deeply nested queries, cold report pages."""

import os
import signal
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from live_server import alive, live_server

COUNT_KEY_AREAS = "PREFIX ccg: <https://w3id.org/ccgraph/ontology#> SELECT (COUNT(?k) AS ?n) WHERE { ?k a ccg:KeyArea }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # a cross product: hours


def count_of(response) -> str:
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"][0]["n"]["value"]


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture(scope="module")
def server():
    with live_server("--no-closure") as live:  # the default limits: a 1 MB body cap
        yield live


# ---------------------------------------------------------------- (a) a body over the cap


@pytest.mark.parametrize("framing", ["content-length", "chunked"])
def test_an_oversized_body_gets_413_not_a_reset(server, framing):
    body = b"query=" + b"x" * (8 * 1024 * 1024)  # 8 MiB against the 1 MB cap
    content = body if framing == "content-length" else (body[i:i + 65536] for i in range(0, len(body), 65536))
    with httpx.Client(timeout=60) as client:
        response = client.post(server.url, content=content, headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert response.status_code == 413 and "larger than 1000000 bytes" in response.text
        assert count_of(client.get(server.url, params={"query": COUNT_KEY_AREAS})) == "4"  # and the connection still works


def test_an_oversized_body_from_a_plain_socket_reads_413(server):
    """A client that writes everything before it reads, as most do."""
    body = b"x" * (8 * 1024 * 1024)
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(body) + body)
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413 ")


# ---------------------------------------------------------------- (b) the server SIGKILLed


def test_sigkill_of_the_server_leaves_no_worker_and_no_listener():
    with live_server("--no-closure", "--workers", "3") as live:
        workers = live.worker_pids()
        assert len(workers) == 3 and all(alive(pid) for pid in workers)
        os.kill(live.process.pid, signal.SIGKILL)
        live.process.wait(timeout=10)
        assert wait_until(lambda: not any(alive(pid) for pid in workers), 5), [pid for pid in workers if alive(pid)]
        with socket.socket() as sock:  # nothing holds the port: no child inherited the listening socket
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", live.port))
            sock.listen(1)


# ---------------------------------------------------------------- (c) SIGTERM with a query in flight


def test_sigterm_stops_the_server_at_once_and_answers_the_query_in_flight_503():
    with live_server("--no-closure", "--timeout", "120") as live:
        workers = live.worker_pids()
        answers = {}
        thread = threading.Thread(target=lambda: answers.setdefault("slow", httpx.get(live.url, params={"query": SLOW}, timeout=60)))
        thread.start()
        time.sleep(1.0)  # the query is running in a worker
        started = time.monotonic()
        live.process.send_signal(signal.SIGTERM)
        live.process.wait(timeout=30)
        stopped = time.monotonic() - started
        thread.join(timeout=30)
        assert stopped < 2.0, f"took {stopped:.1f} s to stop"
        assert answers["slow"].status_code == 503 and "shutting down" in answers["slow"].text
        assert wait_until(lambda: not any(alive(pid) for pid in workers), 5)


# ---------------------------------------------------------------- (d) a worker dies


def test_a_query_whose_worker_died_is_answered_by_a_live_one():
    with live_server("--no-closure", "--workers", "2", "--queue-wait", "1") as live:
        for _ in range(2):
            before = live.worker_pids()
            for pid in before:
                os.kill(pid, signal.SIGKILL)
            with ThreadPoolExecutor(4) as pool:  # sent at once: some reach a dead worker before it is missed
                responses = list(pool.map(lambda _: httpx.get(live.url, params={"query": COUNT_KEY_AREAS}, timeout=60), range(4)))
            assert [count_of(r) for r in responses] == ["4"] * 4, [r.text for r in responses]
            assert wait_until(lambda: len(live.worker_pids()) == 2, 10)
            assert not set(live.worker_pids()) & set(before)  # replaced


# ---------------------------------------------------------------- (e) deep nesting


def test_a_query_nested_forty_groups_deep_is_answered(server):
    depth = 40
    query = ("PREFIX ccg: <https://w3id.org/ccgraph/ontology#> SELECT (COUNT(?k) AS ?n) WHERE "
             + "{ " * depth + "?k a ccg:KeyArea" + " }" * depth)
    assert count_of(httpx.get(server.url, params={"query": query}, timeout=30)) == "4"
    optional = ("PREFIX ccg: <https://w3id.org/ccgraph/ontology#> SELECT (COUNT(?k) AS ?n) WHERE { ?k a ccg:KeyArea "
                + "OPTIONAL { ?k ccg:none ?x " * depth + "}" * depth + " }")
    assert count_of(httpx.post(server.url, data={"query": optional}, timeout=30)) == "4"


# ---------------------------------------------------------------- report pages, cold


def test_concurrent_first_report_pages_share_one_computation():
    with live_server("--no-closure", "--timeout", "60") as live:
        site = live.url.removesuffix("/sparql")
        with ThreadPoolExecutor(6) as pool:
            pages = list(pool.map(lambda path: httpx.get(site + path, timeout=300), ["/audit"] * 4 + ["/matrix", "/trace?nos=19"]))
        assert [p.status_code for p in pages] == [200] * 6, [p.text[:200] for p in pages if p.status_code != 200]
        assert len({p.text for p in pages[:4]}) == 1 and "<h1>ccgraph audit</h1>" in pages[0].text
        assert count_of(httpx.get(live.url, params={"query": COUNT_KEY_AREAS})) == "4"  # workers unharmed
        assert len(live.worker_pids()) == 2


def test_a_replacement_worker_serves_what_the_others_serve(tmp_path):
    """Workers load the server's snapshot, not the files: data changed on disk meanwhile is not served."""
    data = tmp_path / "data.ttl"
    data.write_text("<urn:a> <urn:p> 1 .\n")
    with live_server("--no-project", "--workers", "1", f"urn:g={data}") as live:
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s <urn:p> ?o }"
        assert count_of(httpx.get(live.url, params={"query": count})) == "1"
        data.write_text("<urn:a> <urn:p> 1 .\n<urn:b> <urn:p> 2 .\n")
        (worker,) = live.worker_pids()
        os.kill(worker, signal.SIGKILL)
        assert count_of(httpx.get(live.url, params={"query": count}, timeout=60)) == "1"
        assert live.worker_pids() != [worker]
