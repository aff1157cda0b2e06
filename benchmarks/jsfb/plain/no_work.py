# The plain PyScript page when the TO-DO app needs no third-party package: Python runs, then the
# page says it is ready, as the framework's boot does.
from pyscript import document

document.documentElement.dataset.ready = "1"
