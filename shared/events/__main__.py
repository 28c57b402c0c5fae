"""`python -m shared.events [markdown|asyncapi]`: the event catalogue, as docs/events.md or as
docs/asyncapi.json."""

import json
import sys

from shared.events.asyncapi import document
from shared.events.catalogue import markdown

if sys.argv[1:] == ["asyncapi"]:
    sys.stdout.write(json.dumps(document(), indent=2, ensure_ascii=False, sort_keys=True) + "\n")
else:
    sys.stdout.write(markdown())
