"""Floor 11, the application: the command line, the preview server and the drafts of `new`."""
