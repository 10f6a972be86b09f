"""Put a HomePage at the root of the default site in place of Wagtail's welcome page."""

from django.db import migrations, models

# Wagtail's page tree spends four characters of the path on each level.
STEPLEN = 4


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Locale = apps.get_model("wagtailcore.Locale")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("home.HomePage")

    if HomePage.objects.exists():
        return
    welcome = Page.objects.filter(depth=2, slug="home", content_type__model="page")
    if not welcome.exists() or Page.objects.filter(depth=2).count() != 1:
        # Someone has built their own tree; leave it alone.
        return
    path = welcome.get().path
    welcome.delete()  # its Site goes with it

    content_type, _ = ContentType.objects.get_or_create(app_label="home", model="homepage")
    home = HomePage.objects.create(
        title="DeltaCrown",
        draft_title="DeltaCrown",
        slug="home",
        content_type=content_type,
        path=path,
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=Locale.objects.order_by("pk").first(),
        hero_title="Welcome to DeltaCrown",
        hero_text="Bangladesh's esports community: tournaments, teams and players.",
    )
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True
    )


def remove_home_page(apps, schema_editor):
    """Give the tree back to Wagtail's welcome page, as it was before this migration.

    Unapplying the home app drops the tables of its page types, so every page of
    those types goes now, with the pages beneath it, rather than staying in the
    tree without its content. If that empties the top of the tree, Wagtail's
    welcome page and a default site come back, so this migration can run again.
    """
    ContentType = apps.get_model("contenttypes.ContentType")
    Locale = apps.get_model("wagtailcore.Locale")
    Page = apps.get_model("wagtailcore.Page")
    ReferenceIndex = apps.get_model("wagtailcore.ReferenceIndex")
    Revision = apps.get_model("wagtailcore.Revision")
    Site = apps.get_model("wagtailcore.Site")
    WorkflowState = apps.get_model("wagtailcore.WorkflowState")

    page_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="page"
    )
    home_types = ContentType.objects.filter(app_label="home")

    # The topmost pages of home's types; their subtrees go with them.
    tops = []
    home_paths = Page.objects.filter(content_type__in=home_types).order_by("path")
    for path in home_paths.values_list("path", flat=True):
        if not any(path.startswith(top) for top in tops):
            tops.append(path)

    if tops:
        subtrees = models.Q()
        for top in tops:
            subtrees |= models.Q(path__startswith=top)
        doomed = Page.objects.filter(subtrees)
        ids = [str(pk) for pk in doomed.values_list("pk", flat=True)]

        # Revisions, workflow states and references point at pages by id, not by
        # foreign key, so they are removed by hand; the rest cascades.
        Revision.objects.filter(base_content_type=page_type, object_id__in=ids).delete()
        WorkflowState.objects.filter(
            base_content_type=page_type, object_id__in=ids
        ).delete()
        ReferenceIndex.objects.filter(
            models.Q(content_type__in=home_types)
            | models.Q(base_content_type=page_type, object_id__in=ids)
            | models.Q(to_content_type=page_type, to_object_id__in=ids)
        ).delete()
        doomed.delete()

        for parent_path in {top[:-STEPLEN] for top in tops}:
            children = Page.objects.filter(
                path__startswith=parent_path,
                depth=len(parent_path) // STEPLEN + 1,
            )
            Page.objects.filter(path=parent_path).update(numchild=children.count())

    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None or Page.objects.filter(depth=2).exists():
        return
    title = "Welcome to your new Wagtail site!"
    welcome = Page.objects.create(
        title=title,
        draft_title=title,
        slug="home",
        content_type=page_type,
        path=root.path + "0001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=Locale.objects.order_by("pk").first(),
    )
    Page.objects.filter(pk=root.pk).update(numchild=1)
    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(
            hostname="localhost", port=80, root_page=welcome, is_default_site=True
        )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_home_page, remove_home_page)]
