"""`make bench`: time validation and builds against a plain MkDocs baseline (see crimeportal.bench)."""

from crimeportal.bench import main

if __name__ == "__main__":  # the validator's and renderer's worker processes import this file again
    raise SystemExit(main())
