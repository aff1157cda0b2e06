"""Benchmarks: measured ratios against the physical floor (see benchmarks/RESULTS.md)."""
