"""Background jobs with a window: pre-annotation and export, each in a worker thread."""
