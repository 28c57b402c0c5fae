"""`python -m services.intake.entrypoints.worker`: intake's outbox relay."""

from services.intake.bootstrap import bootstrap, worker
from shared.worker import serve

if __name__ == "__main__":
    serve(worker(bootstrap()))
