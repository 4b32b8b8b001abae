"""Crime Prevention Portal: turns strand pages and metric files into a static site."""

__version__ = "0.1.0"
