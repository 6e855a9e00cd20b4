"""Floor 12, the application: the command line, the preview server, the drafts of `new` and
`export`."""
