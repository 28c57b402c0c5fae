// Run once by the mongo image, on an empty data volume (/docker-entrypoint-initdb.d/).
// Creates the service's own user, allowed to read and write the service's database and nothing
// else: no other database, no user or server administration. docker-compose.yml names the
// database and the user; the password is the Docker secret the service itself reads.
const fs = require("fs");

const database = process.env.ELDERCARE_DB;
const user = process.env.ELDERCARE_DB_USER;
const password = fs.readFileSync(process.env.ELDERCARE_DB_PASSWORD_FILE, "utf8").trim();
if (!database || !user || !password) {
  throw new Error("ELDERCARE_DB, ELDERCARE_DB_USER and a non-empty password file are needed");
}

db.getSiblingDB(database).createUser({
  user: user,
  pwd: password,
  roles: [{ role: "readWrite", db: database }],
});
print(`created ${user}, readWrite on ${database} only`);
