"""Put a HomePage at the root of the default site in place of Wagtail's welcome page."""

from django.db import migrations


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
    apps.get_model("home.HomePage").objects.filter(depth=2, slug="home").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_home_page, remove_home_page)]
