"""Questions as people read them: the wording in the active language, never the code."""

from django import template
from django.utils.html import format_html

from asiakaskunto.models import shorten

register = template.Library()


@register.filter
def question_text(question, length=None):
    """The question's wording in the active language, shortened where space is short, with the
    full wording as a tooltip (``<abbr title>``, focusable so that a tap shows it too). Does no
    queries: ``question`` is a Question (or anything with a ``text``), ``length`` an optional
    limit of characters (``QUESTION_SHORT_CHARS`` by default)."""
    full = question.text
    short = shorten(full, int(length)) if length else shorten(full)
    if short == full:
        return full
    return format_html('<abbr title="{}" tabindex="0">{}</abbr>', full, short)
