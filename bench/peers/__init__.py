"""`make bench-peers`: Telusur's SearchService beside the engines it could be swapped for.

tantivy-py, SQLite FTS5 and Xapian get the tokens Telusur indexes (tokens.py) and the query
trees Telusur parses (trees.py). Each engine runs in processes of its own (driver.py), one to
build and one per round to search, so its build, its RSS and its open time are its alone.
runner.py orchestrates and compares. Modules imported by the Xapian side (driver, trees'
JSON form, engine_xapian) use the standard library only: it runs under /usr/bin/python3.
"""
