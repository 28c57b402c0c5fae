"""`python -m services.allowances.entrypoints.worker`: allowances' event consumer."""

from services.allowances.bootstrap import bootstrap, worker
from shared.worker import serve

if __name__ == "__main__":
    serve(worker(bootstrap()))
