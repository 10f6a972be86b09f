"""Log lines: one JSON object a line in production, a request ID on each, and a
security log that records what operators watch without personal data or secrets.
"""

import copy
import io
import json
import logging
import re
from contextlib import contextmanager
from http import HTTPStatus
from logging.config import DictConfigurator
from unittest import mock

from django.core import mail
from django.http import HttpResponse
from django.test import Client, RequestFactory

import pytest
from allauth.account.models import EmailAddress

from deltacrown.logformat import JsonFormatter
from deltacrown.request_id import (
    RequestIdFilter,
    RequestIdMiddleware,
    current_request_id,
)
from deltacrown.settings import base
from tests.factories import PASSWORD, GameFactory, UserFactory
from tests.test_deploy import production_env, production_settings

EMAIL = "rakib.khan@example.com"
NEW_EMAIL = "rakib.second@example.org"
WRONG_PASSWORD = "Wr0ng-horse-battery"
NEW_PASSWORD = "A-fresh-crown-2026"
# The wallet numbers typed in the session, saved and refused, each as a player
# wrote it; and the national digits that must never appear together.
SAVED_NUMBERS = ["+880 1712-345678", "০১৮১২৩৪৫৬৭৮", "(+880) 1912 345678"]
REFUSED_NUMBERS = ["01212345678", "+91 98765 43210"]
NUMBER_DIGITS = ["1712345678", "1812345678", "1912345678", "1212345678", "9876543210"]

SAFE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
NEW_ID = re.compile(r"[0-9a-f]{32}")
TOKEN_IN_FORM = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY_LINK = re.compile(r"/accounts/(?:password/reset/key|confirm-email)/([^/\s]+)/")
JSON = {"HTTP_ACCEPT": "application/json"}
HTML = {"HTTP_ACCEPT": "text/html"}


# Capturing every record, through the handlers the settings configure.


def console_handler(config: dict) -> tuple[logging.Handler, io.StringIO]:
    """The console handler a LOGGING setting describes, writing to a buffer."""
    config = copy.deepcopy(config)
    configurator = DictConfigurator(config)
    console = config["handlers"]["console"]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        configurator.configure_formatter(config["formatters"][console["formatter"]])
    )
    for name in console.get("filters", []):
        handler.addFilter(configurator.configure_filter(config["filters"][name]))
    return handler, stream


@contextmanager
def every_record(*handlers: logging.Handler):
    """Pass every record any logger makes, down to DEBUG, to ``handlers`` too.

    Yields the list of records, filled in as they come.
    """
    manager = logging.Logger.manager
    loggers = [logging.getLogger()] + [
        logger
        for logger in manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    levels = {logger: logger.level for logger in loggers}
    handle = logging.Logger.handle
    records = []

    def handle_and_capture(logger, record):
        records.append(record)
        for handler in handlers:
            handler.handle(record)
        handle(logger, record)

    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    try:
        with mock.patch.object(logging.Logger, "handle", handle_and_capture):
            yield records
    finally:
        for logger, level in levels.items():
            logger.setLevel(level)


@pytest.fixture(scope="module")
def production_logging(tmp_path_factory) -> dict:
    """LOGGING as production.py builds it, read from a production process."""
    env = production_env(tmp_path_factory.mktemp("production"))
    return production_settings(env, "LOGGING")["LOGGING"]


def json_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines()]


# The whole settings session of a player.


class Browser:
    """A browser session: CSRF tokens from the pages, each response's request ID."""

    def __init__(self):
        self.client = Client(enforce_csrf_checks=True)
        self.request_ids: list[str] = []
        self.secrets: set[str] = set()

    def _seen(self, response):
        self.request_ids.append(response["X-Request-ID"])
        for name in ("sessionid", "csrftoken"):
            if name in self.client.cookies and self.client.cookies[name].value:
                self.secrets.add(self.client.cookies[name].value)
        return response

    def get(self, path: str, **extra):
        return self._seen(self.client.get(path, **{**HTML, **extra}))

    def form(self, path: str, data: dict, *, page: str | None = None):
        """Post a form as the browser would, with the token from the page."""
        html = self.get(page or path).content.decode()
        token = TOKEN_IN_FORM.search(html).group(1)
        self.secrets.add(token)
        data = {"csrfmiddlewaretoken": token, **data}
        return self._seen(self.client.post(path, data, **HTML))

    def json(self, path: str, payload: dict):
        """Post JSON as the settings page's script does, with the cookie's token."""
        if "csrftoken" not in self.client.cookies:
            self.get("/me/settings/")
        token = self.client.cookies["csrftoken"].value
        return self._seen(
            self.client.post(
                path,
                json.dumps(payload),
                content_type="application/json",
                HTTP_X_CSRFTOKEN=token,
                **JSON,
            )
        )


def settings_session(browser: Browser) -> dict[str, str]:
    """Everything a player does in one visit; the request IDs of the key steps."""
    steps = {}
    login = "/accounts/login/"
    wrong = browser.form(login, {"login": EMAIL, "password": WRONG_PASSWORD})
    assert wrong.status_code == HTTPStatus.OK
    assert wrong.context["form"].errors
    steps["failed_sign_in"] = wrong["X-Request-ID"]
    assert browser.form(login, {"login": EMAIL, "password": PASSWORD}).status_code == (
        HTTPStatus.FOUND
    )

    section = "/me/settings/{}/".format
    saves = [
        browser.form(
            section("basic"), {"bio": "Clutch or kick."}, page="/me/settings/"
        ),
        browser.form(section("social"), {"twitch": "https://www.twitch.tv/rakib"}),
        browser.json(
            section("games"),
            {"valorant": {"in_game_name": "Phantom", "in_game_id": "Phantom#BD1"}},
        ),
        browser.form(section("notifications"), {"email_wallet": ""}),
        browser.json(section("platform"), {"time_zone": "Asia/Kolkata"}),
    ]
    assert [response.status_code for response in saves] == [
        HTTPStatus.FOUND,
        HTTPStatus.FOUND,
        HTTPStatus.OK,
        HTTPStatus.FOUND,
        HTTPStatus.OK,
    ]
    privacy = browser.form(section("privacy"), {"achievements": "followers"})
    assert privacy.status_code == HTTPStatus.FOUND
    steps["privacy"] = privacy["X-Request-ID"]

    # Wallet numbers need the password again first.
    reauthenticate = browser.form("/accounts/reauthenticate/", {"password": PASSWORD})
    assert reauthenticate.status_code == HTTPStatus.FOUND
    saved = [
        browser.form(
            section("wallet"),
            {"bkash_number": SAVED_NUMBERS[0], "nagad_number": SAVED_NUMBERS[1]},
        ),
        browser.json(section("wallet"), {"rocket_number": SAVED_NUMBERS[2]}),
    ]
    assert [response.status_code for response in saved] == [
        HTTPStatus.FOUND,
        HTTPStatus.OK,
    ]
    refused = [
        browser.form(section("wallet"), {"bkash_number": REFUSED_NUMBERS[0]}),
        browser.json(section("wallet"), {"nagad_number": REFUSED_NUMBERS[1]}),
    ]
    assert [response.status_code for response in refused] == [
        HTTPStatus.BAD_REQUEST,
        HTTPStatus.BAD_REQUEST,
    ]
    steps["refused_number"] = refused[0]["X-Request-ID"]

    changed = browser.form(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert changed.status_code == HTTPStatus.FOUND
    added = browser.form("/accounts/email/", {"email": NEW_EMAIL, "action_add": ""})
    assert added.status_code == HTTPStatus.FOUND
    assert EmailAddress.objects.filter(email=NEW_EMAIL, verified=False).exists()

    signed_out = browser.form("/accounts/logout/", {})
    assert signed_out.status_code == HTTPStatus.FOUND
    reset = browser.form("/accounts/password/reset/", {"email": EMAIL})
    assert reset.status_code == HTTPStatus.FOUND
    # Opening the emailed links puts their keys in request paths.
    for message in mail.outbox:
        for match in KEY_LINK.finditer(message.body):
            browser.secrets.add(match.group(1))
            browser.get(match.group(0))
    return steps


@pytest.mark.slow  # a whole visit of some thirty requests, and a production process
@pytest.mark.django_db
def test_a_settings_session_logs_security_events_and_no_secrets(
    settings, production_logging
):
    GameFactory(
        name="Valorant",
        slug="valorant",
        id_label="Riot ID",
        id_format=r"^[^#]{3,16}#[A-Za-z0-9]{3,5}$",
    )
    player = UserFactory(username="Rakib", email=EMAIL)
    EmailAddress.objects.create(user=player, email=EMAIL, verified=True, primary=True)
    public_id = player.profile.public_id
    # Production's handler first, so it meets each record as it was made (the
    # filters of either mask what they pass on).
    production, production_output = console_handler(production_logging)
    local, local_output = console_handler(settings.LOGGING)
    browser = Browser()

    with every_record(production, local) as records:
        steps = settings_session(browser)

    reset_keys = [
        match.group(1)
        for message in mail.outbox
        if "password/reset/key" in message.body
        for match in KEY_LINK.finditer(message.body)
    ]
    assert reset_keys  # the reset email came, and its link was opened
    lines = json_lines(production_output.getvalue())
    assert len(lines) == len(records) > 0
    # Bengali digits are escaped in JSON; read back, they are checked as well.
    texts = [
        production_output.getvalue(),
        local_output.getvalue(),
        "\n".join(" ".join(str(value) for value in line.values()) for line in lines),
    ]
    secrets = {EMAIL, NEW_EMAIL, PASSWORD, WRONG_PASSWORD, NEW_PASSWORD}
    secrets |= browser.secrets | set(SAVED_NUMBERS) | set(REFUSED_NUMBERS)
    for text in texts:
        for secret in secrets:
            assert secret not in text
        digits = re.sub(r"[\s()\-]", "", text)
        for number in NUMBER_DIGITS:
            assert number not in digits

    security = {
        line["request_id"]: line["message"]
        for line in lines
        if line["logger"] == "security"
    }
    assert security[steps["failed_sign_in"]] == (
        "Sign-in failed path=/accounts/login/ client=127.0.0.1"
    )
    assert security[steps["refused_number"]] == (
        f"Wallet number refused user_id={player.pk} client=127.0.0.1 "
        "field=bkash_number number=012*****678"
    )
    assert security[steps["privacy"]] == (
        f"Privacy changed section=achievements audience=followers public_id={public_id}"
    )
    assert any("number=919******210" in message for message in security.values())
    # Every line written during a request names it, by the ID the response gave.
    assert {line.get("request_id") for line in lines} <= set(browser.request_ids)
    assert all("request_id" in line for line in lines if line["logger"] == "security")


# The formats.


def test_json_lines_are_one_object_per_record_naming_the_request():
    logger = logging.getLogger("deltacrown.tests")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger.addHandler(handler)

    def view(request):
        logger.warning("Two\nlines\u2028and a separator team=%s", "ঢাকা")
        try:
            raise ValueError("no such\nthing")
        except ValueError:
            logger.exception("Lookup failed")
        return HttpResponse()

    try:
        logger.warning("Outside any request")
        response = RequestIdMiddleware(view)(RequestFactory().get("/"))
    finally:
        logger.removeHandler(handler)

    output = stream.getvalue()
    assert output.isascii()
    outside, first, second = json_lines(output)
    request_id = response["X-Request-ID"]
    assert NEW_ID.fullmatch(request_id)
    assert first["message"] == "Two\nlines\u2028and a separator team=ঢাকা"
    assert (first["level"], first["logger"]) == ("WARNING", "deltacrown.tests")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", first["time"])
    assert first["request_id"] == second["request_id"] == request_id
    assert "exception" not in first
    assert second["message"] == "Lookup failed"
    assert second["exception"].startswith("Traceback (most recent call last):")
    assert second["exception"].endswith("ValueError: no such\nthing")
    assert "request_id" not in outside


def test_a_bad_log_call_still_writes_one_line():
    record = logging.LogRecord(
        "security", logging.WARNING, __file__, 1, "Saved user_id=%s %s", ("7",), None
    )

    [line] = json_lines(JsonFormatter().format(record))

    assert line["message"] == (
        "Saved user_id=%s %s [log arguments did not match the message]"
    )


@pytest.mark.slow  # reads production's settings in a production process
def test_production_masks_account_keys_in_messages_and_tracebacks(
    production_logging,
):
    handler, stream = console_handler(production_logging)
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    path = "/accounts/password/reset/key/1a-reset-secret-4711/"
    try:
        try:
            raise LookupError(f"no key at {path}")
        except LookupError:
            logger.error("Internal Server Error: %s", path, exc_info=True)
    finally:
        logger.removeHandler(handler)

    [line] = json_lines(stream.getvalue())
    assert "secret-4711" not in stream.getvalue()
    assert line["message"] == (
        "Internal Server Error: /accounts/password/reset/key/[redacted]/"
    )
    assert (
        "LookupError: no key at /accounts/password/reset/key/[redacted]/"
        in (line["exception"])
    )


def test_local_lines_end_with_the_request_id(settings):
    handler, stream = console_handler(settings.LOGGING)
    logger = logging.getLogger("deltacrown.tests")
    logger.addHandler(handler)

    def view(request):
        logger.warning("Settings saved section=basic")
        return HttpResponse()

    try:
        RequestIdMiddleware(view)(
            RequestFactory().get("/", HTTP_X_REQUEST_ID="lb-7f3a9c2e")
        )
    finally:
        logger.removeHandler(handler)

    [line] = stream.getvalue().splitlines()
    assert line.endswith(
        "WARNING deltacrown.tests Settings saved section=basic request_id=lb-7f3a9c2e"
    )


# The request ID.


@pytest.mark.django_db
@pytest.mark.parametrize(
    "incoming", ["lb-7f3a9c2e", "1-67891233-abcdef012345678912345678", "a" * 64]
)
def test_a_safe_incoming_request_id_is_kept(client, incoming):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)

    assert response.status_code == HTTPStatus.OK
    assert response["X-Request-ID"] == incoming


@pytest.mark.django_db
@pytest.mark.parametrize(
    "incoming",
    [
        "",
        "short",
        "a" * 65,
        "x" * 200,
        "lb-7f3a9c2e\nX-Injected: yes",
        "lb-7f3a9c2e\n",
        "lb 7f3a 9c2e",
        "<script>alert(1)</script>",
        "lb-7f3a9c2e\u0663\u0664",
        "01712345678",  # a wallet number would reach every log line as it is
        "order-8801712345678",
    ],
)
def test_an_unsafe_incoming_request_id_is_replaced(client, incoming):
    response = client.get("/@nobody/", HTTP_X_REQUEST_ID=incoming)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert NEW_ID.fullmatch(response["X-Request-ID"])


@pytest.mark.django_db
def test_each_request_gets_its_own_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]

    assert first != second
    assert SAFE_ID.fullmatch(first)
    # Once the response is closed, lines are no longer the request's.
    assert current_request_id() is None


# The security log.


def security_lines(caplog) -> list[str]:
    return [
        record.getMessage() for record in caplog.records if record.name == "security"
    ]


@pytest.mark.django_db
def test_allauth_rate_limit_refusal_is_logged(settings, caplog):
    settings.ACCOUNT_RATE_LIMITS = {**base.ACCOUNT_RATE_LIMITS, "login": "1/m/ip"}
    client = Client()
    wrong = {"login": "someone", "password": WRONG_PASSWORD}
    client.post("/accounts/login/", wrong)
    caplog.clear()

    with caplog.at_level(logging.INFO, logger="security"):
        response = client.post("/accounts/login/", wrong)

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Slow down a little" in response.content.decode()
    assert security_lines(caplog) == [
        "Rate limit refused a request view=account_login client=127.0.0.1"
    ]


@pytest.mark.django_db
def test_too_many_failed_sign_ins_for_one_login_are_logged(settings, caplog):
    settings.ACCOUNT_RATE_LIMITS = {
        **base.ACCOUNT_RATE_LIMITS,
        "login_failed": "20/m/ip,1/5m/key",
    }
    client = Client()
    wrong = {"login": EMAIL, "password": WRONG_PASSWORD}

    with caplog.at_level(logging.INFO, logger="security"):
        client.post("/accounts/login/", wrong)
        response = client.post("/accounts/login/", wrong)

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors
    assert security_lines(caplog) == [
        "Sign-in failed path=/accounts/login/ client=127.0.0.1",
        "Sign-in refused, too many failed attempts client=127.0.0.1",
    ]
    assert EMAIL not in caplog.text


def test_failed_re_authentication_names_the_player(player, caplog):
    client = Client()
    client.force_login(player)

    with caplog.at_level(logging.INFO, logger="security"):
        response = client.post("/accounts/reauthenticate/", {"password": "nope"})

    assert response.status_code == HTTPStatus.OK
    assert security_lines(caplog) == [
        f"Re-authentication failed user_id={player.pk} client=127.0.0.1"
    ]


def test_settings_rate_limit_refusal_is_logged(settings, player_client, player, caplog):
    settings.DELTACROWN = {**settings.DELTACROWN, "SETTINGS_RATE_LIMIT": (1, 60)}
    payload = json.dumps({"bio": "Clutch or kick."})
    player_client.post("/me/settings/basic/", payload, "application/json", **JSON)

    with caplog.at_level(logging.INFO, logger="security"):
        response = player_client.post(
            "/me/settings/basic/", payload, "application/json", **JSON
        )

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert security_lines(caplog) == [
        "Settings save refused, rate limit spent section=basic "
        f"user_id={player.pk} client=127.0.0.1"
    ]


def test_privacy_changes_are_logged_by_section_and_audience(
    player_client, player, caplog
):
    payload = json.dumps({"profile_visibility": "members", "teams": "only_me"})

    with caplog.at_level(logging.INFO, logger="security"):
        response = player_client.post(
            "/me/settings/privacy/", payload, "application/json", **JSON
        )

    assert response.status_code == HTTPStatus.OK
    public_id = player.profile.public_id
    assert sorted(security_lines(caplog)) == [
        f"Privacy changed section=profile audience=members public_id={public_id}",
        f"Privacy changed section=teams audience=only_me public_id={public_id}",
    ]
