"""An HTML page as text lines, in time proportional to its size.

Pages are first measured by libxml2's own HTML parser, which stops at 256 levels of nesting
and says so: a deeper page (no real notice comes near it: they nest a few dozen levels) is
refused before BeautifulSoup builds its tree. The blocks are then chosen in one pass over the
tree; asking each element for its parents and children made a 2 MB page of nested <div>s
take minutes (issue 25).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ingest.load_types import LoadedText, LoadError

MAX_DEPTH = 255
BLOCKS = ("h1", "h2", "h3", "h4", "p", "li", "tr", "pre", "div")
# a <div> holding one of these is a container, not a block of its own
_INNER_BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "li", "table"})
# text inside one of these belongs to it
_OWNERS = frozenset({"p", "li", "tr"})
_DROPPED = ("script", "style", "nav", "header", "footer", "noscript")


def check_depth(path: Path, data: bytes) -> None:
    import lxml.etree

    parser = lxml.etree.HTMLParser(recover=True)
    try:
        lxml.etree.fromstring(data, parser)
    except lxml.etree.XMLSyntaxError:
        return  # nothing lxml can read; BeautifulSoup says what it makes of it
    for error in parser.error_log:
        if "Excessive depth" in error.message:
            raise LoadError(path, "too_deep", str(MAX_DEPTH))


def load_html(path: Path, data: bytes) -> LoadedText:
    from bs4 import BeautifulSoup, Tag

    check_depth(path, data)
    soup = BeautifulSoup(data, "lxml")
    for tag in soup(list(_DROPPED)):
        tag.decompose()
    body: Any = soup.body or soup
    tags = [body, *(t for t in body.descendants if isinstance(t, Tag))]
    owned = {id(body): False}  # inside a <p>, <li> or <tr>
    for tag in tags[1:]:
        parent = tag.parent
        owned[id(tag)] = owned.get(id(parent), False) or (
            parent is not None and parent.name in _OWNERS
        )
    container: set[int] = set()  # holds an inner block (children come after parents)
    for tag in reversed(tags[1:]):
        if (tag.name in _INNER_BLOCKS or id(tag) in container) and tag.parent is not None:
            container.add(id(tag.parent))
    lines: list[str] = []
    for element in tags:
        if element.name not in BLOCKS or owned[id(element)]:
            continue
        if element.name == "div" and id(element) in container:
            continue
        if element.name == "tr":
            cells = [" ".join(c.get_text(" ").split()) for c in element.find_all(["td", "th"])]
            text = " | ".join(c for c in cells if c)
        else:
            text = "\n".join(" ".join(s.split()) for s in element.get_text("\n").split("\n"))
            text = "\n".join(s for s in text.split("\n") if s)
        if not text:
            continue
        if element.name in ("h1", "h2", "h3", "h4"):
            text = f"{'#' * int(element.name[1])} {text}"
        lines.append(text)
    title = soup.title.string.strip() if soup.title and soup.title.string else ""
    if not lines and title:
        lines.append(title)
    if title and not any(line.startswith("# ") for line in lines):
        lines.insert(0, f"# {title}")
    return LoadedText(text="\n\n".join(lines))
