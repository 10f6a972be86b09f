"""Granting a staff group permissions from a data migration.

Django makes permissions only once every migration has run, so a migration
that grants some first makes those of the apps they belong to. Going back
takes away only what that migration granted: the group, and whatever else it
holds, stay.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

Grant = tuple[str, str]  # (app label, codename)


def grant(apps, group_name: str, permissions: list[Grant]) -> None:
    """Give the group (made if missing) these permissions."""
    for app_label in sorted({app_label for app_label, _codename in permissions}):
        create_permissions(
            global_apps.get_app_config(app_label), apps=apps, verbosity=0
        )
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=group_name)
    group.permissions.add(
        *[
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in permissions
        ]
    )


def revoke(apps, group_name: str, permissions: list[Grant]) -> None:
    """Take these permissions from the group, if it still exists."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=group_name).first()
    if group is None:
        return
    for app_label, codename in permissions:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            )
        )
