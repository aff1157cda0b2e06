"""One of the app's own modules: shipped with bytecode by `framework build`, not by serve."""

GREETING = "modules"
