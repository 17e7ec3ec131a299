"""Benchmarks and the corpus generator (not packaged)."""
