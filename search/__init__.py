"""Telusur's search stage: a user's query and filters → ranked hits, snippets and facets."""
