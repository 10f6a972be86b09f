"""Moderators see and settle payout claims.

The group may already exist (made by another app's migration or by hand), so
it is fetched or made here; going back removes only the permissions this
migration granted and leaves the group and its other permissions alone.
"""

from django.db import migrations

from deltacrown import group_grants

GROUP = "Moderators"
PERMISSIONS = [
    ("payouts", "view_payoutclaim"),
    ("payouts", "resolve_payoutclaim"),
    # Staff paying by hand need the number; each reveal is audit-logged.
    ("payouts", "reveal_payoutclaim"),
]
# Moderators work in the Wagtail admin; granting it twice does no harm, and
# taking it back is left to whoever owns the group.
ADMIN_ACCESS = ("wagtailadmin", "access_admin")


def grant(apps, schema_editor):
    group_grants.grant(apps, GROUP, [*PERMISSIONS, ADMIN_ACCESS])


def revoke(apps, schema_editor):
    group_grants.revoke(apps, GROUP, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("payouts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
