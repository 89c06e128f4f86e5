"""Photos are streamed only to those who may see the evidence they belong to: the
organisation's leadership, the team's manager (a draft only to its author), and the
salesperson it is about once it counts (a submitted checklist; a test that needs no review or
was approved). Everyone else gets 404; without a login, the login page."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from .access import visible_photos


def _stream(request, pk, field):
    photo = get_object_or_404(visible_photos(request.user), pk=pk)
    stored = getattr(photo, field)
    try:
        handle = stored.storage.open(stored.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, content_type="image/jpeg", filename=f"photo-{photo.pk}.jpg", as_attachment=False
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@login_required
def photo(request, pk):
    return _stream(request, pk, "image")


@require_GET
@login_required
def thumbnail(request, pk):
    return _stream(request, pk, "thumbnail")
