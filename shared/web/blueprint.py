"""The services' blueprints: flask-smorest's, with each view's argument schema made once, when
the view is declared. Given a schema's class, webargs makes a new instance of it for every
request, copying each of its fields: 64 µs for the obligation list's arguments, four times as
long as reading them. An instance is read from by every request at once, as marshmallow allows:
loading keeps no state in the schema."""

from collections.abc import Callable
from typing import Any

import flask_smorest
from marshmallow import Schema


class Blueprint(flask_smorest.Blueprint):
    def arguments(
        self, schema: type[Schema] | Schema, *args: Any, **kwargs: Any
    ) -> Callable[[Any], Any]:
        made = schema() if isinstance(schema, type) else schema
        return super().arguments(made, *args, **kwargs)
