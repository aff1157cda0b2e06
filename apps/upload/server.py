"""The upload app's HTTP API, run on the host by `framework serve` and mounted at /api.

Configuration comes from environment variables (see server_lib/settings.py and the README).
This file and server_lib/ never reach the browser.
"""

from pathlib import Path

from server_lib.routes import create_api
from server_lib.settings import ensure_not_served, settings_from_env

settings = settings_from_env()
ensure_not_served(settings, Path(__file__).parent)
api = create_api(settings)
