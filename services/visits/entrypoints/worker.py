"""`python -m services.visits.entrypoints.worker`: visits' event consumer."""

from services.visits.bootstrap import bootstrap, worker
from shared.worker import serve

if __name__ == "__main__":
    serve(worker(bootstrap()))
