"""Shared by every test tier.

`framework.cli.pytest_pyodide` runs tests/unit inside Pyodide (Python 3.14) and reports each of
its tests here; `pytester` lets tests/host check that plugin with an inner pytest run.
"""

pytest_plugins = ["pytester"]  # the Pyodide tier is registered in pyproject (addopts)
