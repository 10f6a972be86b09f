"""Production settings: a clean deploy check, clear refusals, gunicorn as served.

Each test starts a fresh Python process with deltacrown.settings.production and
an environment of its own, as an operator's deploy would.
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE_URL = "https://deltacrown.gg"

# Only these pass through from the environment running the tests: a deploy
# variable set there (DATABASE_URL, CACHE_URL, DEBUG...) must not leak in.
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")

pytestmark = pytest.mark.slow


def production_env(tmp_path: Path, **changes: str | None) -> dict[str, str]:
    """A complete production environment; a change of None removes the variable."""
    env = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    env |= {
        "DJANGO_SETTINGS_MODULE": "deltacrown.settings.production",
        "PYTHONDONTWRITEBYTECODE": "1",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "deltacrown.gg,www.deltacrown.gg",
        "SITE_URL": SITE_URL,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        # Nothing listens on this port: the checks must not need the cache.
        "CACHE_URL": "redis://127.0.0.1:1/0",
        "EMAIL_URL": "smtp+tls://mailer:mail-password@smtp.example.com:587",
    }
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_settings(env: dict[str, str], *names: str) -> dict:
    """The values production.py gives ``names`` under ``env``, read in a subprocess."""
    script = (
        "import json, sys\n"
        "from django.conf import settings\n"
        "print(json.dumps({n: getattr(settings, n) for n in sys.argv[1:]}))\n"
    )
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-c", script, *names],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize("cache", ["redis://127.0.0.1:1/0", "filecache://{tmp}"])
def test_deploy_check_reports_nothing(tmp_path, cache):
    cache_url = cache.format(tmp=tmp_path / "cache")

    result = manage(production_env(tmp_path, CACHE_URL=cache_url), "check", "--deploy")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert "WARNINGS" not in result.stderr
    assert "System check identified" not in result.stderr


@pytest.mark.parametrize(
    ("changes", "sentence"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY must be set in production"),
        (
            {"SECRET_KEY": "tiny-but-secret-key"},
            "SECRET_KEY must be a random string of 50 or more characters",
        ),
        ({"SECRET_KEY": "ab" * 40}, "SECRET_KEY must be a random string"),
        ({"DEBUG": "true"}, "DEBUG must be off in production"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS must be set in production"),
        ({"SITE_URL": None}, "SITE_URL must be set in production"),
        ({"SITE_URL": "https://deltacrown.gg/news/"}, "SITE_URL must be an origin"),
        (
            {"SITE_URL": "https://elsewhere.example"},
            "SITE_URL names the host elsewhere.example, which ALLOWED_HOSTS must list",
        ),
        ({"CACHE_URL": None}, "CACHE_URL must be set in production"),
        (
            {"CACHE_URL": "locmemcache://"},
            "CACHE_URL must name a cache that all app processes share",
        ),
        (
            {"CACHE_URL": "dummycache://"},
            "CACHE_URL must name a cache that all app processes share",
        ),
        ({"DATABASE_URL": None}, "DATABASE_URL must be set in production"),
        ({"EMAIL_URL": None}, "EMAIL_URL must be set in production"),
    ],
)
def test_production_refuses_to_start_half_configured(tmp_path, changes, sentence):
    env = production_env(tmp_path, **changes)

    result = manage(env, "check")

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {sentence}" in result.stderr
    if "SECRET_KEY" in env:
        assert env["SECRET_KEY"] not in result.stderr


def test_production_settings_follow_the_environment(tmp_path):
    env = production_env(tmp_path, CACHE_URL=f"filecache://{tmp_path / 'cache'}")

    values = production_settings(
        env,
        "WAGTAILADMIN_BASE_URL",
        "SITE_URL",
        "CACHES",
        "SESSION_ENGINE",
        "EMAIL_HOST",
        "SECURE_SSL_REDIRECT",
    )

    assert values["SITE_URL"] == values["WAGTAILADMIN_BASE_URL"] == SITE_URL
    assert values["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(tmp_path / "cache"),
    }
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert values["EMAIL_HOST"] == "smtp.example.com"
    assert values["SECURE_SSL_REDIRECT"] is True
    off = production_settings(
        production_env(tmp_path, SECURE_SSL_REDIRECT="off"), "SECURE_SSL_REDIRECT"
    )
    assert off["SECURE_SSL_REDIRECT"] is False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, headers: dict[str, str] | None = None):
    """(status, headers, body) for a GET that does not follow redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    assert url.startswith("http://127.0.0.1:")
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture
def gunicorn(tmp_path):
    """gunicorn with site/gunicorn.conf.py and production settings, one worker.

    The database has no tables: these requests need none, or fail on purpose.
    """
    port = free_port()
    env = production_env(
        tmp_path,
        CACHE_URL=f"filecache://{tmp_path / 'cache'}",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        ALLOWED_HOSTS="127.0.0.1,deltacrown.gg",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    # Error pages name static files, which the production storage finds only
    # in the manifest collectstatic writes.
    collected = manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    assert collected.returncode == 0, collected.stderr
    log = (tmp_path / "gunicorn.log").open("w+")
    process = subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-m", "gunicorn", "--config", "site/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            fetch(f"{base}/healthz")
            break
        except OSError:
            assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
    yield base, lambda: log.seek(0) or log.read()
    process.terminate()
    process.wait(timeout=30)
    log.close()


def test_gunicorn_serves_production_headers_and_redirects_to_https(gunicorn):
    base, _ = gunicorn
    behind_tls = {"X-Forwarded-Proto": "https"}

    status, headers, body = fetch(f"{base}/healthz", behind_tls)
    assert status == 200
    assert json.loads(body) == {"status": "ok"}
    assert headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "camera=()" in headers["Permissions-Policy"]

    # Plain HTTP: sent on to HTTPS, except the probes load balancers make.
    status, headers, _ = fetch(f"{base}/@rakib/")
    assert status == 301
    assert headers["Location"] == "https://127.0.0.1:{}/@rakib/".format(
        base.rsplit(":", 1)[1]
    )
    assert fetch(f"{base}/healthz")[0] == 200


def test_logs_carry_no_tokens_from_urls(gunicorn):
    base, read_log = gunicorn
    behind_tls = {"X-Forwarded-Proto": "https"}

    fetch(f"{base}/readyz?token=query-secret-4711", behind_tls)
    # The database has no tables, so these fail: Django and gunicorn both log
    # the path of a failed request.
    fetch(f"{base}/accounts/confirm-email/MzQ:confirm-secret-4711/", behind_tls)
    fetch(f"{base}/accounts/password/reset/key/1a-reset-secret-4711/", behind_tls)
    time.sleep(0.5)

    log = read_log()
    assert '"GET /readyz HTTP/1.1"' in log
    assert '"GET /accounts/confirm-email/[redacted]/ HTTP/1.1" 500' in log
    assert '"GET /accounts/password/reset/key/[redacted]/ HTTP/1.1" 500' in log
    assert "Internal Server Error: /accounts/confirm-email/[redacted]/" in log
    assert "secret-4711" not in log
