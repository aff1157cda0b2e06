"""A reactive single-page-app framework for Python in the browser."""

__version__ = "0.1.0"

__all__ = ["__version__"]
