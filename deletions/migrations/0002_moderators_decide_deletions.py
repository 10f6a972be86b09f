"""Moderators may see deletion requests and decide them, in the Wagtail admin."""

from django.db import migrations

from deltacrown import group_grants

GROUP = "Moderators"
PERMISSIONS = [
    ("deletions", "view_deletionrequest"),
    ("deletions", "decide_deletionrequest"),
]
# Reaching the admin at all; other apps' migrations may grant it too, so going
# back leaves it.
ADMIN_ACCESS = ("wagtailadmin", "access_admin")


def grant(apps, schema_editor):
    group_grants.grant(apps, GROUP, [*PERMISSIONS, ADMIN_ACCESS])


def revoke(apps, schema_editor):
    group_grants.revoke(apps, GROUP, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("deletions", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
