"""With JavaScript off, settings and follows still save through plain form posts."""

from playwright.sync_api import expect

from tests.e2e.helpers import confirm_password, png, sign_in


def test_settings_save_without_javascript(new_page):
    page, watch = new_page(javascript=False)
    sign_in(page, "nojs_nadia")

    # Each section is a page of its own: the links navigate.
    page.goto("/me/settings/")
    page.get_by_role("navigation", name="Settings sections").get_by_role(
        "link", name="Notifications"
    ).click()
    expect(page).to_have_url("/me/settings/notifications/")
    notifications = page.get_by_role("region", name="Notifications")
    switch = notifications.get_by_role("group", name="New follower").get_by_role(
        "checkbox", name="Email"
    )
    switch.uncheck()
    notifications.get_by_role("button", name="Save notifications").click()
    expect(page.get_by_role("status").first).to_contain_text("saved")
    page.reload()
    expect(switch).not_to_be_checked()

    page.goto("/me/settings/wallet/")
    confirm_password(page)
    wallet = page.get_by_role("region", name="Wallet")
    bkash = wallet.get_by_role("textbox", name="bKash number")
    watch.expect(400, "POST", "/me/settings/wallet/")
    bkash.fill("12345")
    wallet.get_by_role("button", name="Save wallet").click()
    expect(wallet).to_contain_text("Enter a Bangladeshi mobile number")
    expect(bkash).to_have_attribute("aria-invalid", "true")

    bkash.fill("০১৭১২-৩৪৫৬৭৮")
    wallet.get_by_role("button", name="Save wallet").click()
    expect(bkash).to_have_value("01712345678")
    expect(bkash).not_to_have_attribute("aria-invalid", "true")

    page.goto("/me/settings/basic/")
    profile = page.get_by_role("region", name="Profile")
    profile.get_by_label("Avatar", exact=True).set_input_files(
        files=[{"name": "me.png", "mimeType": "image/png", "buffer": png()}]
    )
    profile.get_by_role("button", name="Save profile").click()
    expect(profile.get_by_role("img", name="Your current avatar")).to_be_visible()
    page.goto("/@nojs_nadia/")
    avatar = page.get_by_role("region", name="Nojs Nadia").locator("img.avatar__img")
    expect(avatar).to_be_visible()
    assert avatar.evaluate("img => img.complete && img.naturalWidth > 0")


def test_follow_without_javascript_counts(new_page):
    page, _ = new_page(javascript=False)
    sign_in(page, "nojs_follower")
    page.goto("/@nojs_omar/")
    header = page.get_by_role("region", name="Nojs Omar")
    followers = header.locator('a[href="/@nojs_omar/followers/"]')
    expect(followers).to_have_text("0")

    header.get_by_role("button", name="Follow", exact=True).click()
    expect(header.get_by_role("button", name="Unfollow")).to_be_visible()
    expect(header.get_by_text("You follow this player.")).to_be_visible()
    expect(followers).to_have_text("1")


def test_follow_request_and_accept_without_javascript(new_page):
    follower, _ = new_page(javascript=False)
    sign_in(follower, "nojs_follower")
    follower.goto("/@nojs_followee/")
    teams = follower.get_by_role("region", name="Teams")
    expect(teams).to_contain_text("Only followers can see this")
    follower.get_by_role("button", name="Request to follow").click()
    expect(follower.get_by_role("button", name="Cancel request")).to_be_visible()

    owner, _ = new_page(javascript=False)
    sign_in(owner, "nojs_followee")
    owner.goto("/me/follow-requests/")
    owner.get_by_role("button", name="Accept Nojs Follower").click()
    expect(owner.get_by_role("button", name="Accept Nojs Follower")).to_have_count(0)

    follower.reload()
    expect(follower.get_by_role("button", name="Unfollow")).to_be_visible()
    expect(teams).to_contain_text("Not in a team yet.")
