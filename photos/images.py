"""Checking and cleaning an uploaded photo: Pillow must open and verify it as an image (its
content decides, never its name or the browser's content type), it must fit the size limits,
and what is stored is a re-encoded JPEG without any of the original's metadata (EXIF with its
GPS location, XMP, comments), turned upright and converted to sRGB, plus a thumbnail."""

import io
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

# What phones and cameras send; MPO is the multi-picture JPEG some cameras write.
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF"}
MAX_PIXELS = 50_000_000  # a 50-megapixel photo; larger ones are refused before decoding
STORED_SIDE = 2048  # the longest side of the stored photo
THUMBNAIL_SIDE = 320
STORED_QUALITY = 85
THUMBNAIL_QUALITY = 80


class ImageRejected(ValueError):
    """The upload is not a photo we keep; the message says why, in the user's language."""


@dataclass(frozen=True)
class CleanImage:
    """A photo ready to store: JPEG bytes without metadata, and its thumbnail."""

    data: bytes
    thumbnail: bytes
    width: int
    height: int


def max_upload_bytes() -> int:
    return settings.PHOTO_MAX_UPLOAD_BYTES


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def clean_image(upload) -> CleanImage:
    """Check an uploaded file and return it re-encoded; raises ImageRejected."""
    limit = max_upload_bytes()
    if upload.size is not None and upload.size > limit:
        raise ImageRejected(
            _("The file is larger than %(limit)s MB.") % {"limit": megabytes(limit)}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise ImageRejected(_("Only photos (JPEG, PNG, WebP or GIF) can be attached."))
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise ImageRejected(_("The photo has too many pixels (at most 50 megapixels)."))
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.draft("RGB", (STORED_SIDE, STORED_SIDE))  # JPEG decodes at a smaller scale
            image.load()
            upright = ImageOps.exif_transpose(image)
            rgb = _srgb(upright)
    except ImageRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ImageRejected(_("The file is not a photo that can be opened.")) from None
    rgb.thumbnail((STORED_SIDE, STORED_SIDE), Image.Resampling.LANCZOS)
    small = rgb.copy()
    small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    return CleanImage(
        data=_jpeg(rgb, STORED_QUALITY),
        thumbnail=_jpeg(small, THUMBNAIL_QUALITY),
        width=rgb.width,
        height=rgb.height,
    )


def _srgb(image: Image.Image) -> Image.Image:
    """The pixels alone as sRGB on a fresh image: no info dictionary, so no EXIF, XMP or ICC
    profile travels along; transparency is flattened on white."""
    profile = image.info.get("icc_profile")
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        converted = flat
    else:
        converted = image.convert("RGB")
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            converted = ImageCms.profileToProfile(
                converted, source, ImageCms.createProfile("sRGB"), outputMode="RGB"
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unreadable profile: the pixels as they are
    fresh = Image.new("RGB", converted.size)
    fresh.paste(converted)
    return fresh


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()
