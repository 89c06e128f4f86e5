"""Serve plotly.js from the installed plotly package as ``vendor/plotly.min.js``.

Only that one file: the package's whole data folder would add tens of megabytes to collectstatic.
"""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
STATIC_PATH = "vendor/plotly.min.js"


class PlotlyFinder(BaseFinder):
    storage = FileSystemStorage(location=str(PLOTLY_JS.parent))

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path == STATIC_PATH and PLOTLY_JS.exists():
            return [str(PLOTLY_JS)] if find_all else str(PLOTLY_JS)
        # An empty list, as Django's own finders answer: staticfiles.finders.find() wraps a None
        # into [None], a truthy "match" that made whitenoise answer 500 for every missing file.
        return []

    def list(self, ignore_patterns):
        if PLOTLY_JS.exists():
            yield "plotly.min.js", _PrefixedStorage(PLOTLY_JS.parent)


class _PrefixedStorage(FileSystemStorage):
    """collectstatic copies ``plotly.min.js`` to ``vendor/plotly.min.js``."""

    def __init__(self, location):
        super().__init__(location=str(location))
        self.prefix = "vendor"
