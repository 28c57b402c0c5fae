"""Printable forms (PDF) of the office's reports, the one way every service makes them: HTML
from the service's Jinja templates (`services/<name>/templates`), laid out by WeasyPrint with
Pango and the Noto CJK fonts the system provides (`devstack/install-report-fonts`). Every form
ends with the district's service hotline and service guide (`printing/_footer.html`, from
`shared.service_contacts`)."""

from functools import cache
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

from shared.service_contacts import ServiceContacts


@cache
def templates(package: str) -> Environment:
    """The package's templates, then the shared ones (`shared/templates`: the footer)."""
    loader = ChoiceLoader(
        [PackageLoader(package, "templates"), PackageLoader("shared", "templates")]
    )
    return Environment(loader=loader, autoescape=select_autoescape())


def printed(package: str, template: str, contacts: ServiceContacts, **context: Any) -> bytes:
    """The PDF of `template` (a path under the package's templates) rendered with `context`,
    and the district's service contacts at its foot."""
    from weasyprint import HTML  # imported when a PDF is asked for: it loads Pango

    html = templates(package).get_template(template).render(footer=contacts, **context)
    return HTML(string=html).write_pdf()
