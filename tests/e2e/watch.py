"""What a page must not do: log errors or warnings, fail requests, throw."""

import re
from dataclasses import dataclass, field

from playwright.sync_api import ConsoleMessage, Page, Request, Response

LOAD_FAILED = re.compile(
    r"Failed to load resource: the server responded with a status of (\d+)"
)


def path_of(url: str) -> str:
    """The path of a URL, without its origin or query."""
    return re.sub(r"^https?://[^/]+", "", url).split("?")[0].split("#")[0]


@dataclass
class Expected:
    """One failing response a journey causes on purpose."""

    status: int
    method: str
    path: str
    seen: int = 0

    def matches(self, status: int, method: str, url: str) -> bool:
        return (
            status == self.status
            and method == self.method
            and path_of(url) == self.path
        )


@dataclass
class Watch:
    """Everything that went wrong on one page (and the pages it navigated to)."""

    page: Page
    expected: list[Expected] = field(default_factory=list)
    found: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.page.on("console", self._console)
        self.page.on("pageerror", self._page_error)
        self.page.on("requestfailed", self._request_failed)
        self.page.on("response", self._response)

    def expect(self, status: int, method: str, path: str) -> None:
        """Allow one response, by status, method and exact path: the journey's own."""
        self.expected.append(Expected(status, method, path))

    def problems(self) -> list[str]:
        unseen = [
            f"expected {e.status} on {e.method} {e.path}, never answered"
            for e in self.expected
            if not e.seen
        ]
        return self.found + unseen

    def _allowed(self, status: int, method: str, url: str) -> bool:
        for expected in self.expected:
            if expected.matches(status, method, url):
                expected.seen += 1
                return True
        return False

    def _console(self, message: ConsoleMessage) -> None:
        if message.type not in {"error", "warning"}:
            return
        # Chromium repeats each 4xx/5xx response as a console error; the
        # response itself is judged (and allowed or reported) in _response.
        if LOAD_FAILED.match(message.text):
            return
        url = message.location.get("url", "")
        self.found.append(f"console {message.type}: {message.text} ({url})")

    def _page_error(self, error: Exception) -> None:
        self.found.append(f"uncaught exception on {self.page.url}: {error}")

    def _request_failed(self, request: Request) -> None:
        if request.failure == "net::ERR_ABORTED":
            # The browser cancelled it: the page navigated away (the test moved
            # on) before a favicon or image finished. Not the site's failure.
            return
        self.found.append(
            f"request failed: {request.method} {request.url} ({request.failure})"
        )

    def _response(self, response: Response) -> None:
        if response.status < 400:
            return
        method = response.request.method
        if not self._allowed(response.status, method, response.url):
            self.found.append(f"{response.status} on {method} {response.url}")
