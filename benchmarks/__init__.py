"""Benchmarks of the platform (docs/benchmarks.md); never run by the test suite."""
