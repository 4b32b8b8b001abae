"""MkDocs hooks: each event hands over to crimeportal.site.build, where the work lives."""

from crimeportal.site import build

# The one value kept between builds: the mkdocs command this process runs. MkDocs calls on_startup once, before
# the first build, and keeps this module for every rebuild of `mkdocs serve`. A live preview shows data problems
# on its pages; every other command (and a build that never saw on_startup) fails on them instead.
_command = None


def on_startup(command, dirty):
    global _command
    _command = command


def on_config(config):
    return build.on_config(config, serving=_command == "serve")


def on_files(files, config):
    return build.on_files(files, config)


def on_page_markdown(markdown, page, config, files):
    return build.on_page_markdown(markdown, page, config)


def on_page_content(html, page, config, files):
    return build.on_page_content(html, page, config)


def on_post_page(output, page, config):
    return build.on_post_page(output, page, config)


def on_post_build(config):
    build.on_post_build(config)


def on_build_error(error):
    build.on_build_error()


def on_shutdown():
    build.on_shutdown()
