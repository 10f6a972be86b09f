"""Avatar checks and clean-up: decode to prove it is an image, then re-encode."""

import uuid
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile

from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
AVATAR_SIDE = 512
UNREADABLE = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    Image.DecompressionBombError,
)


def clean_avatar(upload) -> InMemoryUploadedFile:
    """Check an uploaded avatar and return a fresh WebP copy with no metadata."""
    limits = settings.DELTACROWN
    if upload.size > limits["AVATAR_MAX_BYTES"]:
        raise ValidationError("Avatars can be at most 2 MB.", code="too_large")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
    except UNREADABLE as exc:
        raise ValidationError(
            "That file is not a picture we can read. Use a JPEG, PNG or WebP image.",
            code="not_an_image",
        ) from exc
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError("Use a JPEG, PNG or WebP image.", code="format")
    if max(width, height) > limits["AVATAR_MAX_SIDE"]:
        raise ValidationError(
            f"Avatars can be at most {limits['AVATAR_MAX_SIDE']} pixels a side.",
            code="too_big",
        )

    upload.seek(0)
    try:
        buffer = _reencode(upload)
    except UNREADABLE as exc:
        # verify() reads the structure, not every pixel; a cut-off file fails here.
        raise ValidationError(
            "That picture is damaged or incomplete. Try another copy of it.",
            code="damaged",
        ) from exc
    # A fresh name each time, so browsers and caches never show an old picture.
    name = f"{uuid.uuid4().hex[:16]}.webp"
    return InMemoryUploadedFile(
        buffer, "avatar", name, "image/webp", buffer.tell(), None
    )


def _reencode(upload) -> BytesIO:
    """A square WebP copy at most AVATAR_SIDE wide, with no metadata carried over."""
    with Image.open(upload) as image:
        # Turn the picture upright before EXIF, and its orientation tag, is dropped.
        image = ImageOps.exif_transpose(image)
        image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
        side = min(AVATAR_SIDE, *image.size)
        image = ImageOps.fit(image, (side, side))
        buffer = BytesIO()
        image.save(buffer, format="WEBP", quality=85)
    return buffer
