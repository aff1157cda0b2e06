"""Host-side tools: the CLI, the dev server, the build. Never shipped to the browser."""
