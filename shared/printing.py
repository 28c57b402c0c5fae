"""Printable forms (PDF) of the office's reports, the one way every service makes them: HTML
from the service's Jinja templates (`services/<name>/templates`), laid out by WeasyPrint with
Pango and the Noto CJK fonts the system provides (`devstack/install-report-fonts`). Every form
ends with the district's service hotline and service guide (`printing/_footer.html`, from the
settings ELDERCARE_HOTLINE and ELDERCARE_SERVICE_GUIDE)."""

from functools import cache
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

from shared.config import Settings


@cache
def templates(package: str) -> Environment:
    """The package's templates, then the shared ones (`shared/templates`: the footer)."""
    loader = ChoiceLoader(
        [PackageLoader(package, "templates"), PackageLoader("shared", "templates")]
    )
    return Environment(loader=loader, autoescape=select_autoescape())


def footer_rows(settings: Settings) -> list[list[object]]:
    """The footer's lines as a workbook's rows (label, value), those the district set."""
    rows: list[list[object]] = []
    if settings.hotline:
        rows.append(["服务热线", settings.hotline])
    if settings.service_guide:
        rows.append(["服务指南", f"《{settings.service_guide}》"])
    return rows


def printed(package: str, template: str, settings: Settings, **context: Any) -> bytes:
    """The PDF of `template` (a path under the package's templates) rendered with `context`,
    and the district's footer from `settings`."""
    from weasyprint import HTML  # imported when a PDF is asked for: it loads Pango

    html = templates(package).get_template(template).render(footer=settings, **context)
    return HTML(string=html).write_pdf()
