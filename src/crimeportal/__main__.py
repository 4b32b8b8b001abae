"""`python -m crimeportal ...`: the same command where the `crimeportal` script is not on the PATH (as on Windows
without an activated virtual environment)."""

import sys

from .cli import main

sys.exit(main())
