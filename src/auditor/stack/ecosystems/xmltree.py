"""A small element tree with line numbers, built by defusedxml's SAX parser.

pom.xml and .csproj files come from the project being scanned, so they are untrusted:
defusedxml refuses DTDs with entities and external references (no XXE, no billion laughs
in a security tool). ElementTree forgets line numbers; `auditor deps` findings must point
at the declaring line, hence this SAX-built tree.
"""

from __future__ import annotations

import xml.sax
import xml.sax.handler
from collections.abc import Iterator
from dataclasses import dataclass, field

from auditor.stack.ecosystems.base import ManifestError


@dataclass
class Element:
    tag: str  # local name, namespace prefix dropped
    line: int
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element] = field(default_factory=list)
    text: str = ""

    def child(self, tag: str) -> Element | None:
        for c in self.children:
            if c.tag == tag:
                return c
        return None

    def all(self, tag: str) -> list[Element]:
        return [c for c in self.children if c.tag == tag]

    def text_of(self, tag: str) -> str | None:
        c = self.child(tag)
        return c.text.strip() if c is not None else None

    def path(self, *tags: str) -> Element | None:
        node: Element | None = self
        for tag in tags:
            node = node.child(tag) if node is not None else None
        return node

    def iter(self, tag: str) -> Iterator[Element]:
        for c in self.children:
            if c.tag == tag:
                yield c
            yield from c.iter(tag)


class _Builder(xml.sax.handler.ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.root: Element | None = None
        self._stack: list[Element] = []
        self._text: list[list[str]] = []

    def startElement(self, name: str, attrs: xml.sax.xmlreader.AttributesImpl) -> None:  # noqa: N802 (SAX API)
        line = self._locator.getLineNumber() if self._locator else 0
        el = Element(tag=name.rsplit(":", 1)[-1], line=line, attrs={k.rsplit(":", 1)[-1]: v for k, v in attrs.items()})
        if self._stack:
            self._stack[-1].children.append(el)
        else:
            self.root = el
        self._stack.append(el)
        self._text.append([])

    def endElement(self, name: str) -> None:  # noqa: N802 (SAX API)
        el = self._stack.pop()
        el.text = "".join(self._text.pop())

    def characters(self, content: str) -> None:
        if self._text:
            self._text[-1].append(content)


def parse_xml(text: str) -> Element:
    """The document's root element, or ManifestError naming the line of the problem."""
    import defusedxml.sax
    from defusedxml import DefusedXmlException

    builder = _Builder()
    try:
        defusedxml.sax.parseString(text.encode("utf-8"), builder)
    except xml.sax.SAXParseException as exc:
        raise ManifestError(f"invalid XML: {exc.getMessage()} (line {exc.getLineNumber()})") from None
    except DefusedXmlException as exc:
        raise ManifestError(f"refused XML: {type(exc).__name__} (entities and DTDs are not allowed)") from None
    if builder.root is None:
        raise ManifestError("invalid XML: no root element")
    return builder.root
