"""Printable forms (PDF) of the office's reports, the one way every service makes them: HTML
from the service's Jinja templates (`services/<name>/templates`), laid out by WeasyPrint with
Pango and the Noto CJK fonts the system provides (`devstack/install-report-fonts`)."""

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape


@cache
def templates(package: str) -> Environment:
    return Environment(loader=PackageLoader(package, "templates"), autoescape=select_autoescape())


def printed(package: str, template: str, **context: Any) -> bytes:
    """The PDF of `template` (a path under the package's templates) rendered with `context`."""
    from weasyprint import HTML  # imported when a PDF is asked for: it loads Pango

    html = templates(package).get_template(template).render(**context)
    return HTML(string=html).write_pdf()
