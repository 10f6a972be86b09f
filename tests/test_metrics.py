"""Prometheus metrics: the private /metrics page, the product's counters, and
several gunicorn workers adding up to one count."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus
from pathlib import Path

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest
from prometheus_client.parser import text_string_to_metric_families

from deltacrown import metrics
from profiles.models import PrivacySettings
from tests.factories import PASSWORD, UserFactory

TOKEN = "scrape-token-for-the-tests-0123456789"
REPO = Path(__file__).resolve().parent.parent
JSON = {"HTTP_ACCEPT": "application/json"}


class Scrape:
    """One scrape of /metrics, read with prometheus_client's own parser."""

    def __init__(self, text: str):
        self.text = text
        self.samples = {}
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                key = (sample.name, frozenset(sample.labels.items()))
                self.samples[key] = sample.value

    def names(self) -> set[str]:
        return {name for name, _labels in self.samples}

    def get(self, name: str, **labels) -> float:
        """A sample's value; a sample that is missing fails the test."""
        key = (name, frozenset(labels.items()))
        assert key in self.samples, f"{name}{labels} is not in the scrape"
        return self.samples[key]

    def get_or_zero(self, name: str, **labels) -> float:
        """For series that appear only once something happened (per-view ones)."""
        return self.samples.get((name, frozenset(labels.items())), 0.0)


def scrape(client=None) -> Scrape:
    response = (client or Client()).get(
        "/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}"
    )
    assert response.status_code == HTTPStatus.OK
    return Scrape(response.content.decode())


def find_promtool() -> str:
    """promtool, from Debian's prometheus package; installed when absent and root."""
    found = shutil.which("promtool")
    if found:
        return found
    apt_get = shutil.which("apt-get")
    if os.geteuid() != 0 or apt_get is None:
        pytest.skip(
            "promtool is missing and only root can install it: "
            "apt-get install -y prometheus"
        )

    def apt(*args: str) -> subprocess.CompletedProcess:
        # Commands and arguments here are the tests' own; S603 guards input.
        return subprocess.run(  # noqa: S603
            [apt_get, "-o", "DPkg::Lock::Timeout=300", *args],
            capture_output=True,
            text=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            check=False,
        )

    installed = apt("install", "-y", "prometheus")
    if installed.returncode != 0:
        # A fresh machine has no package lists yet.
        apt("update")
        installed = apt("install", "-y", "prometheus")
    found = shutil.which("promtool")
    if found is None:
        pytest.skip(f"apt-get could not install prometheus: {installed.stderr[-300:]}")
    return found


@pytest.fixture(autouse=True)
def _metrics_token(settings):
    settings.METRICS_TOKEN = TOKEN


@pytest.fixture
def promtool() -> str:
    return find_promtool()


# Who may scrape.


@pytest.mark.django_db
@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer wrong-token-of-the-same-kind-0123456789",
        f"Bearer {TOKEN}x",
        f"Basic {TOKEN}",
        f"{TOKEN}",
        "Bearer ",
    ],
)
def test_metrics_without_the_token_is_like_any_missing_page(authorization):
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}

    response = Client().get("/metrics", **headers)

    missing = Client().get("/no-such-page/")
    assert response.status_code == missing.status_code == HTTPStatus.NOT_FOUND
    assert response.content == missing.content
    assert response["Content-Type"] == missing["Content-Type"]
    assert TOKEN not in response.content.decode()


@pytest.mark.django_db
def test_metrics_is_off_when_no_token_is_set(settings):
    settings.METRICS_TOKEN = ""

    assert Client().get("/metrics").status_code == HTTPStatus.NOT_FOUND
    assert (
        Client().get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code
        == HTTPStatus.NOT_FOUND
    )


@pytest.mark.django_db
def test_metrics_with_the_token_is_the_uncached_text_format():
    response = Client().get("/metrics", HTTP_AUTHORIZATION=f"bearer {TOKEN}")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/plain; version=")
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert "# TYPE deltacrown_profile_views_total counter" in body
    assert "# TYPE django_http_requests_latency_seconds_by_view_method histogram" in (
        body
    )


@pytest.mark.django_db
def test_metrics_refuses_to_be_changed():
    response = Client().post("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
def test_scrapes_and_probes_are_neither_page_views_nor_measured():
    client = Client()
    before = scrape(client)
    client.get("/healthz")
    client.get("/readyz")
    after = scrape(client)

    for role in metrics.PROFILE_ROLES:
        assert after.get("deltacrown_profile_views_total", role=role) == before.get(
            "deltacrown_profile_views_total", role=role
        )
    for view in ("metrics", "healthz", "readyz"):
        assert (
            "deltacrown_db_queries_per_request_count",
            frozenset({("view", view)}),
        ) not in after.samples


def test_scrape_passes_promtool_check_metrics(promtool, player):
    Client().get("/@Rakib/")
    text = scrape().text

    checked = subprocess.run(  # noqa: S603
        [promtool, "check", "metrics"],
        input=text,
        capture_output=True,
        text=True,
        check=False,
    )

    assert checked.returncode == 0, checked.stdout + checked.stderr


# The product's counters, after real requests.


def test_profile_views_are_counted_by_viewer_role(player, player_client):
    member = Client()
    member.force_login(UserFactory(username="visitor"))
    before = scrape()

    Client().get("/@Rakib/")
    Client().get("/@rakib/")  # redirects to /@Rakib/: not a view of its own
    Client().get("/@nobody-here/")
    member.get("/@Rakib/")
    player_client.get("/@Rakib/")
    player_client.get("/@Rakib/?view_as=anonymous")

    after = scrape()
    views = {
        role: after.get("deltacrown_profile_views_total", role=role)
        - before.get("deltacrown_profile_views_total", role=role)
        for role in metrics.PROFILE_ROLES
    }
    assert views == {"anonymous": 1, "member": 1, "owner": 2}


def test_a_hidden_profile_is_not_counted_as_viewed(player):
    PrivacySettings.objects.filter(profile=player.profile).update(
        profile_visibility="hidden"
    )
    before = scrape()

    assert Client().get("/@Rakib/").status_code == HTTPStatus.NOT_FOUND

    after = scrape()
    name = "deltacrown_profile_views_total"
    assert after.get(name, role="anonymous") == before.get(name, role="anonymous")


def test_settings_saves_are_counted_by_section_and_outcome(player, player_client):
    name = "deltacrown_settings_saves_total"
    before = scrape()

    def post_json(client, section, payload):
        return client.post(
            f"/me/settings/{section}/", json.dumps(payload), "application/json", **JSON
        )

    statuses = [
        post_json(player_client, "basic", {"bio": "IGL"}).status_code,
        post_json(player_client, "basic", {"display_name": "x" * 500}).status_code,
        post_json(Client(), "basic", {"bio": "x"}).status_code,
        post_json(player_client, "nowhere", {"bio": "x"}).status_code,
    ]
    form = player_client.post(
        "/me/settings/notifications/", {"_fields": ""}, HTTP_ACCEPT="text/html"
    )
    html_save = player_client.post(
        "/me/settings/basic/",
        {"_fields": "bio", "bio": "Dhaka"},
        HTTP_ACCEPT="text/html",
    )

    assert statuses == [200, 400, 401, 404]
    assert html_save.status_code == HTTPStatus.FOUND
    assert form.status_code == HTTPStatus.BAD_REQUEST
    after = scrape()

    def delta(section, outcome):
        labels = {"section": section, "outcome": outcome}
        return after.get(name, **labels) - before.get(name, **labels)

    assert delta("basic", "saved") == 2
    assert delta("basic", "invalid") == 1
    assert delta("basic", "refused") == 1
    assert delta("notifications", "invalid") == 1
    sections = {dict(labels).get("section") for _name, labels in after.samples}
    assert "nowhere" not in sections


def test_settings_save_without_csrf_token_is_refused_and_counted(csrf_client):
    before = scrape()

    response = csrf_client.post(
        "/me/settings/basic/", json.dumps({"bio": "x"}), "application/json", **JSON
    )

    after = scrape()
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert (
        after.get("deltacrown_csrf_rejections_total")
        - before.get("deltacrown_csrf_rejections_total")
        == 1
    )
    labels = {"section": "basic", "outcome": "refused"}
    assert (
        after.get("deltacrown_settings_saves_total", **labels)
        - before.get("deltacrown_settings_saves_total", **labels)
        == 1
    )


def test_logins_through_the_sign_in_page_are_counted(player):
    before = scrape()

    wrong = Client().post("/accounts/login/", {"login": "Rakib", "password": "nope"})
    right = Client().post("/accounts/login/", {"login": "Rakib", "password": PASSWORD})

    after = scrape()
    assert wrong.status_code == HTTPStatus.OK
    assert right.status_code == HTTPStatus.FOUND
    name = "deltacrown_logins_total"
    assert after.get(name, outcome="failure") - before.get(name, outcome="failure") == 1
    assert after.get(name, outcome="success") - before.get(name, outcome="success") == 1


def test_follows_requests_and_accepts_are_counted(player, player_client):
    fan, other = Client(), Client()
    fan.force_login(UserFactory(username="fan"))
    other.force_login(UserFactory(username="other"))
    before = scrape()

    fan.post("/@Rakib/follow/", **JSON)
    fan.post("/@Rakib/follow/", **JSON)  # already following: nothing new
    PrivacySettings.objects.filter(profile=player.profile).update(
        approve_followers=True
    )
    other.post("/@Rakib/follow/", **JSON)
    accepted = player_client.post("/@Rakib/followers/other/accept/", **JSON)

    assert accepted.status_code == HTTPStatus.OK
    after = scrape()
    name = "deltacrown_follows_total"
    counted = {
        action: after.get(name, action=action) - before.get(name, action=action)
        for action in ("follow", "request", "accept")
    }
    assert counted == {"follow": 1, "request": 1, "accept": 1}


def test_ended_follows_are_counted_by_how_they_ended(player, player_client):
    fans = {}
    for name in ("leaver", "asker", "dropped"):
        fans[name] = Client()
        fans[name].force_login(UserFactory(username=name))
        fans[name].post("/@Rakib/follow/", **JSON)
    PrivacySettings.objects.filter(profile=player.profile).update(
        approve_followers=True
    )
    fans["asker"].post("/@Rakib/unfollow/", **JSON)
    fans["asker"].post("/@Rakib/follow/", **JSON)  # now a request
    before = scrape()

    fans["leaver"].post("/@Rakib/unfollow/", **JSON)
    fans["leaver"].post("/@Rakib/unfollow/", **JSON)  # nothing left to end
    player_client.post("/@Rakib/followers/asker/decline/", **JSON)
    player_client.post("/@Rakib/followers/dropped/remove/", **JSON)

    after = scrape()
    name = "deltacrown_follows_total"
    counted = {
        action: after.get(name, action=action) - before.get(name, action=action)
        for action in ("unfollow", "decline", "remove")
    }
    assert counted == {"unfollow": 1, "decline": 1, "remove": 1}


def test_refused_wallet_numbers_are_counted_once_each(player_client):
    name = "deltacrown_wallet_validation_failures_total"
    before = scrape()

    refused = player_client.post(
        "/me/settings/wallet/",
        json.dumps({"bkash_number": "01212345678", "nagad_number": "12"}),
        content_type="application/json",
        **JSON,
    )
    saved = player_client.post(
        "/me/settings/wallet/",
        json.dumps({"bkash_number": "01712345678"}),
        content_type="application/json",
        **JSON,
    )

    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert saved.status_code == HTTPStatus.OK
    assert scrape().get(name) - before.get(name) == 2


def test_privacy_changes_are_counted_by_section_and_new_audience(player_client):
    name = "deltacrown_privacy_changes_total"
    before = scrape()

    def save(payload):
        response = player_client.post(
            "/me/settings/privacy/", json.dumps(payload), "application/json", **JSON
        )
        assert response.status_code == HTTPStatus.OK

    save({"about": "followers"})
    save({"about": "followers"})  # the same again: no change
    save({"profile_visibility": "members", "searchable": False})

    after = scrape()
    changed = {
        (dict(labels)["section"], dict(labels)["audience"]): value
        - before.samples.get((sample, labels), 0.0)
        for (sample, labels), value in after.samples.items()
        if sample == name and value != before.samples.get((sample, labels))
    }
    assert changed == {("about", "followers"): 1, ("profile", "members"): 1}


def test_password_reset_requests_are_counted(player):
    before = scrape()

    Client().post("/accounts/password/reset/", {"email": "rakib@example.com"})
    Client().post("/accounts/password/reset/", {"email": "nobody@example.com"})
    Client().post("/accounts/password/reset/", {"email": "not an address"})

    after = scrape()
    name = "deltacrown_password_reset_requests_total"
    assert after.get(name) - before.get(name) == 2


def test_queries_per_request_match_what_the_database_saw(player, player_client):
    player_client.get("/@Rakib/")  # the first request loads the session
    name = "deltacrown_db_queries_per_request"
    view = {"view": "profiles:profile"}
    before = scrape()

    with CaptureQueriesContext(connection) as queries:
        player_client.get("/@Rakib/")
    seen = len(queries)  # read now: the next request clears the log it reads

    after = scrape()
    assert seen > 0
    assert after.get(f"{name}_count", **view) - before.get(f"{name}_count", **view) == 1
    assert after.get(f"{name}_sum", **view) - before.get(f"{name}_sum", **view) == seen


def test_postgresql_queries_are_counted_by_django_prometheus(player):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run the suite under `site/services.sh run`")
    labels = {"alias": "default", "vendor": "postgresql"}
    before = scrape()

    Client().get("/@Rakib/")

    after = scrape()
    executed = after.get("django_db_execute_total", **labels)
    assert executed > before.get("django_db_execute_total", **labels)


@pytest.mark.django_db
def test_functions_for_other_code_count_and_refuse_unknown_labels():
    before = scrape()

    metrics.record_wallet_rejection()
    metrics.record_follow("unfollow")
    metrics.record_follow("remove")
    with pytest.raises(ValueError, match="not a known follow action"):
        metrics.record_follow("delete")
    with pytest.raises(ValueError, match="not a known settings section"):
        metrics.record_settings_save("Rakib", "saved")
    with pytest.raises(ValueError, match="not a known audience"):
        metrics.record_privacy_change("about", "hidden")

    after = scrape()
    name = "deltacrown_wallet_validation_failures_total"
    assert after.get(name) - before.get(name) == 1
    for action in ("unfollow", "remove"):
        follows = after.get("deltacrown_follows_total", action=action)
        assert follows - before.get("deltacrown_follows_total", action=action) == 1
    sections = {dict(labels).get("section") for _name, labels in after.samples}
    assert "Rakib" not in sections


# Configuration mistakes.


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=REPO,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "deltacrown.settings.test", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.slow
def test_a_short_metrics_token_stops_the_site_from_starting():
    started = run_python("import django; django.setup()", METRICS_TOKEN="guessable")

    assert started.returncode != 0
    assert "METRICS_TOKEN must be 32 or more random characters" in started.stderr
    assert "guessable" not in started.stderr


@pytest.mark.slow
def test_a_missing_metrics_directory_is_named(tmp_path):
    missing = tmp_path / "not-made"

    started = run_python(
        "import django; django.setup()", PROMETHEUS_MULTIPROC_DIR=str(missing)
    )

    assert started.returncode != 0
    assert "PROMETHEUS_MULTIPROC_DIR must name an existing directory" in (
        started.stderr
    )


# Several gunicorn workers.

# The site's own gunicorn settings, with the hooks from deltacrown/metrics.py;
# the access log also names the worker that served each request.
GUNICORN = [
    sys.executable,
    "-m",
    "gunicorn",
    "--config",
    "site/gunicorn.conf.py",
    "--access-logformat",
    "served-by %(p)s %(U)s %(s)s",
]

# What a previous run left in the directory; starting gunicorn must clear it.
STALE_COUNTS = """
from prometheus_client import Counter
responses = Counter(
    "django_http_responses_total_by_status_view_method",
    "",
    ["status", "view", "method"],
)
responses.labels("200", "healthz", "GET").inc(1000)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """A gunicorn master and its workers, with their log collected as it comes."""

    def __init__(self, env: dict):
        self.lines: list[str] = []
        self.process = subprocess.Popen(  # noqa: S603
            GUNICORN,
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_for(self, pattern: str, count: int = 1, timeout: float = 60) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [m for line in self.lines if (m := re.search(pattern, line))]
            if len(found) >= count:
                return found
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(
            f"no {pattern!r} in gunicorn's log:\n{''.join(self.lines)}"
        )

    def stop(self):
        """Quick shutdown: a worker still loading the app need not finish first."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            self.process.wait(timeout=30)


def gunicorn_env(tmp_path, **extra) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PROMETHEUS_MULTIPROC_DIR", "METRICS_PORT")
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "deltacrown.settings.test",
        # Nothing here reaches the database; this keeps it off the real ones.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "METRICS_TOKEN": TOKEN,
        "PYTHONPATH": str(REPO),
        "GUNICORN_BIND": "127.0.0.1:0",
        "WEB_CONCURRENCY": "2",
        **extra,
    }


def fetch(url: str, token: str | None = None) -> str:
    # Always an http:// address the test built itself.
    request = urllib.request.Request(url)  # noqa: S310
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.read().decode()


@pytest.mark.slow
def test_two_gunicorn_workers_add_up_to_one_count(tmp_path):
    counts = tmp_path / "prometheus"
    counts.mkdir()
    metrics_port = free_port()
    env = gunicorn_env(
        tmp_path,
        PROMETHEUS_MULTIPROC_DIR=str(counts),
        METRICS_PORT=str(metrics_port),
    )
    subprocess.run([sys.executable, "-c", STALE_COUNTS], env=env, check=True)  # noqa: S603
    assert list(counts.glob("counter_*.db"))

    server = Gunicorn(env)
    try:
        port = server.wait_for(r"Listening at: http://127\.0\.0\.1:(\d+)")[0][1]
        site = f"http://127.0.0.1:{port}"
        workers = server.wait_for(r"Booting worker with pid: (\d+)", count=2)

        # Requests in parallel, until each worker has served some.
        served = 0
        with ThreadPoolExecutor(4) as pool:
            while served < 400:
                list(pool.map(fetch, [f"{site}/healthz"] * 8))
                served += 8
                time.sleep(0.2)
                pids = {m[1] for m in server.wait_for(r"served-by <(\d+)> /healthz")}
                if len(pids) == 2:
                    break
        assert pids == {m[1] for m in workers}, "one worker served every request"
        server.wait_for(r"served-by <\d+> /healthz 200", count=served)

        labels = {"status": "200", "view": "healthz", "method": "GET"}
        name = "django_http_responses_total_by_status_view_method_total"
        through_site = Scrape(fetch(f"{site}/metrics", TOKEN))
        through_port = Scrape(fetch(f"http://127.0.0.1:{metrics_port}/"))
        assert through_site.get(name, **labels) == served
        assert through_port.get(name, **labels) == served

        # A worker that ends (here: killed, as max_requests would retire it)
        # takes none of its counts with it.
        os.kill(int(workers[0][1]), signal.SIGTERM)
        server.wait_for(r"Booting worker with pid: (\d+)", count=3)
        assert Scrape(fetch(f"{site}/metrics", TOKEN)).get(name, **labels) == served
    finally:
        server.stop()

    assert server.process.returncode == 0


@pytest.mark.slow
def test_metrics_port_without_a_metrics_directory_stops_gunicorn(tmp_path):
    server = Gunicorn(gunicorn_env(tmp_path, METRICS_PORT=str(free_port())))
    try:
        server.process.wait(timeout=60)
    finally:
        server.stop()

    assert server.process.returncode != 0
    server.wait_for(r"METRICS_PORT needs PROMETHEUS_MULTIPROC_DIR")
