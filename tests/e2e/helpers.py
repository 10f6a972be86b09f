"""Steps the journeys share: signing in, and checking how a page looks."""

import io
import json
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, expect

from tests.e2e.players import PASSWORD

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[2] / "e2e-artifacts"


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form, as a player would."""
    page.goto("/accounts/login/")
    page.get_by_role("textbox", name="Login").fill(username)
    page.get_by_role("textbox", name="Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_attached()


def sign_out(page: Page) -> None:
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("button", name="Sign out").click()
    expect(nav.get_by_role("link", name="Sign in")).to_be_visible()


def save_screenshot(page: Page, name: str) -> Path:
    """Save the whole page as e2e-artifacts/<name>-<width>.png."""
    width = page.viewport_size["width"]
    path = ARTIFACTS / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def horizontal_overflow(page: Page) -> list[str]:
    """The visible elements that stick out past the right edge of the window."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return [];
            const wide = [];
            for (const el of document.body.querySelectorAll("*")) {
                const box = el.getBoundingClientRect();
                if (box.width && box.right > width + 0.5) {
                    const name = el.tagName.toLowerCase()
                        + (el.id ? "#" + el.id : "")
                        + (el.className && typeof el.className === "string"
                            ? "." + el.className.trim().split(/\\s+/).join(".") : "");
                    wide.push(name + " ends at " + Math.round(box.right) + "px");
                }
            }
            return wide.slice(0, 10);
        }"""
    )


def axe_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now.

    All of axe's WCAG 2.x A and AA rules run, 2.2's target size among them.
    """
    # Evaluated through the debugging protocol, which the page's CSP (no inline
    # scripts) does not govern, so the page keeps its real policy.
    page.evaluate(AXE.read_text() + "\n;undefined")
    result = page.evaluate(
        """async () => {
            const options = {
                runOnly: {type: "tag", values: [
                    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                    "best-practice",
                ]},
            };
            const found = await axe.run(document, options);
            return found.violations
                .filter(v => v.impact === "serious" || v.impact === "critical")
                .map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
                }));
        }"""
    )
    return [json.dumps(violation) for violation in result]


def record_text(locator) -> None:
    """Start writing down every text the element shows, for read_texts."""
    locator.evaluate(
        """el => {
            el.__texts = [el.textContent.trim()];
            new MutationObserver(() => el.__texts.push(el.textContent.trim()))
                .observe(el, {childList: true, characterData: true, subtree: true});
        }"""
    )


def read_texts(locator) -> list[str]:
    """The texts the element has shown since record_text, in order."""
    return [text for text in locator.evaluate("el => el.__texts") if text]


def record_attribute(locator, name: str) -> None:
    """Start writing down every value an attribute of the element takes."""
    locator.evaluate(
        """(el, name) => {
            el.__values = [el.getAttribute(name)];
            new MutationObserver(() => el.__values.push(el.getAttribute(name)))
                .observe(el, {attributes: true, attributeFilter: [name]});
        }""",
        name,
    )


def read_attribute_values(locator) -> list:
    return locator.evaluate("el => el.__values")


def confirm_password(page: Page, password: str = PASSWORD) -> None:
    """Answer the re-authentication page the wallet section sends players to."""
    page.get_by_role("link", name="Confirm it's you").click()
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Confirm").click()


def png(colour: str = "#e11d48") -> bytes:
    """A small square PNG, for an avatar upload."""
    buffer = io.BytesIO()
    Image.new("RGB", (120, 120), colour).save(buffer, "PNG")
    return buffer.getvalue()
