from django import template

register = template.Library()


@register.inclusion_tag("photos/_input.html")
def photo_input(form, question):
    """The photo input of one question of ``form`` (nothing when the form takes no photos)."""
    rows = form.photo_rows(question) if hasattr(form, "photo_rows") else None
    if rows is None:
        return {"field": None}
    field, kept = rows
    return {"field": field, "kept": kept, "question": question}


@register.inclusion_tag("photos/_thumbnails.html")
def photo_thumbnails(photos_by_question, question_id, size="md"):
    """Thumbnails, each a link to the photo, of one answer; ``photos_by_question`` is
    {question id: [EvidencePhoto]} read once by the page."""
    return {"photos": (photos_by_question or {}).get(question_id, []), "size": size}


PANEL_PHOTOS = 8


@register.inclusion_tag("photos/_person_panel.html", takes_context=True)
def evidence_photos_panel(context, salesperson):
    """The latest photos about ``salesperson`` the viewer may see (the person themself,
    their manager, leadership), each with its question and date; nothing when there are none.
    One query."""
    from ..access import photos_about

    photos = list(
        photos_about(context["request"].user, salesperson).select_related(
            "question", "checklist", "mystery_test"
        )[:PANEL_PHOTOS]
    )
    return {"photos": photos}
