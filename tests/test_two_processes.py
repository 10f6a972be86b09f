"""Two gunicorn processes sharing one PostgreSQL database and one Redis database.

This is how the site scales past one process: the app processes keep no
state of their own, so a player may land on either of them from one request
to the next. Both run the production settings, configured through the
environment only, and are driven over real HTTP.
"""

import http.client
import json
import os
import re
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest

from tests.services import (
    BASE_DIR,
    django_json,
    free_port,
    fresh_postgres_database,
    manage,
    needs_postgres,
    worker_number,
)

pytestmark = [
    pytest.mark.slow,
    needs_postgres,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="needs Redis: REDIS_URL is not set; run the suite under "
        "`site/services.sh run` (make test-postgres)",
    ),
]

USERNAME = "nusrat"
PASSWORD = "orange-kite-Dhaka-2026"
# Three settings saves per player, counted across both processes. The window is
# long enough (about 31 years) that no test run straddles two of them.
SAVES_ALLOWED = 3
SAVE_WINDOW = 1_000_000_000

CREATE_PLAYER = """
import os
from allauth.account.models import EmailAddress
from profiles.models import User

user = User.objects.create_user(
    os.environ["PLAYER"], f"{os.environ['PLAYER']}@example.com",
    os.environ["PLAYER_PASSWORD"],
)
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
result = user.profile.display_name
"""


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    text: str

    def json(self):
        return json.loads(self.text)


class Visitor:
    """One browser's cookies, carried by hand between the two processes.

    The site's cookies are marked Secure, and a cookie jar would rightly keep
    them off these plain-HTTP loopback requests.
    """

    def __init__(self):
        self.cookies = {}

    def request(self, port, method, path, body=None, headers=None) -> Answer:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            origin = f"http://127.0.0.1:{port}"
            headers.setdefault("Origin", origin)
            headers.setdefault("Referer", f"{origin}{path}")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            answer = Answer(response.status, response.headers, response.read().decode())
        finally:
            conn.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return answer

    def get(self, port, path, **headers) -> Answer:
        return self.request(port, "GET", path, headers=headers)

    def save(self, port, section, changes, csrf_token) -> Answer:
        return self.request(
            port,
            "POST",
            f"/me/settings/{section}/",
            body=json.dumps(changes),
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "X-CSRFToken": csrf_token,
            },
        )


def form_token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def site_env(database_url, cache_url, secret_key, port, static_root) -> dict[str, str]:
    """What an operator would set for one app process: the environment only."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "deltacrown.settings.production",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "EMAIL_URL": "consolemail://",
        "SECURE_SSL_REDIRECT": "false",
        "DEBUG": "false",
        "SETTINGS_RATE_LIMIT": str(SAVES_ALLOWED),
        "SETTINGS_RATE_WINDOW": str(SAVE_WINDOW),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "STATIC_ROOT": str(static_root),
    }


class Gunicorn:
    """One gunicorn process with one worker, its output kept in a file."""

    def __init__(self, name, port, env, folder):
        self.name = name
        self.port = port
        self.log_path = folder / f"gunicorn-{name}.log"
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "site/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_until_ready(self, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(
                    f"gunicorn {self.name} exited with {self.process.returncode}"
                )
            try:
                if Visitor().get(self.port, "/healthz").status == HTTPStatus.OK:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        pytest.fail(f"gunicorn {self.name} did not answer /healthz in {timeout}s")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()
        # pytest shows this only when the test fails.
        print(f"----- gunicorn {self.name} log -----")
        print(self.log_path.read_text(errors="replace"))


@pytest.fixture
def redis_cache_url():
    """A Redis database of this worker's own, above the ones the suite uses."""
    import redis

    url = f"{os.environ['REDIS_URL'].rstrip('/')}/{40 + worker_number() % 24}"
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


@pytest.fixture
def two_sites(redis_cache_url, tmp_path):
    """Processes A and B on their own ports, over a freshly migrated database."""
    port_a, port_b = free_port(), free_port()
    secret_key = secrets.token_urlsafe(50)
    with fresh_postgres_database("two_processes") as database_url:
        static_root = tmp_path / "static"
        env_a = site_env(database_url, redis_cache_url, secret_key, port_a, static_root)
        env_b = site_env(database_url, redis_cache_url, secret_key, port_b, static_root)
        manage("migrate", "--noinput", env=env_a)
        # The production storage serves hashed file names from a manifest.
        manage("collectstatic", "--noinput", "--verbosity", "0", env=env_a)
        django_json(
            CREATE_PLAYER, {**env_a, "PLAYER": USERNAME, "PLAYER_PASSWORD": PASSWORD}
        )

        sites = []
        try:
            sites.append(Gunicorn("A", port_a, env_a, tmp_path))
            sites.append(Gunicorn("B", port_b, env_b, tmp_path))
            for site in sites:
                site.wait_until_ready()
            yield port_a, port_b
        finally:
            for site in sites:
                site.stop()


def test_a_player_moves_freely_between_two_app_processes(two_sites):
    a, b = two_sites
    player = Visitor()

    # Sign in on A, as a browser would: the form first, for its CSRF token.
    login_page = player.get(a, "/accounts/login/")
    assert login_page.status == HTTPStatus.OK
    signed_in = player.request(
        a,
        "POST",
        "/accounts/login/",
        body=urlencode(
            {
                "login": USERNAME,
                "password": PASSWORD,
                "csrfmiddlewaretoken": form_token(login_page.text),
            }
        ),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert signed_in.status == HTTPStatus.FOUND, signed_in.text[:2000]
    assert "sessionid" in player.cookies

    # (a) The session begun on A is good on B.
    settings_on_b = player.get(b, "/me/settings/")
    assert settings_on_b.status == HTTPStatus.OK, settings_on_b.headers.get("Location")
    assert f"@{USERNAME}" in settings_on_b.text

    # (b) A setting saved through A shows through B on the very next request,
    # even though B has just cached the page with the old name.
    before = Visitor().get(b, f"/@{USERNAME}/")
    assert before.status == HTTPStatus.OK
    assert "Nusrat the Bold" not in before.text
    token = form_token(player.get(a, "/me/settings/").text)

    saved = player.save(a, "basic", {"display_name": "Nusrat the Bold"}, token)

    assert saved.status == HTTPStatus.OK, saved.text
    assert saved.json()["data"]["display_name"] == "Nusrat the Bold"
    assert "Nusrat the Bold" in Visitor().get(b, f"/@{USERNAME}/").text
    read_on_b = player.get(b, "/me/settings/basic/", Accept="application/json")
    assert read_on_b.json()["data"]["display_name"] == "Nusrat the Bold"

    # (c) The settings rate limit counts saves made through either process.
    assert player.save(b, "basic", {"bio": "Second save, on B."}, token).status == (
        HTTPStatus.OK
    )
    assert player.save(a, "basic", {"bio": "Third save, on A."}, token).status == (
        HTTPStatus.OK
    )
    refused = player.save(b, "basic", {"bio": "One too many."}, token)
    assert refused.status == HTTPStatus.TOO_MANY_REQUESTS
    assert refused.json()["success"] is False
    bio = player.get(a, "/me/settings/basic/", Accept="application/json")
    assert bio.json()["data"]["bio"] == "Third save, on A."
