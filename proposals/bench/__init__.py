"""
The benchmark: floor views, a timing harness and a load run, used by `make bench`.

Nothing here is routed in production: the floor views are served only through
`proposals.bench.urls`, a urlconf the benchmark installs for itself.
"""
