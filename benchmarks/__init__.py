"""National-scale benchmarks: `make bench` (benchmarks/run.py). Not tests: they print figures beside targets."""
