"""Telusur's indexing stage: archive files → clean articles → a Whoosh index."""

from indexer import compiled as _compiled

_compiled.install()  # the tagger's modules as compiled extensions, where built and current
