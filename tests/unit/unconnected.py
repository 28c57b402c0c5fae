"""A database handle that never connects, for the containers the unit tests build in memory:
an adapter that reaches past the stores' protocols fails at once (in a tenth of a second)
instead of passing by accident."""

from pymongo import MongoClient
from pymongo.database import Database


def unconnected_database() -> Database:
    client: MongoClient = MongoClient(
        "mongodb://127.0.0.1:9", connect=False, serverSelectionTimeoutMS=100
    )
    return client["unit-tests"]
