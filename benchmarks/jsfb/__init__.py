"""The js-framework-benchmark contract: our framework against a vanilla-JS floor, in one run.

`python -m benchmarks.jsfb` builds both pages, drives Chromium, and prints medians and ratios.
"""
