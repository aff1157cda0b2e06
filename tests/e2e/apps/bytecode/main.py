"""Shows where each module's bytecode came from: shipped by the server, or compiled here.

The framework ships unchecked-hash pycs (PEP 552 flags 1). A module Python had to compile in the
page has a timestamp pyc of its own (flags 0) or none at all, so the flags tell the two apart.
"""

import helper
import pydantic
from pyscript import document

import framework.component
import framework.template.renderer


def origin(module) -> str:
    try:
        with open(module.__cached__, "rb") as stream:
            flags = int.from_bytes(stream.read(8)[4:8], "little")
    except OSError, TypeError:  # no pyc: compiled from the source, and not written down
        return "compiled here"
    return "shipped" if flags == 1 else "compiled here"


modules = [pydantic, framework.component, framework.template.renderer, helper]
document.querySelector("#app").textContent = "; ".join(
    f"{module.__name__}: {origin(module)}" for module in modules
)
