"""
The benchmark app, for development only: synthetic data, floor views, a timing harness and a load
run, with their commands (generate_synthetic, benchmark, loadtest), used by `make bench`.

It measures the `proposals` app from beside it and is not part of the wheel: the settings install
it when it can be imported (a checkout) unless TRACKER_BENCH=0. `proposals` never imports it.
Nothing here is routed in production: the floor views are served only through `bench.urls`, a
urlconf the benchmark installs for itself.
"""
