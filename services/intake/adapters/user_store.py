"""Staff accounts in intake's database; passwords only as Argon2 hashes."""

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from services.intake.domain.user import User
from shared.documents import from_document, to_document
from shared.errors import Conflict


class UserStore:
    def __init__(self, db: Database) -> None:
        self.users = db["users"]

    def add(self, user: User) -> None:
        document = to_document(user)
        document["_id"] = document.pop("username")
        try:
            self.users.insert_one(document)
        except DuplicateKeyError:
            raise Conflict(f"user {user.username!r} exists already") from None

    def get(self, username: str) -> User | None:
        document = self.users.find_one({"_id": username})
        return from_document(User, {**document, "username": username}) if document else None

    def set_password_hash(self, username: str, password_hash: str) -> None:
        self.users.update_one({"_id": username}, {"$set": {"password_hash": password_hash}})

    def all(self) -> list[User]:
        return [from_document(User, {**d, "username": d["_id"]}) for d in self.users.find()]
