"""Players report profiles; moderators dismiss, warn or suspend, and it shows."""

from datetime import timedelta
from http import HTTPStatus

from django.core import mail
from django.test import Client
from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest

from moderation import services
from moderation.models import Report, Suspension
from profiles.models import PrivacySettings, ProfileVisibility
from tests.factories import PASSWORD, signed_in, verified_user

pytestmark = pytest.mark.django_db

HTML = {"HTTP_ACCEPT": "text/html"}


@pytest.fixture
def target(db):
    return verified_user(username="cheater", email="cheater@example.com")


@pytest.fixture
def reporter_client(db):
    return signed_in(verified_user(username="honest"))


def _report(target, reason="cheating", note="Aimbot in the final"):
    reporter = verified_user(username=f"witness{Report.objects.count()}")
    return services.report_profile(reporter.profile, target.profile, reason, note)


def _resolve(moderator_client, report, **data):
    return moderator_client.post(f"/admin/moderation/reports/{report.pk}/", data)


def _is_signed_in(client) -> bool:
    response = client.get("/me/settings/", **HTML)
    return response.status_code == HTTPStatus.OK


def test_a_player_reports_a_profile_once(reporter_client, target):
    url = "/@cheater/report/"
    assert "What is wrong" in reporter_client.get(url).content.decode()

    response = reporter_client.post(url, {"reason": "cheating", "note": "Aimbot"})
    again = reporter_client.post(url, {"reason": "spam"}, follow=True)

    assert response.status_code == HTTPStatus.FOUND
    report = Report.objects.get()
    assert (report.profile.user, report.reason, report.note) == (
        target,
        "cheating",
        "Aimbot",
    )
    assert report.status == Report.Status.OPEN
    assert "already reported" in again.content.decode()
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    "data", [{"reason": "boredom"}, {}, {"reason": "spam", "note": "x" * 5000}]
)
def test_a_bad_report_is_refused_and_saves_nothing(reporter_client, target, data):
    response = reporter_client.post("/@cheater/report/", data)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Report.objects.exists()


def test_nobody_reports_themselves_a_hidden_profile_or_while_signed_out(target):
    own = signed_in(target)
    own.post("/@cheater/report/", {"reason": "spam"})
    signed_out = Client().post("/@cheater/report/", {"reason": "spam"})
    PrivacySettings.objects.filter(profile=target.profile).update(
        profile_visibility=ProfileVisibility.HIDDEN
    )
    other = signed_in(verified_user(username="other"))
    hidden = other.post("/@cheater/report/", {"reason": "spam"})

    assert signed_out.status_code == HTTPStatus.FOUND
    assert signed_out["Location"].startswith("/accounts/login/")
    assert hidden.status_code == HTTPStatus.NOT_FOUND
    assert not Report.objects.exists()


def test_dismissing_a_report_needs_a_note_and_is_audited(
    moderator_client, moderator, target
):
    report = _report(target)

    empty = _resolve(moderator_client, report, outcome="dismissed", reason="  ")
    report.refresh_from_db()
    assert empty.status_code == HTTPStatus.OK
    assert report.status == Report.Status.OPEN

    _resolve(moderator_client, report, outcome="dismissed", reason="Not cheating")
    report.refresh_from_db()
    assert report.status == Report.Status.DISMISSED
    assert report.resolved_by == moderator
    assert report.resolution_note == "Not cheating"
    entry = ModelLogEntry.objects.get(action="moderation.report.dismissed")
    assert entry.user == moderator and entry.object_id == str(report.pk)
    assert target.__class__.objects.get(pk=target.pk).is_active

    # A second moderator acting on the same report changes nothing.
    with pytest.raises(services.ActionRefused):
        services.resolve_report(report, moderator, "suspended", "Too late")
    report.refresh_from_db()
    assert report.status == Report.Status.DISMISSED


def test_a_warning_is_emailed_to_the_player(
    moderator_client, target, django_capture_on_commit_callbacks
):
    report = _report(target)

    with django_capture_on_commit_callbacks(execute=True):
        _resolve(
            moderator_client,
            report,
            outcome="warned",
            reason='Don\'t post "boosting" <links> & ads',
        )

    report.refresh_from_db()
    assert report.status == Report.Status.WARNED
    assert [message.to for message in mail.outbox] == [["cheater@example.com"]]
    assert 'Don\'t post "boosting" <links> & ads' in mail.outbox[0].body


def test_a_suspension_signs_the_player_out_hides_the_profile_and_bars_sign_in(
    moderator_client, moderator, target
):
    players_phone = signed_in(target)
    assert _is_signed_in(players_phone)
    assert Client().get("/@cheater/").status_code == HTTPStatus.OK
    report = _report(target)
    ends_on = (timezone.localdate() + timedelta(days=7)).isoformat()

    _resolve(
        moderator_client,
        report,
        outcome="suspended",
        reason="Aimbot confirmed",
        ends_on=ends_on,
    )

    target.refresh_from_db()
    suspension = Suspension.objects.get(user=target)
    assert not target.is_active
    assert suspension.reason == "Aimbot confirmed"
    assert timezone.localtime(suspension.ends_at).date().isoformat() == ends_on
    assert not _is_signed_in(players_phone)
    page = Client().get("/@cheater/")
    assert page.status_code == HTTPStatus.NOT_FOUND
    assert "This profile is unavailable" in page.content.decode()
    assert "cheater" not in page.content.decode().split("<main", 1)[-1]
    sign_in = Client().post(
        "/accounts/login/", {"login": "cheater", "password": PASSWORD}
    )
    assert "This account is suspended" in sign_in.content.decode()
    assert "_auth_user_id" not in sign_in.wsgi_request.session
    actions = set(
        ModelLogEntry.objects.filter(user=moderator).values_list("action", flat=True)
    )
    assert {"moderation.suspend", "moderation.report.suspended"} <= actions


def test_a_suspension_that_has_ended_lets_the_player_back_in(moderator, target):
    services.suspend_player(target, moderator, "Cooling off")
    Suspension.objects.filter(user=target).update(
        ends_at=timezone.now() - timedelta(minutes=1)
    )

    client = Client()
    client.post("/accounts/login/", {"login": "cheater", "password": PASSWORD})

    assert _is_signed_in(client)
    target.refresh_from_db()
    assert target.is_active
    assert Client().get("/@cheater/").status_code == HTTPStatus.OK


def test_a_moderator_suspends_and_lifts_from_the_player_page(
    moderator_client, moderator, target
):
    url = f"/admin/moderation/players/{target.profile.pk}/"

    past = moderator_client.post(
        f"{url}suspend/",
        {"reason": "x", "ends_on": timezone.localdate().isoformat()},
    )
    target.refresh_from_db()
    assert past.status_code == HTTPStatus.FOUND and target.is_active

    moderator_client.post(f"{url}suspend/", {"reason": "Scamming teammates"})
    target.refresh_from_db()
    assert not target.is_active
    assert Suspension.objects.get(user=target).ends_at is None
    assert "Scamming teammates" in moderator_client.get(url).content.decode()

    moderator_client.post(f"{url}lift/")
    target.refresh_from_db()
    assert target.is_active
    assert ModelLogEntry.objects.filter(
        action="moderation.lift_suspension", user=moderator
    ).exists()


def test_staff_cannot_be_suspended_and_outsiders_cannot_suspend(moderator, target):
    other_staff = verified_user(username="colleague", is_staff=True)
    with pytest.raises(services.ActionRefused):
        services.suspend_player(other_staff, moderator, "Disagreement")

    player = signed_in(verified_user(username="bystander"))
    response = player.post(
        f"/admin/moderation/players/{target.profile.pk}/suspend/", {"reason": "x"}
    )

    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    target.refresh_from_db()
    assert target.is_active
    assert not Suspension.objects.exists()


def test_a_player_has_only_so_many_reports_waiting(target):
    reporter = verified_user(username="busy")
    others = [verified_user(username=f"p{n}") for n in range(Report.OPEN_PER_REPORTER)]
    for other in others:
        services.report_profile(reporter.profile, other.profile, "spam")

    with pytest.raises(services.ActionRefused, match="waiting"):
        services.report_profile(reporter.profile, target.profile, "spam")
    assert Report.objects.filter(profile=target.profile).count() == 0

    Report.objects.filter(profile=others[0].profile).update(status="dismissed")
    services.report_profile(reporter.profile, target.profile, "spam")
    assert Report.objects.filter(profile=target.profile).count() == 1


def test_a_moderator_cannot_decide_a_report_about_themselves(moderator):
    report = _report(moderator)

    with pytest.raises(services.ActionRefused, match="Another moderator"):
        services.resolve_report(report, moderator, "dismissed", "Nothing to see")

    report.refresh_from_db()
    assert report.status == Report.Status.OPEN
