"""Placeholder until the TO-DO app lands: proves the page boots from `framework serve`."""

from pyscript import document

document.getElementById("app").textContent = "TO-DO app: coming soon."
