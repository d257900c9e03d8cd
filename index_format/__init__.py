"""The contract between the indexer (which writes an index) and search (which reads it): the
schema and facets column, the analysis chain and stemmer, the packed codec, the build writer's
pool, index generations, settings and the error base class.

`indexer` and `search` both import this package; it imports neither.
"""
