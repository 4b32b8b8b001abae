"""The MkDocs hooks of every portal, so that a portal's hooks/portal.py is a few lines the package can upgrade.

MkDocs loads a portal's hooks file once and keeps it for every rebuild of `mkdocs serve`; `PortalHooks` is what
that file keeps between builds: the mkdocs command this process runs, and a live preview's session in dirty mode
(`mkdocs serve --dirty`). A live preview shows data problems on its pages; every other command (and a build that
never saw on_startup) fails on them instead. Each event hands over to site/build.py, where the work lives.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from ..core import mark
from . import build, preview

_BUILD_LOG = "mkdocs.commands.build"


@dataclass
class PortalHooks:
    command: str | None = None
    session: preview.PreviewSession | None = None
    dirty_warning: preview.HideDirtyWarning = field(default_factory=preview.HideDirtyWarning)

    def events(self) -> dict[str, object]:
        """Each MkDocs event by the name the hooks file must give it."""
        return {name: getattr(self, name) for name in dir(self) if name.startswith("on_")}

    def on_startup(self, command, dirty):
        self.command = command
        if command == "serve" and dirty:
            self.session = preview.PreviewSession()
            logging.getLogger(_BUILD_LOG).addFilter(self.dirty_warning)

    def on_config(self, config):
        return build.on_config(config, serving=self.command == "serve", session=self.session)

    def on_files(self, files, config):
        return build.on_files(files, config)

    def on_env(self, env, config, files):
        return build.on_env(env, self.session)

    def on_page_markdown(self, markdown, page, config, files):
        return build.on_page_markdown(markdown, page, config)

    def on_page_content(self, html, page, config, files):
        return build.on_page_content(html, page, config)

    # Every page, and the theme's own 404 page, carries the portal's mark: a site built without these hooks lacks
    # it, and `crimeportal check-site` and `publish` refuse it (core/mark.py)
    def on_post_page(self, output, page, config):
        return mark.stamp(build.on_post_page(output, page, config))

    def on_post_template(self, output_content, template_name, config):
        if not template_name.endswith(".html"):
            return output_content
        return mark.stamp(build.on_post_template(output_content, template_name))

    def on_post_build(self, config):
        build.on_post_build(config)

    def on_build_error(self, error):
        build.on_build_error()

    def on_serve(self, server, config, builder):
        return preview.watch_natively(server) if self.session else server

    def on_shutdown(self):
        build.on_shutdown(self.session)
        self.session = None
        logging.getLogger(_BUILD_LOG).removeFilter(self.dirty_warning)
