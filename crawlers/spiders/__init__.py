"""One spider per source; the slug is the spider's ``name``, its config section and its test file."""
