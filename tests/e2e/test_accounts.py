"""Signing up through the emailed link, and resetting a forgotten password."""

from playwright.sync_api import expect

from tests.e2e.helpers import sign_in
from tests.e2e.watch import path_of


def test_sign_up_confirm_email_and_open_settings(new_page, site):
    page, _ = new_page()
    address = "newcomer@example.com"

    page.goto("/accounts/signup/")
    page.get_by_role("textbox", name="Email").fill(address)
    page.get_by_role("textbox", name="Username").fill("newcomer")
    page.get_by_role("textbox", name="Password", exact=True).fill("Kopotakkho-2026")
    page.get_by_role("textbox", name="Password (again)").fill("Kopotakkho-2026")
    page.get_by_role("button", name="Sign up").click()
    expect(
        page.get_by_role("heading", name="Verify your email address")
    ).to_be_visible()

    page.goto(site.link_in_last_email(address, "/accounts/confirm-email/"))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_attached()

    page.goto("/me/settings/")
    expect(page.get_by_role("heading", name="Settings", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="@newcomer")).to_be_visible()
    expect(page.get_by_role("region", name="Profile")).to_be_visible()


def test_password_reset_through_the_emailed_link(new_page, site):
    page, _ = new_page()
    address = "reset_rumana@example.com"

    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_role("textbox", name="Email").fill(address)
    page.get_by_role("button", name="Reset my password").click()
    expect(page).to_have_url("/accounts/password/reset/done/")

    page.goto(site.link_in_last_email(address, "/accounts/password/reset/key/"))
    page.get_by_role("textbox", name="New Password", exact=True).fill(
        "Nodir-Dhare-2026"
    )
    page.get_by_role("textbox", name="New Password (again)").fill("Nodir-Dhare-2026")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password is now changed.")).to_be_visible()
    assert path_of(page.url) == "/accounts/password/reset/key/done/"

    sign_in(page, "reset_rumana", "Nodir-Dhare-2026")
