"""Benchmarks for Telusur (`make bench`); outside the test suite."""
