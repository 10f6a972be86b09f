"""The "Moderators" group, with the permissions of the moderators' workspace.

Wagtail's own first migrations make a "Moderators" group that may edit and
publish pages, images and documents; here it loses those rights, as our
moderators review accounts and never edit the site.

Revealing a full wallet number is left out on purpose: a superuser grants
moderation.reveal_wallet_number to the few senior moderators who pay prizes.
"""

from django.db import migrations

from deltacrown import group_grants

GROUP = "Moderators"
PERMISSIONS = [
    ("moderation", "view_player"),
    ("moderation", "view_report"),
    ("moderation", "resolve_report"),
    ("moderation", "view_suspension"),
    ("moderation", "add_suspension"),
    ("moderation", "lift_suspension"),
]
# Other apps' migrations grant it too, so going back leaves it.
ADMIN_ACCESS = ("wagtailadmin", "access_admin")
SITE_CONTENT_APPS = ["wagtailcore", "wagtailimages", "wagtaildocs"]


def add_permissions(apps, schema_editor):
    group_grants.grant(apps, GROUP, [*PERMISSIONS, ADMIN_ACCESS])
    group = apps.get_model("auth", "Group").objects.get(name=GROUP)
    for model in ("GroupPagePermission", "GroupCollectionPermission"):
        apps.get_model("wagtailcore", model).objects.filter(group=group).delete()
    group.permissions.remove(
        *apps.get_model("auth", "Permission").objects.filter(
            content_type__app_label__in=SITE_CONTENT_APPS
        )
    )


def remove_permissions(apps, schema_editor):
    # The page, image and document rights taken away stay away.
    group_grants.revoke(apps, GROUP, PERMISSIONS)


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
