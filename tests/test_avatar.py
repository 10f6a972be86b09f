"""Avatars: decoded to prove they are pictures, then re-encoded without metadata."""

import os
from http import HTTPStatus
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from PIL import Image

from profiles.models import Profile

GPS_TAG = 0x8825


def picture(fmt="PNG", size=(800, 600), exif=False) -> bytes:
    image = Image.new("RGB", size, (200, 40, 90))
    buffer = BytesIO()
    options = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # camera make
        data[GPS_TAG] = {1: "N", 2: (23.0, 48.0, 0.0), 3: "E", 4: (90.0, 24.0, 0.0)}
        options["exif"] = data
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def upload(client, content, name="me.png", content_type="image/png", json=True):
    headers = (
        {"HTTP_ACCEPT": "application/json"} if json else {"HTTP_ACCEPT": "text/html"}
    )
    return client.post(
        "/me/settings/basic/",
        {
            "display_name": "Rakib",
            "bio": "",
            "country": "BD",
            "avatar": SimpleUploadedFile(name, content, content_type=content_type),
        },
        **headers,
    )


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_each_allowed_format_is_stored_as_a_small_clean_webp(
    player_client, player, fmt
):
    response = upload(player_client, picture(fmt, exif=fmt != "PNG"), name="x.img")

    assert response.status_code == HTTPStatus.OK, response.content
    avatar = Profile.objects.get(pk=player.profile.pk).avatar
    assert response.json()["data"]["avatar"] == avatar.url
    with Image.open(avatar.path) as stored:
        assert stored.format == "WEBP"
        assert max(stored.size) <= 512
        assert not stored.getexif()


def test_location_and_camera_data_are_removed(player_client, player):
    original = picture("JPEG", exif=True)
    with Image.open(BytesIO(original)) as source:
        assert source.getexif().get(GPS_TAG)

    upload(player_client, original, name="holiday.jpg", content_type="image/jpeg")

    with open(Profile.objects.get(pk=player.profile.pk).avatar.path, "rb") as f:
        stored_bytes = f.read()
    assert b"PhoneMaker" not in stored_bytes
    with Image.open(BytesIO(stored_bytes)) as stored:
        assert GPS_TAG not in stored.getexif()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"<?php echo 'hi'; ?>", "shell.png", "not a picture"),
        (b"GIF89a" + b"\x00" * 64, "anim.png", "not a picture"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "broken.png", "not a picture"),
    ],
)
def test_files_that_are_not_pictures_are_refused(
    player_client, player, content, name, message
):
    response = upload(player_client, content, name=name)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.json()["errors"]["avatar"][0]
    assert not Profile.objects.get(pk=player.profile.pk).avatar


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_cut_off_pictures_are_refused_not_crashed_on(player_client, player, fmt):
    whole = picture(fmt, size=(900, 900))

    response = upload(player_client, whole[: len(whole) // 3])

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["errors"]["avatar"]
    assert not Profile.objects.get(pk=player.profile.pk).avatar


def test_gif_is_refused_even_though_it_decodes(player_client, player):
    response = upload(
        player_client, picture("GIF"), name="a.gif", content_type="image/gif"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "JPEG, PNG or WebP" in response.json()["errors"]["avatar"][0]


def test_more_than_4096_pixels_a_side_is_refused(player_client, player):
    response = upload(player_client, picture("PNG", size=(4097, 8)))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "4096" in response.json()["errors"]["avatar"][0]


def test_more_than_2_mb_is_refused(player_client, player):
    noisy = Image.frombytes("RGB", (1200, 1200), bytes(range(256)) * 16875)
    buffer = BytesIO()
    noisy.save(buffer, format="PNG", compress_level=0)
    assert buffer.tell() > 2 * 1024 * 1024

    response = upload(player_client, buffer.getvalue())

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "2 MB" in response.json()["errors"]["avatar"][0]


def test_replacing_an_avatar_deletes_the_old_file(
    player_client, player, django_capture_on_commit_callbacks
):
    upload(player_client, picture("PNG"))
    first = Profile.objects.get(pk=player.profile.pk).avatar.path

    with django_capture_on_commit_callbacks(execute=True):
        upload(player_client, picture("JPEG"), name="n.jpg", content_type="image/jpeg")

    second = Profile.objects.get(pk=player.profile.pk).avatar.path
    assert second != first
    assert not os.path.exists(first)


def test_avatar_shows_on_the_profile(player_client, player):
    upload(player_client, picture("PNG"), json=False)

    page = player_client.get("/@Rakib/").content.decode()

    assert Profile.objects.get(pk=player.profile.pk).avatar.url in page


def test_the_clear_box_removes_the_avatar(player_client, player):
    assert upload(player_client, picture()).status_code == HTTPStatus.OK

    response = player_client.post(
        "/me/settings/basic/",
        {"avatar-clear": "on"},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == HTTPStatus.OK, response.content
    assert not Profile.objects.get(pk=player.profile.pk).avatar


@pytest.mark.parametrize(
    ("section", "field"),
    [("basic", "bio"), ("social", "facebook"), ("basic", "display_name")],
)
def test_a_text_field_sent_as_a_file_or_cleared_changes_nothing(
    player_client, player, section, field
):
    start = {"bio": "Support main.", "facebook": "https://www.facebook.com/rakib"}
    if field in start:
        saved = player_client.post(
            f"/me/settings/{section}/",
            {field: start[field]},
            content_type="application/json",
            HTTP_ACCEPT="application/json",
        )
        assert saved.status_code == HTTPStatus.OK, saved.content
    before = player_client.get(
        f"/me/settings/{section}/", HTTP_ACCEPT="application/json"
    ).json()["data"]
    assert before[field], "the player should start with a value to lose"

    as_file = player_client.post(
        f"/me/settings/{section}/",
        {field: SimpleUploadedFile("b.txt", b"hello", content_type="text/plain")},
        HTTP_ACCEPT="application/json",
    )
    cleared = player_client.post(
        f"/me/settings/{section}/",
        {f"{field}-clear": "on"},
        HTTP_ACCEPT="application/json",
    )

    assert as_file.status_code == HTTPStatus.BAD_REQUEST
    assert as_file.json()["errors"] == {field: ["This field takes text, not a file."]}
    assert cleared.status_code == HTTPStatus.BAD_REQUEST
    after = player_client.get(
        f"/me/settings/{section}/", HTTP_ACCEPT="application/json"
    ).json()["data"]
    assert after == before
