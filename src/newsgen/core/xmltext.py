"""Text and attribute values for XML written by hand (the feeds).

The same output as ``xml.sax.saxutils.escape`` and ``quoteattr``, without
importing them: ``xml.sax.saxutils`` imports ``urllib.request``, and with it
``http.client``, ``email`` and ``ssl``, about 20-40 ms of every build's start-up
for two one-line functions.
"""

from __future__ import annotations

_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities (character data)."""
    return text.translate(_TEXT) if ("&" in text or "<" in text or ">" in text) else text


def quoteattr(text: str) -> str:
    """``text`` as a quoted attribute value: escaped, line breaks and tabs as
    character references, in double quotes (single quotes when the value holds
    a double quote and no single one; else ``&quot;``)."""
    text = text.translate(_ATTR)
    if '"' in text:
        if "'" in text:
            return '"' + text.replace('"', "&quot;") + '"'
        return "'" + text + "'"
    return '"' + text + '"'
