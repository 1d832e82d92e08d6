"""Benchmarks (``make bench``): tables of figures, each with a baseline measured in the same run."""
