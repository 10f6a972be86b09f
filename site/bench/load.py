"""One timed run of one page at a fixed concurrency, with locust as a library.

    python site/bench/load.py SCENARIO SESSIONS SECONDS WARMUP USERS OUT

SESSIONS is the JSON site/bench/run.py writes: the server's address, its
processes' ids and, for each viewer, the Cookie header and CSRF token of a real
signed-in session.
USERS simulated users each send their next request as soon as the last one is
answered. Nothing is recorded during the first WARMUP seconds. Every response
but a 2xx counts as a failure. Writes the run's numbers, as JSON, to OUT,
with the CPU (in cores) the server, this process and anything else used.
"""

import itertools
import json
import math
import sys
import time

import gevent
from cpu import Meter
from locust import FastHttpUser, constant, events, task
from locust.env import Environment

from scenarios import scenarios


class Recorder:
    """Response times of the requests that finish while recording is on."""

    def __init__(self):
        self.recording = False
        self.times: list[float] = []
        self.failures = 0
        self.examples: list[str] = []

    def __call__(self, response_time, exception, name, request_type, **_kwargs):
        # A failure during the warm-up fails the run as well.
        if exception is not None:
            self.failures += 1
            if len(self.examples) < 5:
                self.examples.append(f"{request_type} {name}: {exception}")
        elif self.recording:
            self.times.append(response_time)


def percentile(ordered: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not ordered:
        return float("nan")
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def run(
    scenario: str,
    sessions: dict,
    seconds: float,
    warmup: float,
    users: int,
    server_roots: list[int],
):
    make = scenarios(sessions)[scenario]
    numbers = itertools.count()

    class Visitor(FastHttpUser):
        host = sessions["host"]
        wait_time = constant(0)
        network_timeout = 30.0
        connection_timeout = 10.0

        def on_start(self):
            self.next_request = make(next(numbers))
            self.flip = False

        @task
        def visit(self):
            self.flip = not self.flip
            method, path, headers, body = self.next_request(self.flip)
            with self.client.request(
                method,
                path,
                name=scenario,
                headers=headers,
                data=body,
                catch_response=True,
                allow_redirects=False,
            ) as response:
                status = response.status_code or 0
                if not 200 <= status < 300:
                    answer = f"HTTP {status}" if status else "no answer"
                    response.failure(f"{answer} for {path}")

    recorder = Recorder()
    events.request.add_listener(recorder)
    env = Environment(user_classes=[Visitor], events=events)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=100)
    gevent.sleep(warmup)

    meter = Meter(server_roots)
    meter.start()
    recorder.recording = True
    started = time.perf_counter()
    gevent.sleep(seconds)
    recorder.recording = False
    elapsed = time.perf_counter() - started
    cpu = meter.stop(elapsed)
    runner.quit()

    ordered = sorted(recorder.times)
    return {
        "scenario": scenario,
        "users": users,
        "seconds": round(elapsed, 3),
        "requests": len(ordered),
        "rps": len(ordered) / elapsed,
        "p50_ms": percentile(ordered, 0.50),
        "p95_ms": percentile(ordered, 0.95),
        "p99_ms": percentile(ordered, 0.99),
        "mean_ms": sum(ordered) / len(ordered) if ordered else float("nan"),
        "failures": recorder.failures,
        "failure_examples": recorder.examples,
        **cpu,
    }


if __name__ == "__main__":
    if len(sys.argv) != 7:
        raise SystemExit(__doc__)
    name, sessions_path, seconds, warmup, users, out = sys.argv[1:]
    with open(sessions_path) as file:
        loaded = json.load(file)
    roots = [int(pid) for pid in loaded["server_pids"]]
    result = run(name, loaded, float(seconds), float(warmup), int(users), roots)
    with open(out, "w") as file:
        json.dump(result, file, indent=2)
