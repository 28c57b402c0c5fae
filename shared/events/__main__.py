"""`python -m shared.events > docs/events.md`: the human-readable event catalogue."""

import sys

from shared.events.catalogue import markdown

sys.stdout.write(markdown())
