"""`make bench`: throughput, latency and worker memory of the production setup.

Starts PostgreSQL and Redis (site/services.sh), seeds BENCH_PLAYERS players
once per database, serves the site with gunicorn and the production settings
on one core, and drives it from another core with site/bench/load.py at a
fixed concurrency. Each page's run follows a run of /healthz, the cheapest
answer that still passes every middleware, so each page is also measured as a
share of what the same server managed just before. Three rounds; the table
shows medians. Any answer but a 2xx stops the benchmark with exit status 1.

Environment: BENCH_PLAYERS (10000), BENCH_SECONDS per run (15), BENCH_ROUNDS
(3), BENCH_WARMUP seconds before each run's recording starts (2),
BENCH_SERVER_CPUS (0) and BENCH_LOAD_CPUS (1) for taskset, BENCH_MAX_REQUESTS
(0: workers are never recycled; production's configuration says 2000), BENCH_OUT
(bench-results/latest.json), BENCH_PAGES (every page; or names from PAGES,
comma-separated, to measure only those, and check only their targets).
"""

import datetime
import http.cookies
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scenarios import scenarios  # noqa: E402 - lives beside this script

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "site" / "bench"
WORK = ROOT / ".bench"
PY = str(ROOT / ".venv" / "bin" / "python")
USERS = 8
BASELINE = "ping"
PAGES = [
    "profile-anonymous",
    "profile-member",
    "profile-follower",
    "profile-owner",
    "settings-page",
    "settings-get",
    "settings-post",
    "home",
]
LABELS = {
    "ping": "minimal view (/healthz)",
    "profile-anonymous": "profile, anonymous",
    "profile-member": "profile, member",
    "profile-follower": "profile, follower",
    "profile-owner": "profile, owner",
    "settings-page": "settings page",
    "settings-get": "settings section GET (JSON)",
    "settings-post": "settings section POST (JSON)",
    "home": "home page",
}
PROFILE_PAGES = [page for page in PAGES if page.startswith("profile-")]
UNCACHED_PROFILES = ["profile-member", "profile-follower", "profile-owner"]
SETTINGS_ENDPOINTS = ["settings-get", "settings-post"]
MEMORY_LIMIT_MB = 200
# A worker whose resident memory rose by less than this after the first round
# is flat.
FLAT_MB = 10
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
# Above this much CPU used by others during a run, the table says so. The
# kernel's own work for loopback traffic (about 0.1 cores at 1,200 requests a
# second) is counted as others', so an idle machine never reads zero.
OTHER_CORES_WARNING = 0.25


class BenchFailed(Exception):
    """A step that makes the numbers meaningless; the message says which."""


def main() -> int:
    players = int(os.environ.get("BENCH_PLAYERS", "10000"))
    seconds = float(os.environ.get("BENCH_SECONDS", "15"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "3"))
    warmup = float(os.environ.get("BENCH_WARMUP", "2"))
    server_cpus = os.environ.get("BENCH_SERVER_CPUS", "0")
    load_cpus = os.environ.get("BENCH_LOAD_CPUS", "1")
    out = Path(os.environ.get("BENCH_OUT", ROOT / "bench-results" / "latest.json"))
    pages = chosen_pages(os.environ.get("BENCH_PAGES", ""))
    started = time.monotonic()

    WORK.mkdir(exist_ok=True)
    services_dir = WORK / f"db-{players}"
    services = str(ROOT / "site" / "services.sh")
    # A run that was killed may have left this database's servers running.
    subprocess.run([services, "halt", str(services_dir)], check=True)
    # The database and cache run on the server's cores, never the load's.
    run_step(["taskset", "-c", server_cpus, services, "start", str(services_dir)])
    server = None
    try:
        env = server_env(read_env(services_dir / "env"))
        run_step([PY, "manage.py", "migrate", "--noinput", "-v0"], env)
        run_step([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        viewers_file = WORK / "viewers.json"
        run_step(
            [
                PY,
                str(BENCH / "prepare.py"),
                str(players),
                str(services_dir / "seeded"),
                str(viewers_file),
            ],
            env,
        )

        server = start_gunicorn(env, server_cpus)
        wait_until_ready(server, env["SITE_URL"])
        host = env["SITE_URL"]
        sessions = sign_in(host, json.loads(viewers_file.read_text()))
        sessions["server_pids"] = [server.pid, *service_pids(services_dir)]
        sessions_file = WORK / "sessions.json"
        sessions_file.write_text(json.dumps(sessions))
        check_every_page(sessions)

        memory = {"start": worker_memory(server.pid)}
        runs = []
        for round_number in range(1, rounds + 1):
            for page in pages:
                for scenario in (BASELINE, page):
                    result = load_run(
                        scenario, sessions_file, seconds, warmup, load_cpus
                    )
                    result["round"] = round_number
                    result["pair"] = page
                    runs.append(result)
                    print(progress_line(result, rounds), flush=True)
                    if server.poll() is not None:
                        raise BenchFailed("gunicorn exited during the run")
            memory[f"round {round_number}"] = worker_memory(server.pid)
        memory["end"] = memory[f"round {rounds}"]

        report = summarize(runs, memory, players, seconds, rounds, warmup, pages)
        report["duration_s"] = round(time.monotonic() - started)
        print_report(report)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2) + "\n")
        print(f"\nSaved {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
        return 0
    except BenchFailed as error:
        print(f"\nbench: FAILED: {error}", file=sys.stderr)
        return 1
    finally:
        if server is not None:
            stop_gunicorn(server)
        subprocess.run([services, "halt", str(services_dir)], check=False)


# Setting up ---------------------------------------------------------------


def chosen_pages(names: str) -> list[str]:
    if not names.strip():
        return PAGES
    chosen = [name.strip() for name in names.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in PAGES]
    if unknown:
        raise SystemExit(
            f"bench: BENCH_PAGES names no page {', '.join(unknown)}; "
            f"choose from {', '.join(PAGES)}"
        )
    return chosen


def run_step(command: list[str], env: dict | None = None) -> None:
    done = subprocess.run(command, cwd=ROOT, env=env)
    if done.returncode != 0:
        raise BenchFailed(f"{' '.join(command)} exited with {done.returncode}")


def read_env(path: Path) -> dict:
    values = {}
    for line in path.read_text().splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        values[name] = value
    return values


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(services: dict) -> dict:
    """The production settings, with limits raised only for this benchmark."""
    key_file = WORK / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
    port = free_port()
    (WORK / "prometheus").mkdir(exist_ok=True)
    return {
        **os.environ,
        "DATABASE_URL": services["DATABASE_URL"],
        "CACHE_URL": services["CACHE_URL"],
        "DJANGO_SETTINGS_MODULE": "deltacrown.settings.production",
        "SECRET_KEY": key_file.read_text().strip(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "EMAIL_URL": "consolemail://",
        "SECURE_SSL_REDIRECT": "off",
        "STATIC_ROOT": str(WORK / "staticfiles"),
        "PROMETHEUS_MULTIPROC_DIR": str(WORK / "prometheus"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        # Eight users save settings many times a second; sign-ins come from
        # one address. Both budgets are production's concern, not this test's.
        "SETTINGS_RATE_LIMIT": "1000000000",
        "LOGIN_RATE_LIMIT": "10000/m/ip",
        "LOGIN_FAILED_RATE_LIMIT": "10000/m/ip,10000/5m/key",
    }


def start_gunicorn(env: dict, cpus: str) -> subprocess.Popen:
    """gunicorn with site/gunicorn.conf.py, on the server's cores only.

    Workers are not recycled after max_requests here unless BENCH_MAX_REQUESTS
    asks for it: a recycled worker's start-up would land in the timings, and
    its memory could not be compared at the start and the end of the run.
    """
    log = open(WORK / "gunicorn.log", "w")  # noqa: SIM115 - closed with the process
    command = ["taskset", "-c", cpus, str(ROOT / ".venv" / "bin" / "gunicorn")]
    max_requests = os.environ.get("BENCH_MAX_REQUESTS", "0")
    command += ["--config", "site/gunicorn.conf.py", "--max-requests", max_requests]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )


def wait_until_ready(server: subprocess.Popen, host: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchFailed(f"gunicorn exited; see {WORK / 'gunicorn.log'}")
        try:
            if requests.get(host + "/readyz", timeout=10).ok:
                break
        except requests.RequestException:  # the workers are still starting
            pass
        time.sleep(0.5)
    else:
        raise BenchFailed("gunicorn did not answer /readyz within 90 s")
    # Every worker must be up before the first timed run.
    while len(worker_pids(server.pid)) < expected_workers(server.pid):
        time.sleep(0.2)
    time.sleep(2)


def service_pids(services_dir: Path) -> list[int]:
    """The PostgreSQL and Redis servers' process ids."""
    postmaster = services_dir / "pg" / "data" / "postmaster.pid"
    redis = services_dir / "redis" / "redis.pid"
    return [
        int(postmaster.read_text().split()[0]),
        int(redis.read_text().split()[0]),
    ]


def expected_workers(master: int) -> int:
    """What site/gunicorn.conf.py starts on the cores gunicorn was given."""
    cores = len(os.sched_getaffinity(master))
    return int(os.environ.get("WEB_CONCURRENCY", 2 * cores + 1))


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """Keeps cookies as a browser behind the TLS proxy would.

    The session and CSRF cookies are Secure, which requests would not send
    over plain HTTP, and a cookie set to expire (a read flash message) must
    go, or every later page would carry it.
    """

    def __init__(self, host: str):
        self.host = host
        self.origin = host.replace("http://", "https://")
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {**PROXY_HEADERS, **kwargs.pop("headers", {})}
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        answer = requests.request(
            method,
            self.host + path,
            headers=headers,
            allow_redirects=False,
            timeout=30,
            **kwargs,
        )
        for line in answer.raw.headers.getlist("Set-Cookie"):
            for name, morsel in http.cookies.SimpleCookie(line).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return answer

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())


def sign_in(host: str, viewers: dict) -> dict:
    """Real sessions through allauth's sign-in form, one per viewer."""

    def session_for(login: dict) -> dict:
        browser = Browser(host)
        page = browser.request("GET", "/accounts/login/")
        token = CSRF_INPUT.search(page.text)
        if page.status_code != 200 or token is None:
            raise BenchFailed(f"the sign-in page answered {page.status_code}")
        answer = browser.request(
            "POST",
            "/accounts/login/",
            data={
                "login": login["username"],
                "password": login["password"],
                "csrfmiddlewaretoken": token[1],
            },
            headers={
                "Origin": browser.origin,
                "Referer": browser.origin + "/accounts/login/",
            },
        )
        if answer.status_code != 302 or "sessionid" not in browser.cookies:
            raise BenchFailed(
                f"signing in as {login['username']} answered {answer.status_code}"
            )
        # The page signing in leads to shows, and so clears, the welcome message.
        browser.request("GET", answer.headers["Location"])
        settings = browser.request("GET", "/me/settings/")
        token = CSRF_INPUT.search(settings.text)
        if settings.status_code != 200 or token is None:
            raise BenchFailed(f"the settings page answered {settings.status_code}")
        return {
            "username": login["username"],
            "cookie": browser.cookie_header(),
            "csrf": token[1],
        }

    return {
        "host": host,
        "profile": viewers["profile"],
        "roles": {
            role: session_for(viewers[role]) for role in ("owner", "follower", "member")
        },
        "settings": [session_for(login) for login in viewers["settings"]],
    }


def check_every_page(sessions: dict) -> None:
    """Each scenario answered a few times, so that every worker has seen it."""
    for name, make in scenarios(sessions).items():
        for n in range(USERS):
            method, path, headers, body = make(n)(n % 2 == 0)
            answer = requests.request(
                method,
                sessions["host"] + path,
                headers=headers,
                data=body,
                allow_redirects=False,
                timeout=30,
            )
            if not 200 <= answer.status_code < 300:
                raise BenchFailed(
                    f"{name}: {method} {path} answered {answer.status_code}, "
                    "not 2xx, before the load started"
                )


# Measuring ----------------------------------------------------------------


def load_run(
    scenario: str, sessions_file: Path, seconds: float, warmup: float, cpus: str
) -> dict:
    out = WORK / "run.json"
    out.unlink(missing_ok=True)
    command = ["taskset", "-c", cpus, PY, str(BENCH / "load.py"), scenario]
    command += [str(sessions_file), str(seconds), str(warmup), str(USERS), str(out)]
    done = subprocess.run(command, cwd=ROOT)
    if done.returncode != 0 or not out.exists():
        raise BenchFailed(f"the load generator failed on {scenario}")
    result = json.loads(out.read_text())
    if result["failures"]:
        examples = "; ".join(result["failure_examples"])
        raise BenchFailed(
            f"{result['failures']} non-2xx answers or errors on {scenario}: {examples}"
        )
    if not result["requests"]:
        raise BenchFailed(f"no request to {scenario} finished in {seconds} s")
    return result


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()]


def worker_memory(master: int) -> dict:
    """Resident and peak resident memory of each worker, in MB."""
    memory = {}
    for pid in worker_pids(master):
        fields = {}
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:  # a recycled worker that has just exited
            continue
        for line in status.splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(value.split()[0]) / 1024
        if "VmRSS" not in fields:  # exited, not yet reaped: no memory left
            continue
        memory[str(pid)] = {
            "rss_mb": round(fields["VmRSS"], 1),
            "peak_mb": round(fields["VmHWM"], 1),
        }
    return memory


def progress_line(result: dict, rounds: int) -> str:
    return (
        f"round {result['round']}/{rounds}  {result['scenario']:<18} "
        f"{result['rps']:8.1f} req/s  p50 {result['p50_ms']:6.1f} ms  "
        f"p95 {result['p95_ms']:6.1f} ms  p99 {result['p99_ms']:6.1f} ms  "
        f"cores: server {result['server_cores']:.2f} load "
        f"{result['load_cores']:.2f} other {result['other_cores']:.2f}"
    )


# Reporting ----------------------------------------------------------------


def summarize(runs, memory, players, seconds, rounds, warmup, chosen) -> dict:
    pages = {}
    for scenario in [BASELINE, *chosen]:
        own = [run for run in runs if run["scenario"] == scenario]
        entry = {
            key: statistics.median(run[key] for run in own)
            for key in ("rps", "p50_ms", "p95_ms", "p99_ms", "mean_ms")
        }
        entry["requests"] = sum(run["requests"] for run in own)
        for key in ("server_cores", "load_cores"):
            entry[key] = statistics.median(run[key] for run in own)
        entry["other_cores_max"] = max(run["other_cores"] for run in own)
        if scenario != BASELINE:
            # Each page against the minimal view's run just before it.
            ratios = []
            for run in own:
                baseline = next(
                    b
                    for b in runs
                    if b["scenario"] == BASELINE
                    and b["pair"] == scenario
                    and b["round"] == run["round"]
                )
                ratios.append(run["rps"] / baseline["rps"])
            entry["ratio"] = statistics.median(ratios)
        pages[scenario] = entry

    start, end = memory["start"], memory["end"]
    # Round 1 fills each worker's caches and allocator; growth after it, when
    # every page has been served thousands of times, is what a leak looks like.
    settled = memory["round 1"] if rounds > 1 else start
    workers = {
        pid: {
            "start_rss_mb": start[pid]["rss_mb"] if pid in start else None,
            "after_round_1_rss_mb": settled[pid]["rss_mb"] if pid in settled else None,
            "end_rss_mb": end[pid]["rss_mb"],
            "peak_mb": end[pid]["peak_mb"],
            "growth_mb": round(end[pid]["rss_mb"] - settled[pid]["rss_mb"], 1)
            if pid in settled
            else None,
        }
        for pid in end
    }
    replaced = sorted(set(start) ^ set(end))
    peak = max(worker["peak_mb"] for worker in workers.values())
    growth = max(
        (w["growth_mb"] for w in workers.values() if w["growth_mb"] is not None),
        default=None,
    )
    flat = not replaced and growth is not None and growth < FLAT_MB

    targets = []

    def target(name, measured, limit, passed, unit):
        targets.append(
            {
                "target": name,
                "measured": round(measured, 3),
                "limit": limit,
                "unit": unit,
                "pass": bool(passed),
            }
        )

    for page in (page for page in PROFILE_PAGES if page in pages):
        p95 = pages[page]["p95_ms"]
        target(f"{LABELS[page]}: p95 under 50 ms", p95, 50, p95 < 50, "ms")
    for page in (page for page in UNCACHED_PROFILES if page in pages):
        ratio = pages[page]["ratio"]
        target(
            f"{LABELS[page]}: at least 8% of the minimal view",
            ratio * 100,
            8,
            ratio >= 0.08,
            "%",
        )
    if "profile-anonymous" in pages:
        ratio = pages["profile-anonymous"]["ratio"]
        target(
            "profile, anonymous (cached): at least 50% of the minimal view",
            ratio * 100,
            50,
            ratio >= 0.5,
            "%",
        )
    for page in (page for page in SETTINGS_ENDPOINTS if page in pages):
        p95 = pages[page]["p95_ms"]
        target(f"{LABELS[page]}: p95 under 20 ms", p95, 20, p95 < 20, "ms")
    target(
        f"worker peak memory under {MEMORY_LIMIT_MB} MB",
        peak,
        MEMORY_LIMIT_MB,
        peak < MEMORY_LIMIT_MB,
        "MB",
    )
    target(
        f"worker memory flat (grew under {FLAT_MB} MB after round 1)",
        growth if growth is not None else float("nan"),
        FLAT_MB,
        flat,
        "MB",
    )

    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "settings": {
            "players": players,
            "seconds_per_run": seconds,
            "warmup_s": warmup,
            "rounds": rounds,
            "users": USERS,
            "server_cpus": os.environ.get("BENCH_SERVER_CPUS", "0"),
            "load_cpus": os.environ.get("BENCH_LOAD_CPUS", "1"),
            "workers": len(end),
            "max_requests": int(os.environ.get("BENCH_MAX_REQUESTS", "0")),
        },
        "pages": pages,
        "memory": {
            "workers": workers,
            "peak_mb": peak,
            "max_growth_mb": growth,
            "replaced_workers": replaced,
            "flat": flat,
            "samples": memory,
        },
        "targets": targets,
        "runs": runs,
    }


def git_commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def print_report(report: dict) -> None:
    settings = report["settings"]
    print(
        f"\nDeltaCrown benchmark, {report['date']}, commit {report['commit']}: "
        f"{settings['players']} players, {settings['users']} users, "
        f"{settings['workers']} workers on CPU {settings['server_cpus']}, "
        f"load on CPU {settings['load_cpus']}, {settings['rounds']} rounds of "
        f"{settings['seconds_per_run']:g} s per run; medians\n"
    )
    header = (
        f"{'page':<30} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'of minimal':>10} {'server':>7} {'load':>6} {'other':>6}"
    )
    print(header)
    print("-" * len(header))
    for scenario, entry in report["pages"].items():
        ratio = f"{entry['ratio'] * 100:9.1f}%" if "ratio" in entry else f"{'':>10}"
        print(
            f"{LABELS[scenario]:<30} {entry['rps']:8.1f} {entry['p50_ms']:8.1f} "
            f"{entry['p95_ms']:8.1f} {entry['p99_ms']:8.1f} {ratio} "
            f"{entry['server_cores']:7.2f} {entry['load_cores']:6.2f} "
            f"{entry['other_cores_max']:6.2f}"
        )
    print(
        "server, load: cores busy (median); other: the most any run saw used by "
        "processes outside the benchmark"
    )
    other = max(entry["other_cores_max"] for entry in report["pages"].values())
    if other > OTHER_CORES_WARNING:
        print(
            f"WARNING: other processes used up to {other:.2f} cores during a run; "
            "these numbers are lower and noisier than on an idle machine."
        )

    memory = report["memory"]
    print("\nWorker memory (MB): pid  start -> after round 1 -> end RSS  (peak)")
    for pid, worker in memory["workers"].items():
        start, settled = worker["start_rss_mb"], worker["after_round_1_rss_mb"]
        print(
            f"  {pid:>8}  {start if start is not None else 'new':>7} -> "
            f"{settled if settled is not None else 'new':>7} -> "
            f"{worker['end_rss_mb']:.1f}  ({worker['peak_mb']:.1f})"
        )
    if memory["replaced_workers"]:
        print(f"  workers replaced during the run: {memory['replaced_workers']}")

    print("\nTargets (reported, not enforced)")
    for item in report["targets"]:
        verdict = "PASS" if item["pass"] else "FAIL"
        print(f"  {verdict}  {item['target']}: {item['measured']:.1f} {item['unit']}")
    print(f"\nTook {report['duration_s'] // 60} min {report['duration_s'] % 60} s.")


if __name__ == "__main__":
    sys.exit(main())
