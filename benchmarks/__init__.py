"""`make bench`: each `bench_*.py` module here measures one of the issues' numbers as a ratio to
a baseline measured in the same run, and prints it."""
