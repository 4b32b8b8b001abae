"""The `crimeportal` command's exit codes, stated once for every command's module."""

EXIT_OK = 0  # done, and the portal's files check out
EXIT_PROBLEMS = 1  # the files have problems, or a change was refused because of them
EXIT_CANNOT_RUN = 2  # the command could not do its work at all (not a portal folder, unreadable files)
