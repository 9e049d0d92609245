"""Benchmarks: side-by-side measurements of the product against a floor and a seed-style peer."""
