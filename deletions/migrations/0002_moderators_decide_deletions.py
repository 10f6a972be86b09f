"""Moderators may see deletion requests and decide them, in the Wagtail admin."""

from django.db import migrations

GROUP = "Moderators"
CODENAMES = {
    "view_deletionrequest": "Can view deletion request",
    "decide_deletionrequest": "Can approve or reject",
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")

    content_type, _ = ContentType.objects.get_or_create(
        app_label="deletions", model="deletionrequest"
    )
    permissions = [
        Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )[0]
        for codename, name in CODENAMES.items()
    ]
    # Reaching the admin at all; other parts of the admin may grant it too.
    access_admin = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    if access_admin is not None:
        permissions.append(access_admin)

    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="deletions", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("deletions", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
