"""Telusur's indexing stage: archive files → clean articles → a Whoosh index."""
