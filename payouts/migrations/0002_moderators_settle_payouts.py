"""Moderators see and settle payout claims.

The group may already exist (made by another app's migration or by hand), so
it is fetched or made here; going back removes only the permissions this
migration granted and leaves the group and its other permissions alone.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

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
    # Permissions are normally made after all migrations have run; make this
    # app's now so they can be granted.
    create_permissions(
        global_apps.get_app_config("payouts"), apps=apps, verbosity=0
    )

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *[
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in [*PERMISSIONS, ADMIN_ACCESS]
        ]
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is None:
        return
    for app, codename in PERMISSIONS:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label=app, codename=codename
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("payouts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
