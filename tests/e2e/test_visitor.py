"""An anonymous visitor looks around: home, a full profile, a locked one, search."""

from playwright.sync_api import expect

SECTIONS = (
    "About",
    "Social links",
    "Game passports",
    "Trophy shelf",
    "Teams",
    "Match history",
)


def test_visitor_sees_home_profile_lock_and_search(new_page):
    page, _ = new_page()

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Sign up")).to_be_visible()

    # The richest demo player shows the header and all six sections, all public;
    # the eighth component, the wallet balance, is for its owner alone.
    page.goto("/@rakib/")
    expect(page.get_by_role("heading", level=1)).to_have_text("রাকিব হাসান")
    expect(page.get_by_text("@rakib", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Sign in to follow")).to_be_visible()
    for title in SECTIONS:
        section = page.get_by_role("region", name=title, exact=True)
        expect(section).to_be_visible()
        expect(section.locator(".card__lock-text")).to_have_count(0)
        if title != "About":
            expect(section.get_by_role("listitem").first).to_be_visible()
    expect(page.get_by_role("region", name="Wallet balance")).to_have_count(0)

    # A followers-only section shows who can see it, and nothing of its content.
    page.goto("/@follow_tania/")
    trophies = page.get_by_role("region", name="Trophy shelf")
    expect(trophies).to_contain_text("Only followers can see this")
    expect(trophies.get_by_text("No trophies yet.")).to_have_count(0)

    page.get_by_role("searchbox", name="Search").fill("rakib")
    page.get_by_role("searchbox", name="Search").press("Enter")
    expect(page).to_have_url("/search/?q=rakib")
    players = page.get_by_role("region", name="Players")
    players.get_by_role("link", name="@rakib").click()
    expect(page).to_have_url("/@rakib/")
