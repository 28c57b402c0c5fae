"""Benchmarks of the district-scale workloads, each figure beside its raw limit.

`python -m bench` (or `./dev bench`) starts its own stack on free loopback ports, runs every
workload, prints a table and writes JSON. It measures; it never fails on speed.
"""
