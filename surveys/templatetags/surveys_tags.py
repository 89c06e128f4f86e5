import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from asiakaskunto.models import Role

register = template.Library()

LATEST_SHOWN = 5


@register.inclusion_tag("surveys/_home_panel.html", takes_context=True)
def surveys_home_panel(context):
    """Managers and leadership: the open follow-ups (count and the latest few with the
    answers that opened them, three queries)."""
    from ..services import with_unhappy_answers
    from ..views.staff import open_follow_ups

    request = context["request"]
    role = context.get("user_role")
    if role not in (Role.MANAGER, Role.LEADERSHIP):
        return {"show": False}
    follow_ups = open_follow_ups(request.user)
    return {
        "show": True,
        "request": request,
        "open_count": follow_ups.count(),
        "latest": with_unhappy_answers(
            follow_ups.select_related("team", "salesperson").order_by("-answered_at", "-id")[
                :LATEST_SHOWN
            ]
        ),
    }


# A phone number as customers type it: digits with spaces, dashes, dots or brackets between,
# an optional + in front, 6–15 digits in all (E.164 allows 15).
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d\s().-]{4,20}\d(?!\w)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@register.filter(needs_autoescape=True)
def contact_links(text, autoescape=True):
    """A customer's contact details with each phone number as a tap-to-call (tel:) link and
    each e-mail address as a mailto: link; everything else escaped as it is."""
    text = str(text or "")
    escape = conditional_escape if autoescape else (lambda value: value)
    found = sorted(
        [(match, "tel") for match in _PHONE.finditer(text)]
        + [(match, "mailto") for match in _EMAIL.finditer(text)],
        key=lambda item: item[0].start(),
    )
    parts, position = [], 0
    for match, scheme in found:
        if match.start() < position:
            continue  # digits inside an e-mail address already linked
        value = match.group(0)
        if scheme == "tel":
            digits = re.sub(r"\D", "", value)
            if not 6 <= len(digits) <= 15:
                continue
            target = ("+" if value.startswith("+") else "") + digits
        else:
            target = value
        parts.append(escape(text[position : match.start()]))
        parts.append(
            format_html(
                '<a href="{}:{}" data-testid="contact-{}">{}</a>', scheme, target, scheme, value
            )
        )
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(str(part) for part in parts))


@register.inclusion_tag("surveys/_thanks_panel.html", takes_context=True)
def surveys_thanks_panel(context):
    """A salesperson's home: the customers' thanks (praise with its "why"), the latest few."""
    from django.utils import timezone

    from ..praise import thanks_for

    salesperson = context.get("salesperson")
    if context.get("user_role") != Role.SALESPERSON or salesperson is None:
        return {"show": False}
    count, latest = thanks_for(salesperson, as_of=timezone.now())
    return {"show": True, "count": count, "thanks": latest}
