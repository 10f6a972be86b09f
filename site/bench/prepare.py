"""Seed the benchmark's database once and give its viewers passwords.

    python site/bench/prepare.py PLAYERS MARKER OUT

Runs against whatever DATABASE_URL names (site/bench/run.py points it at the
benchmark's own PostgreSQL). The demo data is seeded only when MARKER does not
already record PLAYERS players for this database, so a second run reuses it.
Every viewer is a seeded demo player, given the same password each run, so a
later `seed_demo` on this database still recognises all of them. Writes the
logins, as JSON, to OUT.
"""

import json
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
PASSWORD = "deltacrown-bench-2026"
# Settings are saved by this many players at once, one each, as the load
# generator runs that many users: one player never saves from eight tabs.
SETTINGS_PLAYERS = 8


def main(players: int, marker: Path, out: Path) -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deltacrown.settings.production")
    import django

    django.setup()

    from django.core.management import call_command

    wanted = f"players={players}\n"
    if not marker.exists() or marker.read_text() != wanted:
        started = time.monotonic()
        print(f"bench: seeding {players} players (once per database)", flush=True)
        call_command("seed_demo", players=players, verbosity=1)
        marker.write_text(wanted)
        print(f"bench: seeded in {time.monotonic() - started:.0f} s", flush=True)

    out.write_text(json.dumps(viewers(), indent=2))


def viewers() -> dict:
    """The owner, a follower, a member and the settings players, with passwords."""
    from django.db.models import Count, Q

    from profiles.management import demo_data as data
    from profiles.management.commands.seed_demo import ensure_login
    from profiles.models import Follow, Profile, ProfileVisibility

    owner_name, owner_password = data.PLAYER_LOGIN
    owner = Profile.objects.get(user__username=owner_name)
    demo = Profile.objects.filter(
        user__email__endswith="@" + data.DEMO_EMAIL_DOMAIN,
        user__is_staff=False,
        user__is_active=True,
    ).exclude(pk=owner.pk)

    follower = (
        demo.filter(
            following_set__followee=owner,
            following_set__status=Follow.Status.ACCEPTED,
        )
        .order_by("pk")
        .first()
    )
    strangers = demo.exclude(
        Q(following_set__followee=owner)
        | Q(follower_set__follower=owner)
        | Q(blocks_made__blocked=owner)
        | Q(blocks_received__blocker=owner)
    ).filter(privacy__profile_visibility=ProfileVisibility.PUBLIC)
    member = strangers.order_by("pk").first()
    # Players with something to show in their settings: passports and links.
    savers = list(
        strangers.exclude(pk=member.pk)
        .annotate(passports=Count("game_profiles", distinct=True))
        .filter(passports__gte=2)
        .order_by("pk")[:SETTINGS_PLAYERS]
    )
    if follower is None or member is None or len(savers) < SETTINGS_PLAYERS:
        raise SystemExit("bench: the seeded data lacks a follower, member or players")

    def login(profile) -> dict:
        ensure_login(profile.user.username, PASSWORD)
        return {"username": profile.user.username, "password": PASSWORD}

    ensure_login(owner_name, owner_password)
    return {
        "profile": owner.user.username,
        "owner": {"username": owner_name, "password": owner_password},
        "follower": login(follower),
        "member": login(member),
        "settings": [login(profile) for profile in savers],
    }


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(int(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
