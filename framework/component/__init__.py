"""Components: classes in plain .py files whose render() returns a t-string.

Props are the class's annotated public attributes, validated on every call; each prop is a
signal, so a component re-renders only when a prop it read changed. Each mounted component has
its own reactive root, released with everything it registered when it unmounts.

The modules, in the order a component meets them: base (the Component class apps subclass),
props (declaring and checking props), host (what the renderer mounts for a component call),
mounting (mount() into a document).
"""

from framework.component.base import Component
from framework.component.host import ComponentCall
from framework.component.mounting import Mounted, mount, set_default_backend
from framework.component.props import PropError

__all__ = ["Component", "ComponentCall", "Mounted", "PropError", "mount", "set_default_backend"]
