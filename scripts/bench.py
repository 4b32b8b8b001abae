"""`make bench`: time validation and builds against a plain MkDocs baseline (see benchmarks/bench.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench import main  # noqa: E402

if __name__ == "__main__":  # the validator's and renderer's worker processes import this file again
    raise SystemExit(main())
