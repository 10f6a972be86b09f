"""Following, follow requests, privacy locks and the wallet balance, in the browser."""

from playwright.sync_api import expect

from tests.e2e.helpers import (
    read_attribute_values,
    read_texts,
    record_attribute,
    record_text,
    sign_in,
    sign_out,
)


def test_follow_shows_loading_and_counts(new_page):
    page, _ = new_page()
    sign_in(page, "follow_farhan")

    page.goto("/@follow_omar/")
    header = page.get_by_role("region", name="Follow Omar")
    followers = header.locator('a[href="/@follow_omar/followers/"]')
    expect(followers).to_have_text("0")
    button = header.locator("form.follow-form").get_by_role("button")
    expect(button).to_have_text("Follow")
    record_text(button)
    record_attribute(button, "aria-busy")
    button.click()

    expect(header.get_by_role("button", name="Unfollow")).to_be_visible()
    expect(header.get_by_text("You follow this player.")).to_be_visible()
    expect(followers).to_have_text("1")
    assert read_texts(button) == ["Follow", "Saving…", "Unfollow"]
    assert "true" in read_attribute_values(button)
    page.reload()
    expect(followers).to_have_text("1")


def test_follow_request_accepted_opens_a_followers_only_section(new_page):
    follower, _ = new_page()
    sign_in(follower, "follow_farhan")
    follower.goto("/@follow_tania/")
    trophies = follower.get_by_role("region", name="Trophy shelf")
    expect(trophies).to_contain_text("Only followers can see this")

    follower.get_by_role("button", name="Request to follow").click()
    expect(follower.get_by_role("button", name="Cancel request")).to_be_visible()
    expect(follower.get_by_text("Follow request sent.")).to_be_visible()

    owner, _ = new_page()
    sign_in(owner, "follow_tania")
    owner.goto("/@follow_tania/")
    owner.get_by_role("link", name="Follow requests (1)").click()
    owner.get_by_role("button", name="Accept Follow Farhan").click()
    expect(
        owner.get_by_text("Accepted: Follow Farhan now follows you.")
    ).to_be_visible()

    follower.reload()
    expect(follower.get_by_role("button", name="Unfollow")).to_be_visible()
    expect(trophies).to_contain_text("No trophies yet.")
    expect(trophies).not_to_contain_text("Only followers can see this")


def test_followers_only_trophies_lock_for_visitors(new_page):
    page, _ = new_page()
    sign_in(page, "locks_lamia")
    page.goto("/me/settings/privacy/")
    privacy = page.get_by_role("region", name="Privacy")
    privacy.get_by_role("combobox", name="Trophies").select_option(label="Followers")
    expect(privacy.get_by_role("status")).to_have_text("Saved")

    sign_out(page)
    page.goto("/@locks_lamia/")
    trophies = page.get_by_role("region", name="Trophy shelf")
    expect(trophies).to_contain_text("Only followers can see this")
    expect(trophies).not_to_contain_text("No trophies yet.")


def test_wallet_balance_blurs_until_shown(new_page):
    page, _ = new_page()
    sign_in(page, "balance_babul")
    page.goto("/@balance_babul/")
    wallet = page.get_by_role("region", name="Wallet balance")
    amount = wallet.locator(".wallet-card__value")

    expect(amount).to_have_class("wallet-card__value blur")
    expect(amount).to_have_attribute("aria-hidden", "true")
    expect(wallet.get_by_text("Balance hidden.")).to_be_attached()

    wallet.get_by_role("button", name="Show balance").click()
    expect(amount).not_to_have_class("wallet-card__value blur")
    expect(amount).not_to_have_attribute("aria-hidden", "true")
    expect(amount).to_contain_text("৳")

    wallet.get_by_role("button", name="Hide balance").click()
    expect(amount).to_have_class("wallet-card__value blur")
