"""Settings in the browser: panels, a switch that saves itself, wallet, avatar."""

from playwright.sync_api import expect

from tests.e2e.helpers import (
    confirm_password,
    png,
    read_texts,
    record_text,
    sign_in,
)


def test_settings_switches_sections_and_saves(new_page):
    page, watch = new_page()
    sign_in(page, "settings_sadia")
    page.goto("/me/settings/")

    # Switching panels changes the address without a reload.
    sections = page.get_by_role("navigation", name="Settings sections")
    sections.get_by_role("link", name="Notifications").click()
    notifications = page.get_by_role("region", name="Notifications")
    expect(notifications).to_be_visible()
    expect(page.get_by_role("region", name="Profile")).to_be_hidden()
    expect(page).to_have_url("/me/settings/notifications/#notifications")

    # A switch saves as it flips: "Saving…", then "Saved", and stays after reload.
    status = notifications.get_by_role("status")
    record_text(status)
    switch = notifications.get_by_role("group", name="New follower").get_by_role(
        "checkbox", name="Email"
    )
    expect(switch).to_be_checked()
    switch.uncheck()
    expect(status).to_have_text("Saved")
    assert read_texts(status) == ["Saving…", "Saved"]
    page.reload()
    expect(switch).not_to_be_checked()

    # Wallet: a wrong number is refused beside its field, a Bengali one is stored.
    sections.get_by_role("link", name="Wallet", exact=True).click()
    wallet = page.get_by_role("region", name="Wallet")
    confirm_password(page)
    bkash = wallet.get_by_role("textbox", name="bKash number")
    watch.expect(400, "POST", "/me/settings/wallet/")
    bkash.fill("12345")
    wallet.get_by_role("button", name="Save wallet").click()
    expect(bkash).to_have_attribute("aria-invalid", "true")
    expect(wallet.get_by_role("status")).to_contain_text(
        "Enter a Bangladeshi mobile number"
    )
    expect(wallet.locator("[data-field-errors=bkash_number]")).to_be_visible()

    bkash.fill("০১৭১২-৩৪৫৬৭৮")
    wallet.get_by_role("button", name="Save wallet").click()
    expect(wallet.get_by_role("status")).to_have_text("Saved")
    expect(bkash).to_have_value("01712345678")
    expect(bkash).not_to_have_attribute("aria-invalid", "true")
    page.reload()
    expect(bkash).to_have_value("01712345678")

    # Avatar: uploaded in the Profile panel, then shown on the public profile.
    sections.get_by_role("link", name="Profile", exact=True).click()
    profile = page.get_by_role("region", name="Profile")
    profile.get_by_label("Avatar", exact=True).set_input_files(
        files=[{"name": "me.png", "mimeType": "image/png", "buffer": png()}]
    )
    profile.get_by_role("button", name="Save profile").click()
    expect(profile.get_by_role("status")).to_have_text("Saved")
    expect(profile.get_by_role("img", name="Your current avatar")).to_be_visible()

    page.goto("/@settings_sadia/")
    header = page.get_by_role("region", name="Settings Sadia")
    # Decorative beside the name (alt=""), so it has no role to find it by.
    avatar = header.locator("img.avatar__img")
    expect(avatar).to_be_visible()
    assert avatar.evaluate("img => img.complete && img.naturalWidth > 0")
