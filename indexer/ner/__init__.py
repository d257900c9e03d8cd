"""A CRF tagger for PER, ORG and LOC in Indonesian news (see README.md in this folder)."""
