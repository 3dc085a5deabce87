"""HTML pages from report parts: Jinja2 templates, autoescaped, user text kept as text.

Every page is one self-contained file: the stylesheet inline, charts as ``data:`` URIs, a
Content-Security-Policy that allows nothing from the network, no script.

Text safety
-----------
Every value written into a page goes through :func:`plain_text` (the environment's
``finalize``) and then HTML escaping (``autoescape``): control characters (terminal escapes
included), bidirectional overrides and lone surrogates (from file names that are not UTF-8)
are replaced, and ``<``, ``&``, quotes are escaped. Nothing is read as markdown, so a URL or
``$x$`` in a name stays the text it is.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from importlib import metadata, resources
from typing import Any

__all__ = ["page", "plain_text", "render_page", "warm_templates"]

# C0 and C1 controls except tab and newline; bidi embeddings, overrides and isolates; lone
# surrogates (a file name that is not UTF-8, decoded with surrogateescape)
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def plain_text(value: Any) -> Any:
    """A string safe to show as text: no control characters, bidi overrides or lone surrogates.

    Other values are returned unchanged (the template formats them).

    Examples
    --------
    >>> plain_text("Ana\\x1b[31m López\\udcff")
    'Ana\\ufffd[31m López\\ufffd'
    """
    if not isinstance(value, str) or hasattr(value, "__html__"):  # markup the page itself made
        return value
    return _UNSAFE.sub("\ufffd", value)


@lru_cache(maxsize=1)
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("analysis.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=plain_text,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def warm_templates() -> None:
    """Compile the page templates and read the stylesheet now, not during the first page."""
    for name in ("report.html.j2", "squad.html.j2"):
        _environment().get_template(name)
    _css()


@lru_cache(maxsize=1)
def _css() -> str:
    return (resources.files("analysis.report") / "templates" / "style.css").read_text(encoding="utf-8")


def _version() -> str:
    try:
        return metadata.version("liftpace")
    except metadata.PackageNotFoundError:
        return "unknown"


def render_page(template: str, **context: Any) -> str:
    """Render one of the package's templates with the shared page context.

    Parameters
    ----------
    template : str
        ``report.html.j2`` or ``squad.html.j2``.
    **context
        The template's variables; ``title`` is required.

    Returns
    -------
    str
        The whole HTML document.
    """
    base = {
        "css": _css(),
        "version": _version(),
        "generated": datetime.now().astimezone().strftime("%d %b %Y, %H:%M"),
    }
    return _environment().get_template(template).render(**base, **context)


def page(parts: Any) -> str:
    """One athlete's report page from :func:`analysis.report.parts.report_parts`."""
    from analysis.report.parts import GLOSSARY, METHODS

    return render_page(
        "report.html.j2", title=parts.title, p=parts, methods=METHODS, glossary=GLOSSARY
    )
