"""What a person reads on a page: its text without tags, attributes, scripts and styles; the
question codes that must not appear in it (exports may carry them beside the wording); and a
small element tree to find lists and cells by their ``data-testid``."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

QUESTION_CODE = re.compile(r"\b(?:OBS|MYS|CUS)\d+\b|\b(?:CSAT|CES)\s*=")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
UNREAD = {"script", "style", "template", "head"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list = field(default_factory=list)  # Element or str

    @property
    def text(self) -> str:
        """The text a person reads in this element, whitespace collapsed."""
        if self.tag in UNREAD:
            return ""
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        return " ".join(" ".join(parts).split()).replace(" :", ":")

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag=None, **attrs) -> list["Element"]:
        """Descendants (and self) with this tag and these attributes (``data_testid`` for
        ``data-testid``)."""
        wanted = {name.replace("_", "-"): value for name, value in attrs.items()}
        return [
            element
            for element in self.iter()
            if (tag is None or element.tag == tag)
            and all(element.attrs.get(name) == value for name, value in wanted.items())
        ]


class _Tree(HTMLParser):
    def __init__(self):
        super().__init__()
        self.root = Element("document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str | bytes) -> Element:
    if isinstance(html, bytes):
        html = html.decode()
    tree = _Tree()
    tree.feed(html)
    return tree.root


def visible_text(html: str | bytes) -> str:
    """The page's text as one string, whitespace collapsed."""
    return parse(html).text


def question_codes_in(html: str | bytes) -> list[str]:
    """The question codes ("CUS3", "CSAT=") a person would read on the page."""
    return QUESTION_CODE.findall(visible_text(html))


def list_items(html: str | bytes, testid: str) -> list[Element]:
    """The ``<li>`` items of every list marked ``data-testid=testid``, in page order."""
    return [
        item
        for container in parse(html).find_all(data_testid=testid)
        for item in container.children
        if isinstance(item, Element) and item.tag == "li"
    ]
