"""Floor 9, the build: check and run, top to bottom, into a sink."""
