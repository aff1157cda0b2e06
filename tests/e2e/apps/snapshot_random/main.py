"""Starts from the build's Python snapshot: pydantic-core (a binary extension) is loaded after
the restore, and `random` is re-seeded after it, so two visits draw different numbers."""

import random

from pydantic import BaseModel
from pyscript import document


class Draw(BaseModel):
    value: float


document.querySelector("#app").textContent = f"draw {Draw(value=random.random()).value!r}"
