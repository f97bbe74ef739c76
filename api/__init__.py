"""HTTP side of LO Hub: the FastAPI app, settings, request context and the `lohub` CLI."""
