"""Error reports: the real Sentry SDK, sending to a local sink, scrubbed on the wire."""

import errno
import gzip
import io
import json
import logging
import re
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.request
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.test.client import encode_multipart
from django.urls import resolve

import environ
import pytest
import sentry_sdk
from PIL import Image

from deltacrown.sentry import (
    FILTERED,
    TracesSampler,
    before_breadcrumb,
    before_send,
    init_sentry,
    request_tags,
    scrub_event,
    scrub_text,
    sentry_options,
)
from profiles.views import search as search_views
from tests.factories import FollowFactory, UserFactory

SECRET_PASSWORD = "hunter2-Sup3r-Secret"
EMAIL = "rakib.khan@example.com"
WALLET_SPELLINGS = [
    "01712345678",
    "+8801712345678",
    "8801712345678",
    "+880 1712-345678",
    "+880-1712-345678",
    "(+880) 1712 345678",
    "+88 01712 345678",
    "00880 1712345678",
    "017-1234-5678",
    "০১৭১২৩৪৫৬৭৮",
]


class EnvelopeSink(ThreadingHTTPServer):
    """A stand-in for Sentry's ingest: records each envelope posted to it."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), RecordEnvelope)
        self.bodies: list[bytes] = []
        self.lock = threading.Lock()

    @property
    def dsn(self) -> str:
        return f"http://public@127.0.0.1:{self.server_address[1]}/1"

    def raw(self) -> bytes:
        with self.lock:
            return b"\n".join(self.bodies)

    def items(self, kind: str) -> list[dict]:
        with self.lock:
            bodies = list(self.bodies)
        return [
            json.loads(payload)
            for body in bodies
            for header, payload in parse_envelope(body)
            if header.get("type") == kind
        ]


class RecordEnvelope(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            import brotli  # only sent when the SDK found brotli installed

            body = brotli.decompress(body)
        if self.path == "/api/1/envelope/":
            with self.server.lock:
                self.server.bodies.append(body)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format, *args):
        pass


def parse_envelope(body: bytes) -> list[tuple[dict, bytes]]:
    """An envelope's items: a JSON header line, then each item's header and payload."""
    stream = io.BytesIO(body)
    stream.readline()
    items = []
    while line := stream.readline():
        if not line.strip():
            continue
        header = json.loads(line)
        if "length" in header:
            payload = stream.read(header["length"])
            stream.readline()
        else:
            payload = stream.readline().rstrip(b"\n")
        items.append((header, payload))
    return items


def wait_for(sink: EnvelopeSink, done, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        sentry_sdk.flush(timeout=2)
        if done():
            return
        if time.monotonic() > deadline:
            raise AssertionError("Sentry did not deliver what was expected")
        time.sleep(0.05)


@pytest.fixture
def sentry_sink(monkeypatch, settings):
    """Sentry on, as init_sentry starts it, reporting to a sink on 127.0.0.1."""
    sink = EnvelopeSink()
    thread = threading.Thread(target=sink.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("SENTRY_DSN", sink.dsn)
    monkeypatch.setenv("SENTRY_ENVIRONMENT", "test")
    monkeypatch.setenv("SENTRY_RELEASE", "deltacrown@test")
    monkeypatch.setenv("SENTRY_TRACES_SAMPLE_RATE", "1.0")
    assert init_sentry(environ.Env(), base_dir=settings.BASE_DIR, debug=False)
    # Default personal data (user, IP address, cookies) is not collected at all.
    assert sentry_sdk.get_client().should_send_default_pii() is False
    yield sink
    # Leave the process as the rest of the suite expects it: no Sentry client.
    sentry_sdk.get_client().close(timeout=2)
    sentry_sdk.get_global_scope().set_client(None)
    sink.shutdown()
    sink.server_close()


@pytest.fixture
def broken_media(settings, tmp_path):
    """Uploads cannot be stored: the media folder's parent is a file."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker / "media"


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "gold").save(buffer, format="PNG")
    return SimpleUploadedFile("avatar.png", buffer.getvalue(), "image/png")


def fetch(
    url: str, *, data: bytes | None = None, headers: dict
) -> tuple[int, dict, str]:
    # Only ever the live test server's own http:// URLs.
    request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@pytest.mark.slow  # a live server, a transactional database and a real delivery
def test_unhandled_settings_error_arrives_tagged_and_scrubbed(
    live_server, sentry_sink, broken_media
):
    player = UserFactory(username="Rakib", email=EMAIL)
    browser = Client()
    browser.force_login(player)
    session = browser.cookies["sessionid"].value

    status, headers, page = fetch(
        f"{live_server.url}/me/settings/",
        headers={"Cookie": f"sessionid={session}", "Accept": "text/html"},
    )
    assert status == HTTPStatus.OK
    cookies = "; ".join(headers.get_all("Set-Cookie") or [])
    csrf_cookie = re.search(r"csrftoken=(\w+)", cookies).group(1)
    csrf_token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', page).group(1)
    fetch(f"{live_server.url}/healthz", headers={})

    boundary = "deltacrownboundary"
    body = encode_multipart(
        boundary,
        {
            "csrfmiddlewaretoken": csrf_token,
            "_fields": "avatar,bio",
            "bio": f"Scrims every evening. bKash +880 1712-345678, mail {EMAIL}",
            "bkash_number": "01712345678",
            "password": SECRET_PASSWORD,
            "avatar": png(),
        },
    )
    status, _, page = fetch(
        f"{live_server.url}/me/settings/basic/?ref=8801712345678&token=abc123",
        data=body,
        headers={
            "Cookie": f"sessionid={session}; csrftoken={csrf_cookie}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Accept": "text/html",
            "Authorization": f"Bearer {SECRET_PASSWORD}",
        },
    )
    assert status == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "Something went wrong on our side" in page

    def settings_transaction():
        return [
            item
            for item in sentry_sink.items("transaction")
            if item["transaction"] == "/me/settings/{section}/"
        ]

    wait_for(sentry_sink, lambda: sentry_sink.items("event") and settings_transaction())

    [event] = sentry_sink.items("event")
    [error] = event["exception"]["values"]
    assert error["type"] == "NotADirectoryError"
    assert error["mechanism"]["handled"] is False
    assert error["mechanism"]["meta"]["errno"]["number"] == errno.ENOTDIR
    frames = error["stacktrace"]["frames"]
    assert any(
        frame["module"] == "profiles.views.settings" and frame["function"] == "_save"
        for frame in frames
    )
    assert event["transaction"] == "/me/settings/{section}/"
    assert event["environment"] == "test"
    assert event["release"] == "deltacrown@test"
    assert event["tags"]["view"] == "profiles:settings-section"
    assert event["tags"]["profile.public_id"] == player.profile.public_id
    assert event["tags"]["viewer.role"] == "owner"
    assert event["contexts"]["profile"] == {
        "public_id": player.profile.public_id,
        "viewer_role": "owner",
    }
    # The body was sent, with its secrets taken out and the rest left to read.
    data = event["request"]["data"]
    assert data["password"] == FILTERED
    assert data["bkash_number"] == FILTERED
    assert data["csrfmiddlewaretoken"] == FILTERED
    assert data["bio"] == f"Scrims every evening. bKash {FILTERED}, mail {FILTERED}"
    assert event["request"]["query_string"] == f"ref={FILTERED}&token={FILTERED}"

    transaction_names = [
        item["transaction"] for item in sentry_sink.items("transaction")
    ]
    assert "/healthz" not in transaction_names

    raw = sentry_sink.raw().decode()
    for text in (raw, unquote(raw)):
        for secret in (SECRET_PASSWORD, EMAIL, session, csrf_cookie, csrf_token):
            assert secret not in text
        assert "1712345678" not in re.sub(r"[\s()\-]", "", text)
    # Sentry's own keys are left alone, so traces still link up.
    assert '"public_key":"public"' in raw


@pytest.mark.slow  # a live server, a transactional database and a real delivery
def test_request_id_tags_the_report_and_matches_the_response_header(
    live_server, sentry_sink, monkeypatch
):
    def unavailable(text):
        raise RuntimeError("search is down")

    monkeypatch.setattr(search_views, "clean_query", unavailable)
    url = f"{live_server.url}/search/?q=crown"

    passed_on = fetch(
        url, headers={"Accept": "text/html", "X-Request-ID": "lb-7f3a9c2e"}
    )
    made_up = fetch(url, headers={"Accept": "text/html", "X-Request-ID": "no\tgood"})
    assert [status for status, _, _ in (passed_on, made_up)] == [
        HTTPStatus.INTERNAL_SERVER_ERROR,
        HTTPStatus.INTERNAL_SERVER_ERROR,
    ]
    sent = passed_on[1]["X-Request-ID"]
    made = made_up[1]["X-Request-ID"]
    assert sent == "lb-7f3a9c2e"
    assert re.fullmatch(r"[0-9a-f]{32}", made)

    def tagged(kind: str) -> list[str]:
        return sorted(item["tags"]["request_id"] for item in sentry_sink.items(kind))

    wait_for(
        sentry_sink,
        lambda: (
            len(tagged("event")) == 2 and {sent, made} <= set(tagged("transaction"))
        ),
    )

    assert tagged("event") == sorted([sent, made])
    events = sentry_sink.items("event")
    assert {event["exception"]["values"][0]["value"] for event in events} == {
        "search is down"
    }


def test_without_a_dsn_sentry_stays_off_and_errors_get_the_500_page(
    monkeypatch, settings, player, broken_media
):
    monkeypatch.delenv("SENTRY_DSN", raising=False)

    assert init_sentry(environ.Env(), base_dir=settings.BASE_DIR, debug=False) is False
    assert not sentry_sdk.is_initialized()

    client = Client(raise_request_exception=False)
    client.force_login(player)
    response = client.post(
        "/me/settings/basic/",
        {"_fields": "avatar", "avatar": png()},
        HTTP_ACCEPT="text/html",
    )
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "Something went wrong on our side" in response.content.decode()


def options(monkeypatch, tmp_path, debug=False, **variables) -> dict | None:
    for name in ("SENTRY_DSN", "SENTRY_ENVIRONMENT", "SENTRY_RELEASE",
                 "SENTRY_TRACES_SAMPLE_RATE", "DEBUG"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return sentry_options(environ.Env(), base_dir=tmp_path, debug=debug)


DSN = "https://public@sentry.example.com/7"


def test_no_dsn_means_no_options(monkeypatch, tmp_path):
    assert options(monkeypatch, tmp_path) is None
    assert options(monkeypatch, tmp_path, SENTRY_DSN="  ") is None


def test_environment_follows_debug_unless_named(monkeypatch, tmp_path):
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "deltacrown.settings.production")
    assert options(monkeypatch, tmp_path, SENTRY_DSN=DSN)["environment"] == "production"
    assert (
        options(monkeypatch, tmp_path, debug=True, SENTRY_DSN=DSN)["environment"]
        == "development"
    )
    named = options(monkeypatch, tmp_path, SENTRY_DSN=DSN, SENTRY_ENVIRONMENT="staging")
    assert named["environment"] == "staging"


def test_development_settings_report_as_development(monkeypatch, tmp_path):
    """dev.py turns DEBUG on by default after base.py has started Sentry."""
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "deltacrown.settings.dev")
    assert (
        options(monkeypatch, tmp_path, SENTRY_DSN=DSN)["environment"] == "development"
    )
    off = options(monkeypatch, tmp_path, SENTRY_DSN=DSN, DEBUG="false")
    assert off["environment"] == "production"


def test_release_is_the_variable_or_the_checked_out_commit(
    monkeypatch, tmp_path, settings
):
    named = options(monkeypatch, tmp_path, SENTRY_DSN=DSN, SENTRY_RELEASE="v1.2.3")
    assert named["release"] == "v1.2.3"
    # tmp_path is no git checkout: the release stays unset.
    assert options(monkeypatch, tmp_path, SENTRY_DSN=DSN)["release"] is None

    git = shutil.which("git")
    head = subprocess.run(  # noqa: S603
        [git or "git", "rev-parse", "HEAD"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if git is None or head.returncode != 0:
        pytest.skip("the project is not a git checkout here")
    checkout = sentry_options(environ.Env(), base_dir=settings.BASE_DIR, debug=False)
    assert checkout["release"] == head.stdout.strip()


def test_trace_rate_defaults_to_a_tenth_and_refuses_nonsense(monkeypatch, tmp_path):
    assert options(monkeypatch, tmp_path, SENTRY_DSN=DSN)["traces_sampler"].rate == 0.1
    for bad in ("lots", "1.5", "-0.1"):
        with pytest.raises(ImproperlyConfigured, match="SENTRY_TRACES_SAMPLE_RATE"):
            options(
                monkeypatch, tmp_path, SENTRY_DSN=DSN, SENTRY_TRACES_SAMPLE_RATE=bad
            )


def test_a_malformed_dsn_is_refused_without_repeating_it(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="SENTRY_DSN") as refusal:
        options(monkeypatch, tmp_path, SENTRY_DSN="ftp://key-s3cret@sentry")
    assert "s3cret" not in str(refusal.value)


def test_probes_and_static_files_are_never_traced():
    sampler = TracesSampler(0.25)

    def rate(path, parent=None):
        return sampler({"wsgi_environ": {"PATH_INFO": path}, "parent_sampled": parent})

    assert rate("/healthz") == 0.0
    assert rate("/readyz", parent=True) == 0.0
    assert rate("/static/css/site.css") == 0.0
    assert rate("/metrics") == 0.0
    assert rate("/@rakib/") == 0.25
    assert rate("/me/settings/", parent=True) == 1.0


# The scrubber on its own, on the shapes events take.


@pytest.mark.parametrize("spelling", WALLET_SPELLINGS)
def test_every_spelling_of_a_wallet_number_is_removed(spelling):
    scrubbed = scrub_text(f"payout to {spelling} failed")
    assert scrubbed == f"payout to {FILTERED} failed"


@pytest.mark.parametrize(
    "text",
    [
        "took 1712345678 ms",  # a timestamp-sized number, no 0 or 880 in front
        "balance=150050 poisha",
        "profile DC-ABCD2345",
        "HTTP 500 at 2026-01-31T10:15:00Z",
        "order 017123456789",  # twelve digits: not a mobile number
    ],
)
def test_ordinary_numbers_and_ids_are_kept(text):
    assert scrub_text(text) == text


def test_nested_values_are_scrubbed_by_key_and_by_look():
    event = {
        "extra": {
            "form": {
                "players": [
                    {"bkash_number": "01712345678", "note": "or 01812-345678"},
                    {"contact": {"Email": "mim@example.org", "level": 7}},
                ],
                "session_key": "abc",
                "userPassword": "x",
            }
        },
        "contexts": {
            "trace": {"trace_id": "a" * 32, "span_id": "b" * 16},
            "runtime": {"name": "CPython", "version": "3.11.2"},
        },
    }

    scrubbed = scrub_event(event)

    form = scrubbed["extra"]["form"]
    assert form["players"][0] == {"bkash_number": FILTERED, "note": f"or {FILTERED}"}
    assert form["players"][1] == {"contact": {"Email": FILTERED, "level": 7}}
    assert form["session_key"] == FILTERED
    assert form["userPassword"] == FILTERED
    assert scrubbed["contexts"] == event["contexts"]


def test_messages_and_their_parameters_lose_numbers_and_emails():
    event = {
        "logentry": {
            "message": "Payout to %s for %s failed",
            "params": ["+8801712345678", "rakib@example.com"],
        },
        "message": "Payout to +880 1712-345678 failed",
        "exception": {
            "values": [
                {
                    "type": "ValueError",
                    "value": "no account for mim.bd@gmail.com at 01912345678",
                    "stacktrace": {
                        "frames": [
                            {
                                "function": "pay_out",
                                "module": "profiles.services",
                                "lineno": 42,
                                "vars": {
                                    "number": "'01712345678'",
                                    "data": "<QueryDict: {'password': ['hunter2'], "
                                    "'bio': ['hi']}>",
                                    "note": "'call 01512345678'",
                                },
                            }
                        ]
                    },
                }
            ]
        },
    }

    scrubbed = scrub_event(event)

    assert scrubbed["logentry"]["params"] == [FILTERED, FILTERED]
    assert scrubbed["message"] == f"Payout to {FILTERED} failed"
    [error] = scrubbed["exception"]["values"]
    assert error["type"] == "ValueError"
    assert error["value"] == f"no account for {FILTERED} at {FILTERED}"
    [frame] = error["stacktrace"]["frames"]
    assert (frame["function"], frame["module"], frame["lineno"]) == (
        "pay_out",
        "profiles.services",
        42,
    )
    assert frame["vars"]["number"] == FILTERED
    assert "hunter2" not in frame["vars"]["data"]
    assert "'bio': ['hi']" in frame["vars"]["data"]
    assert frame["vars"]["note"] == f"'call {FILTERED}'"


def test_request_headers_cookies_and_query_in_any_form():
    event = {
        "request": {
            "url": "https://deltacrown.gg/@rakib/followers/",
            "query_string": "email=a%40b.com&page=2&csrftoken=xyz",
            "headers": [
                ["Cookie", "sessionid=abc; csrftoken=def"],
                ["Authorization", "Bearer abc.def"],
                ["X-CSRFToken", "def"],
                ["Accept", "text/html"],
            ],
            "cookies": {"sessionid": "abc", "theme": "dark"},
            "env": {"REMOTE_ADDR": "203.0.113.9", "SERVER_NAME": "deltacrown.gg"},
            "data": {"login": "rakib", "password": "x", "remember": "on"},
        }
    }

    request = scrub_event(event)["request"]

    assert request["url"] == f"https://deltacrown.gg/@{FILTERED}/followers/"
    assert request["query_string"] == f"email={FILTERED}&page=2&csrftoken={FILTERED}"
    assert request["headers"] == [
        ["Cookie", FILTERED],
        ["Authorization", FILTERED],
        ["X-CSRFToken", FILTERED],
        ["Accept", "text/html"],
    ]
    assert request["cookies"] == FILTERED
    assert request["env"] == {"REMOTE_ADDR": FILTERED, "SERVER_NAME": "deltacrown.gg"}
    assert request["data"] == {
        "login": FILTERED,
        "password": FILTERED,
        "remember": "on",
    }


def test_secrets_inside_free_text_are_removed():
    text = (
        "GET /accounts/confirm-email/MQ:1tAbcD:x9y8z7/ "
        "Authorization: Bearer 8f14e45fceea167a5a36dedd4bea2543 "
        "postgres://app:pa55word@db.internal:5432/deltacrown "
        "session 0cc175b9c0f1b6a831c399e269772661 route /@{username}/"
    )

    scrubbed = scrub_text(text)

    assert "MQ:1tAbcD" not in scrubbed
    assert "8f14e45fceea167a5a36dedd4bea2543" not in scrubbed
    assert "pa55word" not in scrubbed
    assert "0cc175b9c0f1b6a831c399e269772661" not in scrubbed
    assert scrubbed.endswith("route /@{username}/")  # a URL pattern, not a name


def test_breadcrumbs_are_scrubbed_before_they_are_kept():
    crumb = {
        "type": "log",
        "category": "security",
        "message": "Sign-in failed login=rakib@example.com",
        "data": {"wallet": "01712345678", "attempts": 3},
    }

    kept = before_breadcrumb(crumb, {})

    assert kept["message"] == f"Sign-in failed login={FILTERED}"
    assert kept["data"] == {"wallet": FILTERED, "attempts": 3}
    assert kept["category"] == "security"


class Unreadable(dict):
    """A mapping that breaks when read, as a half-built object might."""

    def items(self):
        raise RuntimeError("cannot be read")


def test_an_event_that_cannot_be_scrubbed_is_dropped(caplog):
    event = {"message": "payout 01712345678", "extra": Unreadable(note="x")}

    with caplog.at_level(logging.WARNING, logger="deltacrown.sentry"):
        assert before_send(event, {}) is None

    assert "Error report dropped" in caplog.text
    assert "01712345678" not in caplog.text


# Which profile, and who was looking.


def request_for(path: str, viewer=None):
    """A request as the middleware leaves it: resolved, with its user."""
    request = RequestFactory().get(path)
    request.user = viewer or AnonymousUser()
    request.resolver_match = resolve(path)
    return request


@pytest.mark.django_db
def test_tags_name_the_profile_by_public_id_and_the_viewer_by_role(player):
    public_id = player.profile.public_id

    assert request_tags(request_for("/me/settings/privacy/", player)) == {
        "view": "profiles:settings-section",
        "profile.public_id": public_id,
        "viewer.role": "owner",
    }

    member = UserFactory(username="mim")
    follower = UserFactory(username="tanvir")
    FollowFactory(follower=follower.profile, followee=player.profile)
    for viewer, role in (
        (None, "anonymous"),
        (member, "member"),
        (follower, "follower"),
    ):
        assert request_tags(request_for("/@rakib/followers/", viewer)) == {
            "view": "profiles:followers",
            "profile.public_id": public_id,
            "viewer.role": role,
        }


@pytest.mark.django_db
def test_when_the_database_failed_only_the_view_is_named(player):
    request = request_for("/@rakib/", player)

    assert request_tags(request, may_query=False) == {"view": "profiles:profile"}


def test_pages_outside_the_profiles_app_carry_only_their_view():
    assert request_tags(request_for("/healthz")) == {"view": "healthz"}
