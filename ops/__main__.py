"""`python -m ops ...`: the operator console's command line."""

import sys

from ops.entrypoints.cli import main

if __name__ == "__main__":
    sys.exit(main())
