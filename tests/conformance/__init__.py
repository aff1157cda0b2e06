"""The backend conformance table (cases.py) and its runner: see runner.py."""
