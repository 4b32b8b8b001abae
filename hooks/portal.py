"""MkDocs hooks: each event hands over to crimeportal.build, where the work lives."""

from crimeportal import build


def on_config(config):
    return build.on_config(config)


def on_files(files, config):
    return build.on_files(files, config)


def on_page_markdown(markdown, page, config, files):
    return build.on_page_markdown(markdown, page, config)


def on_page_content(html, page, config, files):
    return build.on_page_content(html, page, config)
