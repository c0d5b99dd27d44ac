"""Under load: 20 concurrent clients x 200 mixed requests each, zero 5xx and every answer right,
against a server with the settings users get (no option given: 2 workers, 10 s timeout, 5 s queue wait)."""

import itertools
import random
from concurrent.futures import ThreadPoolExecutor

import httpx

from live_server import running_server
from load_mix import probes

CLIENTS = 20
REQUESTS_PER_CLIENT = 200


def test_concurrent_mixed_load(project, graph):
    mix = probes(project, graph)
    with running_server() as url:

        def client(seed: int) -> list[str]:
            chooser = random.Random(seed)  # deterministic per client
            problems = []
            with httpx.Client(timeout=120) as http:
                for _ in range(REQUESTS_PER_CLIENT):
                    probe = chooser.choice(mix)
                    response = probe.send(http, url)
                    if response.status_code >= 500:
                        problems.append(f"{probe.name}: {response.status_code} {response.text[:80]}")
                    elif (problem := probe.check(response)) is not None:
                        problems.append(problem)
            return problems

        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            problems = list(itertools.chain.from_iterable(pool.map(client, range(CLIENTS))))
    assert problems == [], problems[:10]
