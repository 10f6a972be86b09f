"""The watch catches what it promises to, and lets through only the expected."""

import pytest

from tests.e2e.watch import Watch

ORIGIN = "http://watch.test"
PAGE = """<!doctype html><title>watch</title><img src="/missing.png" alt="">"""


@pytest.fixture
def page(browser):
    context = browser.new_context()

    def answer(route):
        path = route.request.url.removeprefix(ORIGIN)
        if path == "/":
            route.fulfill(body=PAGE, content_type="text/html")
        elif path == "/refused/":
            route.fulfill(status=400, body="{}", content_type="application/json")
        else:
            route.fulfill(status=404, body="")

    context.route(f"{ORIGIN}/**", answer)
    yield context.new_page()
    context.close()


def test_watch_reports_console_failed_assets_and_exceptions(page):
    watch = Watch(page)
    page.goto(f"{ORIGIN}/")
    page.evaluate("console.warn('careful')")
    page.evaluate("setTimeout(() => { throw new Error('boom'); })")
    page.wait_for_timeout(200)

    problems = "\n".join(watch.problems())
    assert "404 on GET http://watch.test/missing.png" in problems
    assert "console warning: careful" in problems
    assert "uncaught exception" in problems and "boom" in problems


def test_watch_allows_only_the_expected_response(page):
    watch = Watch(page)
    watch.expect(404, "GET", "/missing.png")
    watch.expect(400, "POST", "/refused/")
    page.goto(f"{ORIGIN}/")
    page.evaluate("fetch('/refused/', {method: 'POST'})")
    page.evaluate("fetch('/refused/')")
    page.wait_for_timeout(200)

    assert watch.problems() == ["400 on GET http://watch.test/refused/"]


def test_watch_reports_an_expected_failure_that_never_came(page):
    watch = Watch(page)
    watch.expect(400, "POST", "/refused/")
    page.goto(f"{ORIGIN}/")

    assert watch.problems() == [
        "404 on GET http://watch.test/missing.png",
        "expected 400 on POST /refused/, never answered",
    ]
