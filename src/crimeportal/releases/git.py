"""The git plumbing releases need: run a command, find a commit, read what has been published on gh-pages."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from .errors import GitError

PAGES_BRANCH = "gh-pages"  # where mike keeps every release
REMOTE = "origin"


def git(root: Path, *args: str, data: bytes | None = None) -> bytes:
    """git's output; raises GitError with git's own complaint when it fails."""
    try:
        done = subprocess.run(["git", *args], cwd=root, input=data, capture_output=True)
    except FileNotFoundError as error:
        raise GitError("git is not installed") from error
    if done.returncode != 0:
        raise GitError(f"git {' '.join(args)}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def git_text(root: Path, *args: str) -> str:
    return git(root, *args).decode().strip()


def succeeds(root: Path, *args: str) -> bool:
    """Whether a git command that answers by its exit status says yes."""
    try:
        git(root, *args)
        return True
    except GitError:
        return False


def commit_of(root: Path, ref: str) -> str | None:
    try:
        return git_text(root, "rev-parse", "--verify", "--quiet", ref + "^{commit}")
    except GitError:
        return None


def is_ancestor(root: Path, older: str, newer: str) -> bool:
    return succeeds(root, "merge-base", "--is-ancestor", older, newer)


def pages_commits(root: Path) -> tuple[str | None, str | None]:
    """The local gh-pages commit and origin's, each None when there is no such branch."""
    return commit_of(root, f"refs/heads/{PAGES_BRANCH}"), commit_of(root, f"refs/remotes/{REMOTE}/{PAGES_BRANCH}")


def published_ref(root: Path) -> str | None:
    """The ref that holds what has been published: local gh-pages, or origin's when it is ahead (mike moves to it)."""
    local, remote = pages_commits(root)
    if remote and (not local or (local != remote and is_ancestor(root, local, remote))):
        return f"{REMOTE}/{PAGES_BRANCH}"
    return PAGES_BRANCH if local else None


def read_published(root: Path, ref: str | None, path: str) -> bytes | None:
    if ref is None:
        return None
    try:
        return git(root, "show", f"{ref}:{path}")
    except GitError:
        return None


def published_versions(root: Path, ref: str | None) -> list[dict[str, Any]]:
    """mike's versions.json from the published branch: [{version, title, aliases}], newest first."""
    raw = read_published(root, ref, "versions.json")
    return json.loads(raw) if raw else []
