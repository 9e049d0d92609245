"""Writing XML documents: characters XML 1.0 cannot hold are dropped, everything else is escaped."""

import re
from xml.etree import ElementTree as ET

NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """Drop what XML 1.0 cannot carry; line ends become LF, as an XML parser would read them anyway."""
    return NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def child(parent: ET.Element, tag: str, text: str | int | None = None, **attributes: str) -> ET.Element:
    """Append an element; attribute and text values are escaped by ElementTree when written."""
    element = ET.SubElement(parent, tag, {key: xml_safe(value) for key, value in attributes.items()})
    if text is not None:
        element.text = xml_safe(str(text))
    return element


def document(root: ET.Element, doctype: str) -> bytes:
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE {doctype}>\n{body}\n'.encode()
