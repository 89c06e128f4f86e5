"""The WSGI module readies a server process before its first request."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc
print(gc.get_freeze_count())
from asiakaskunto.wsgi import WARM_TEMPLATES, application
from django.template import engines
from django.urls import get_resolver

loader = engines["django"].engine.template_loaders[0]
included = ("base.html", "reports/_chart.html", "reports/dashboard_people.html")
print(all(name in loader.get_template_cache for name in WARM_TEMPLATES + included))
print("url_patterns" in vars(get_resolver()))
import sys
print("plotly.graph_objs._scatterpolar" in sys.modules)  # a chart of each kind made
print(gc.get_freeze_count() > 10_000)
"""


def test_loading_it_compiles_the_survey_and_report_pages_and_freezes_the_heap():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "asiakaskunto.settings"}
    # An unreachable database: readying the process must not touch it.
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    # Nothing frozen before; then the templates compiled (with what they extend and include),
    # plotly's parts loaded, the URLconf and its views imported,
    # and the whole heap of the process frozen.
    assert result.stdout.split() == ["0", "True", "True", "True", "True"]
