"""The "Editors" group holds exactly what editors need, and nothing of players.

Wagtail's first migration makes an "Editors" group with page and media
permissions; this one sets its permissions outright: the admin, pages from the
root (add, change, publish, lock), images and documents, the game, achievement,
team and award snippets, and the community settings. Nothing about accounts,
profiles, wallets or moderation. Reversing it leaves the group as it is.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODEL_PERMISSIONS = {
    "wagtailadmin": {"admin": ["access_admin"]},
    "wagtailimages": {"image": ["add", "change", "delete", "choose"]},
    "wagtaildocs": {"document": ["add", "change", "delete", "choose"]},
    "profiles": {
        model: ["add", "change", "delete", "view"]
        for model in ("game", "achievement", "team", "userachievement")
    },
    "home": {"communitysettings": ["change"]},
}
PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
]
COLLECTION_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "delete_image", "choose_image"],
    "wagtaildocs": [
        "add_document",
        "change_document",
        "delete_document",
        "choose_document",
    ],
}


def codename(action: str, model: str) -> str:
    return action if action == "access_admin" else f"{action}_{model}"


def set_editors_permissions(apps, schema_editor):
    # Permissions are made after all migrations run; a new database needs
    # them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )

    editors, _ = Group.objects.get_or_create(name="Editors")
    wanted = [
        Permission.objects.get(
            content_type__app_label=app, codename=codename(action, model)
        )
        for app, models in MODEL_PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    ]
    editors.permissions.set(wanted)

    GroupPagePermission.objects.filter(group=editors).delete()
    root_page = Page.objects.filter(depth=1).first()
    if root_page is not None:
        for name in PAGE_PERMISSIONS:
            GroupPagePermission.objects.create(
                group=editors,
                page=root_page,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=name
                ),
            )

    GroupCollectionPermission.objects.filter(group=editors).delete()
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for app, names in COLLECTION_PERMISSIONS.items():
            for name in names:
                GroupCollectionPermission.objects.create(
                    group=editors,
                    collection=root_collection,
                    permission=Permission.objects.get(
                        content_type__app_label=app, codename=name
                    ),
                )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0004_editorial_details"),
        ("profiles", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [
        migrations.RunPython(set_editors_permissions, migrations.RunPython.noop),
    ]
