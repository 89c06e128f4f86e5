"""An upload is a photo by its content, within the size limits, and is stored re-encoded
without its metadata (the GPS position above all)."""

import io

import pytest
from PIL import Image

from photos.images import ImageRejected, clean_image

from .images import GPS_IFD, photo_bytes, upload


def test_a_photo_is_re_encoded_without_its_exif_and_location():
    original = photo_bytes()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the GPS is there
    clean = clean_image(upload(original))
    stored = Image.open(io.BytesIO(clean.data))
    assert stored.format == "JPEG" and (stored.width, stored.height) == (64, 48)
    assert len(stored.getexif()) == 0
    assert "exif" not in stored.info and "icc_profile" not in stored.info
    assert b"Exif" not in clean.data and b"PhoneMaker" not in clean.data
    thumb = Image.open(io.BytesIO(clean.thumbnail))
    assert thumb.format == "JPEG" and len(thumb.getexif()) == 0


def test_a_sideways_photo_is_turned_upright():
    clean = clean_image(upload(photo_bytes(size=(60, 30), orientation=6)))
    assert (clean.width, clean.height) == (30, 60)


def test_a_large_photo_is_scaled_down_and_gets_a_thumbnail():
    clean = clean_image(upload(photo_bytes(size=(4000, 3000), gps=False)))
    assert (clean.width, clean.height) == (2048, 1536)
    thumb = Image.open(io.BytesIO(clean.thumbnail))
    assert max(thumb.size) == 320


def test_png_with_transparency_is_flattened_to_jpeg():
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(out, format="PNG")
    clean = clean_image(upload(out.getvalue(), name="x.png", content_type="image/png"))
    stored = Image.open(io.BytesIO(clean.data))
    assert stored.format == "JPEG" and stored.getpixel((5, 5))[0] > 240  # white, not black


@pytest.mark.parametrize(
    "data, name, content_type",
    [
        (b"%PDF-1.4 not an image", "kuva.jpg", "image/jpeg"),  # the name and type lie
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "kuva.svg", "image/svg+xml"),
        (photo_bytes()[:200], "katkennut.jpg", "image/jpeg"),  # cut short
        (b"", "tyhja.jpg", "image/jpeg"),
    ],
)
def test_anything_but_a_photo_is_refused_by_its_content(data, name, content_type):
    with pytest.raises(ImageRejected):
        clean_image(upload(data, name=name, content_type=content_type))


def test_a_bitmap_that_is_not_a_photo_format_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="TIFF")
    with pytest.raises(ImageRejected, match="JPEG, PNG"):
        clean_image(upload(out.getvalue(), name="kuva.jpg"))


def test_a_file_over_the_limit_is_refused_before_it_is_opened(settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 1024 * 1024
    with pytest.raises(ImageRejected, match="suurempi kuin 1 Mt"):
        clean_image(upload(b"x" * (1024 * 1024 + 1)))


def test_too_many_pixels_are_refused_before_decoding():
    out = io.BytesIO()
    Image.new("1", (8000, 8000)).save(out, format="PNG")  # 64 megapixels, a small file
    with pytest.raises(ImageRejected, match="50"):
        clean_image(upload(out.getvalue(), name="iso.png"))
