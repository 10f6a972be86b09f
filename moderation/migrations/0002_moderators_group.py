"""The "Moderators" group, with the permissions of the moderators' workspace.

Wagtail's own first migrations make a "Moderators" group that may edit and
publish pages, images and documents; here it loses those rights, as our
moderators review accounts and never edit the site.

Revealing a full wallet number is left out on purpose: a superuser grants
moderation.reveal_wallet_number to the few senior moderators who pay prizes.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Moderators"
PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("moderation", "view_player"),
    ("moderation", "view_report"),
    ("moderation", "resolve_report"),
    ("moderation", "view_suspension"),
    ("moderation", "add_suspension"),
    ("moderation", "lift_suspension"),
]


def add_permissions(apps, schema_editor):
    # Permissions are made after all migrations run; this one needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    apps.get_model("wagtailcore", "GroupPagePermission").objects.filter(
        group=group
    ).delete()
    apps.get_model("wagtailcore", "GroupCollectionPermission").objects.filter(
        group=group
    ).delete()
    group.permissions.remove(
        *Permission.objects.filter(
            content_type__app_label__in=["wagtailcore", "wagtailimages", "wagtaildocs"]
        )
    )
    for app_label, codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(
                content_type__app_label=app_label, codename=codename
            )
        )


def remove_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is None:
        return
    for app_label, codename in PERMISSIONS:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        # After Wagtail's migrations that hand the group page, image and
        # document rights, so none of them survive.
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
