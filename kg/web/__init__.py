"""The workbench served by `kg serve`: pages, templates and static files."""
