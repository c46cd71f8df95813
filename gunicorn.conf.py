"""gunicorn settings read from the working directory by `make demo`."""

import gc

# gunicorn 27 opens a control socket in the home folder by default; the demo needs none.
control_socket_disable = True
# A sync worker that answers one request longer than this is killed. Complete CSV downloads of
# a large tracker and bulk updates of thousands of rows take tens of seconds.
timeout = 120


def post_fork(server, worker):
    # Objects created at start-up live forever: keep them out of the cyclic collector's sweeps.
    gc.freeze()
