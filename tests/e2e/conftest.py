"""Browser tests: Playwright drives Debian's Chromium against the site in gunicorn.

`make e2e` runs them (and `make test` after the other suites); the plain pytest
run leaves them out (`-m "not e2e"` in pyproject.toml). Every test here gets the
`e2e` marker from this file.
"""

import email
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.e2e.helpers import ARTIFACTS
from tests.e2e.watch import Watch

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
# Flags that let Chromium run as root in a container on a machine without
# outside network: no sandbox, no GPU, and none of its own calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
# Two shared cores, a suite on them: give assertions the time actions get.
expect.set_options(timeout=10_000)
PHONE = {"width": 375, "height": 740}


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Site:
    """The running site: its address, and the emails it has sent."""

    def __init__(self, url: str, mail_dir: Path, media_root: Path):
        self.url = url
        self.mail_dir = mail_dir
        self.media_root = media_root

    def emails_to(self, address: str) -> list[email.message.Message]:
        """Every email sent to address so far, oldest first."""
        found = []
        for path in sorted(self.mail_dir.glob("*.log"), key=os.path.getmtime):
            # The file backend writes each message followed by a line of dashes.
            for chunk in path.read_text().split("-" * 79):
                if not chunk.strip():
                    continue
                message = email.message_from_string(chunk.lstrip())
                if address in (message["To"] or ""):
                    found.append(message)
        return found

    def link_in_last_email(self, address: str, path_part: str) -> str:
        """The first link in the newest email to address whose path has path_part."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            messages = self.emails_to(address)
            if messages:
                body = messages[-1].get_payload(decode=False)
                if isinstance(body, list):
                    body = body[0].get_payload()
                for link in re.findall(r"https?://\S+", body):
                    if path_part in link:
                        return link
            time.sleep(0.2)
        raise AssertionError(f"no email to {address} with a {path_part} link")


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The site as production runs it, in gunicorn, on a fresh SQLite database.

    Production settings with what a loopback run needs: plain HTTP with no
    redirect to HTTPS (SECURE_SSL_REDIRECT off); the Secure session and CSRF
    cookies stay on, because Chromium treats loopback as a secure origin and
    sends them over plain HTTP there, so the cookies behave as in production.
    The cache is a folder all workers share (production refuses a per-process
    one), and email goes to files the tests read to follow confirmation and
    reset links. The demo data is seeded, then the players in players.py.
    Uploaded media sits in a temporary MEDIA_ROOT, which the browser fixture
    serves the way production's proxy does (gunicorn does not serve it).
    """
    root = tmp_path_factory.mktemp("site")
    port = free_port()
    url = f"http://localhost:{port}"
    for folder in ("mail", "media", "cache", "prometheus", "static"):
        (root / folder).mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "deltacrown.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{root / 'db.sqlite3'}",
        "CACHE_URL": f"filecache://{root / 'cache'}",
        # django-environ drops the first slash of the path: hence four.
        "EMAIL_URL": f"filemail:///{root / 'mail'}",
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "SITE_URL": url,
        "SECURE_SSL_REDIRECT": "off",
        "STATIC_ROOT": str(root / "static"),
        "MEDIA_ROOT": str(root / "media"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(root / "prometheus"),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("SENTRY_DSN", "REDIS_URL", "DEBUG"):
        env.pop(name, None)

    def manage(*args):
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args], cwd=REPO, env=env, check=True
        )

    manage("collectstatic", "--noinput", "--verbosity", "0")
    manage("migrate", "--noinput", "--verbosity", "0")
    manage("seed_demo", "--verbosity", "0")
    manage("shell", "--command", "from tests.e2e.players import create; create()")

    log = (root / "gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "site/gunicorn.conf.py"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(f"{url}/healthz", server)
        yield Site(url, root / "mail", root / "media")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        shutil.copy(root / "gunicorn.log", ARTIFACTS / "gunicorn.log")


def wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped while starting; see gunicorn.log")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the site did not answer {url} within a minute")


@pytest.fixture(scope="session", autouse=True)
def _artifacts():
    """A fresh screenshot folder for this run (git-ignored)."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir()


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"no Chromium at {CHROMIUM}: run make e2e, which installs it")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, site):
    """Open a page in a fresh browser context (its own cookies) with a Watch.

    Call it once per player taking part; every page is checked for console
    errors and warnings, failed requests and uncaught exceptions at the end of
    the test, apart from the responses the test said it expects.
    """
    opened = []

    def open_page(*, javascript: bool = True, viewport: dict = DESKTOP):
        context = browser.new_context(
            base_url=site.url, java_script_enabled=javascript, viewport=viewport
        )
        context.set_default_timeout(10_000)
        context.route(f"{site.url}/media/**", serve_media(site.media_root))
        page = context.new_page()
        watch = Watch(page)
        opened.append((context, watch))
        return page, watch

    yield open_page

    problems = []
    for context, watch in opened:
        problems += watch.problems()
        context.close()
    assert not problems, "\n".join(problems)


def serve_media(media_root: Path):
    """Answer /media/ from MEDIA_ROOT, as production's proxy does."""

    def handle(route):
        relative = route.request.url.split("/media/", 1)[1].split("?", 1)[0]
        path = (media_root / urllib.request.url2pathname(relative)).resolve()
        if media_root.resolve() in path.parents and path.is_file():
            route.fulfill(path=str(path))
        else:
            route.fulfill(status=404, body="")

    return handle
