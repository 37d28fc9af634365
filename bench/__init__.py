"""Benchmarks of the build: synthetic sites (``synth``) and the timing script (``run``)."""
