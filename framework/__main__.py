"""`python -m framework` is the `framework` command."""

import sys

from framework.cli.main import main

sys.exit(main())
