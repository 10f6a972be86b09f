"""The requests each benchmark scenario sends, shared by run.py and load.py.

A scenario maps a simulated user's number to a function that, given a flag
that flips on every request, returns (method, path, headers, body).
"""

import json

# What the proxy in front of gunicorn adds in production. Session and CSRF
# cookies are Secure, so without it no browser would send them back.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def scenarios(sessions: dict) -> dict:
    """Each scenario: how user number `n` makes its next request."""
    host = sessions["host"].replace("http://", "https://")
    profile = f"/@{sessions['profile']}/"
    section = "/me/settings/notifications/"
    html = {"Accept": "text/html", **PROXY_HEADERS}
    as_json = {"Accept": "application/json", **PROXY_HEADERS}

    def get(path, headers, role=None):
        def make(n):
            viewer = viewer_for(sessions, role, n)
            sent = dict(headers)
            if viewer:
                sent["Cookie"] = viewer["cookie"]
            return lambda flip: ("GET", path, sent, None)

        return make

    def post_section(n):
        viewer = viewer_for(sessions, "settings", n)
        sent = {
            **as_json,
            "Content-Type": "application/json",
            "Cookie": viewer["cookie"],
            "X-CSRFToken": viewer["csrf"],
            "Origin": host,
            "Referer": host + "/me/settings/",
        }
        # Each save changes the value, so every request writes a row.
        return lambda flip: (
            "POST",
            section,
            sent,
            json.dumps({"site_achievement": flip}),
        )

    return {
        "ping": get("/healthz", as_json),
        "home": get("/", html),
        "profile-anonymous": get(profile, html),
        "profile-member": get(profile, html, "member"),
        "profile-follower": get(profile, html, "follower"),
        "profile-owner": get(profile, html, "owner"),
        "settings-page": get("/me/settings/", html, "settings"),
        "settings-get": get(section, as_json, "settings"),
        "settings-post": post_section,
    }


def viewer_for(sessions: dict, role: str | None, n: int) -> dict | None:
    if role is None:
        return None
    if role == "settings":
        players = sessions["settings"]
        return players[n % len(players)]
    return sessions["roles"][role]
