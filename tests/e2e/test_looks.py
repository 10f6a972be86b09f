"""Each page at desktop and phone width: a screenshot, no sideways scroll, no axe
finding.

Screenshots land in e2e-artifacts/<page>-<width>.png for a reviewer to look at.
axe-core (tests/e2e/vendor/) checks the WCAG 2.2 A and AA rules, tap-target
size among them, and fails the page on any serious or critical finding.
"""

import pytest
from playwright.sync_api import expect

from profiles.management.demo_data import PLAYER_LOGIN
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.helpers import (
    axe_violations,
    horizontal_overflow,
    save_screenshot,
    sign_in,
)

# name, path, who is signed in (None: a visitor)
PAGES = [
    ("home", "/", None),
    ("profile", "/@rakib/", None),
    ("profile-locked", "/@follow_tania/", None),
    ("search", "/search/?q=rakib", None),
    ("login", "/accounts/login/", None),
    ("signup", "/accounts/signup/", None),
    ("password-reset", "/accounts/password/reset/", None),
    ("profile-owner", "/@rakib/", PLAYER_LOGIN),
    ("settings", "/me/settings/", PLAYER_LOGIN),
    ("settings-notifications", "/me/settings/notifications/", PLAYER_LOGIN),
    ("settings-privacy", "/me/settings/privacy/", PLAYER_LOGIN),
    ("settings-games", "/me/settings/games/", PLAYER_LOGIN),
    ("settings-wallet", "/me/settings/wallet/", PLAYER_LOGIN),
    ("follow-requests", "/me/follow-requests/", PLAYER_LOGIN),
]


@pytest.mark.parametrize(("name", "path", "login"), PAGES, ids=[p[0] for p in PAGES])
def test_page_looks_right_on_desktop_and_phone(new_page, name, path, login):
    page, _ = new_page()
    if login:
        sign_in(page, *login)

    problems = []
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.goto(path)
        expect(page.get_by_role("main")).to_be_visible()
        save_screenshot(page, name)
        width = viewport["width"]
        problems += [
            f"{width}px: wider than the window: {o}" for o in horizontal_overflow(page)
        ]
        problems += [f"{width}px: axe: {v}" for v in axe_violations(page)]
    assert not problems, "\n".join(problems)
