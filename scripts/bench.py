"""`make bench`: time validation and builds of a generated portal; see crimeportal.bench."""

from crimeportal.bench import main

raise SystemExit(main())
