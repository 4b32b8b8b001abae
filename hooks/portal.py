"""MkDocs hooks: each event hands over to crimeportal.site.build, where the work lives."""

import logging

from crimeportal.core import mark
from crimeportal.site import build, preview

# What is kept between builds: the mkdocs command this process runs, and, for a live preview in dirty mode
# (`mkdocs serve --dirty`), its session. MkDocs calls on_startup once, before the first build, and keeps this
# module for every rebuild of `mkdocs serve`. A live preview shows data problems on its pages; every other
# command (and a build that never saw on_startup) fails on them instead.
_command = None
_session = None
_dirty_warning = preview.HideDirtyWarning()


def on_startup(command, dirty):
    global _command, _session
    _command = command
    if command == "serve" and dirty:
        _session = preview.PreviewSession()
        logging.getLogger("mkdocs.commands.build").addFilter(_dirty_warning)


def on_config(config):
    return build.on_config(config, serving=_command == "serve", session=_session)


def on_files(files, config):
    return build.on_files(files, config)


def on_env(env, config, files):
    return build.on_env(env, _session)


def on_page_markdown(markdown, page, config, files):
    return build.on_page_markdown(markdown, page, config)


def on_page_content(html, page, config, files):
    return build.on_page_content(html, page, config)


# Every page, and the theme's own 404 page, carries the portal's mark: a site built without these hooks lacks it,
# and `crimeportal check-site` and `publish` refuse it (core/mark.py)
def on_post_page(output, page, config):
    return mark.stamp(build.on_post_page(output, page, config))


def on_post_template(output_content, template_name, config):
    return mark.stamp(build.on_post_template(output_content, template_name)) if template_name.endswith(".html") else output_content


def on_post_build(config):
    build.on_post_build(config)


def on_build_error(error):
    build.on_build_error()


def on_serve(server, config, builder):
    return preview.watch_natively(server) if _session else server


def on_shutdown():
    global _session
    build.on_shutdown(_session)
    _session = None
    logging.getLogger("mkdocs.commands.build").removeFilter(_dirty_warning)
