"""The WSGI application for a production server: ``gunicorn asiakaskunto.wsgi``.

Loading this module also readies the process before its first request (``prepare``): it
imports every view, compiles the public survey's and the reporting pages' templates (with what
they extend and include), makes one chart of each kind (plotly loads its parts on first use)
and loads the catalogue of every language, so that the first visitors of a new worker do not
wait for that (its first request took about 300 ms, now about 100 ms).
Then it moves everything loaded so far into the garbage collector's permanent generation
(``gc.freeze()``), where the collector no longer walks it. A full collection then looks only at
what requests have left behind: about 2 ms instead of 110-145 ms. Without it, workers that
serve the same stream of requests ran their full collections at the same moment, and every
answer in flight waited for them (bench/bench_surveys.py).
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asiakaskunto.settings")

# What the first requests would otherwise compile: the public survey's pages and the three
# reporting pages (the dashboards and the salesperson's page; their includes with them).
WARM_TEMPLATES = (
    "surveys/public/survey.html",
    "surveys/public/_questions.html",
    "surveys/public/thanks.html",
    "surveys/public/already_answered.html",
    "surveys/public/expired.html",
    "surveys/public/invalid_link.html",
    "reports/dashboard.html",
    "reports/team_dashboard.html",
    "reports/person.html",
    "reports/person_radar_table.html",
    "reports/person_trend_table.html",
)


def prepare() -> None:
    """Import, compile and load what requests need, then freeze it out of the collector's view.
    Touches no database: the server may start before the database does."""
    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 (imports every view module)
    for name in WARM_TEMPLATES:
        _compile(get_template(name).template)
    from reports.charts import warm

    warm()  # plotly's classes and validators
    for code, _name in settings.LANGUAGES:
        translation.activate(code)  # loads the language's catalogue
    translation.deactivate()
    gc.collect()
    gc.freeze()


def _compile(template) -> None:
    """The template and, compiled by name through the loader, everything it extends or
    includes by a constant name (the loader's cache keeps them)."""
    from django.template.loader import get_template
    from django.template.loader_tags import ExtendsNode, IncludeNode

    for node in template.nodelist.get_nodes_by_type((ExtendsNode, IncludeNode)):
        named = node.parent_name if isinstance(node, ExtendsNode) else node.template
        if isinstance(named.var, str):  # a literal name, not a variable
            _compile(get_template(named.var).template)


application = get_wsgi_application()
prepare()
