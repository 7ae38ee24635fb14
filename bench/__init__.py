"""Benchmarks of planfix-server (see bench/README.md)."""
