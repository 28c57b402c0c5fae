"""FerretDB v1, a MongoDB-compatible server, built from the Go module proxy, on SQLite files."""

import fcntl
import os
import shutil
import subprocess
from pathlib import Path

from devstack.paths import RESOURCES, cache_dir
from devstack.processes import Spawned, spawn, wait_until

FERRETDB_VERSION = "v1.24.2"
MODULE = "github.com/FerretDB/FerretDB"

# Two changes to FerretDB's SQLite backend, so that a lookup by `_id` uses the `_id` index
# instead of reading the whole collection (results are unchanged: FerretDB filters whatever
# the backend returns by the full query again):
# - its `_id` path expression is spelled as the index expression is, `->'_id'`, not
#   `->'$._id'`, which SQLite does not recognise as the indexed expression;
# - a filter with an `_id` equality and other conditions selects by `_id` too, not only a
#   filter that is nothing but `_id` (compare-and-set updates are `{_id, version}`).
# And one to its command handler, so that a single-document write is atomic as in MongoDB:
# FerretDB v1 runs an update, a findAndModify or a delete as a read, then a write by `_id`,
# with nothing in between to stop another command from writing the same document. Two
# compare-and-set updates on one `version` could then both succeed, and the outbox relay's
# `$pullAll` could write back a document as it was before a change (losing the change and
# its events). Those three commands are therefore run one at a time per server.
PATCHES = [
    (
        "internal/backends/sqlite/metadata/metadata.go",
        """IDColumn = DefaultColumn + "->'$._id'\"""",
        """IDColumn = DefaultColumn + "->'_id'\"""",
    ),
    (
        "internal/backends/sqlite/collection.go",
        '\tif params.Filter.Len() == 1 {\n\t\tv, _ := params.Filter.Get("_id")',
        '\tif params.Filter.Len() >= 1 {\n\t\tv, _ := params.Filter.Get("_id")',
    ),
    (
        "internal/handler/msg_update.go",
        'import (\n\t"context"\n\t"fmt"\n',
        'import (\n\t"context"\n\t"fmt"\n\t"sync"\n',
    ),
    (
        "internal/handler/msg_update.go",
        "func (h *Handler) MsgUpdate(",
        "// writes: one read-then-write command at a time, so that each is atomic.\n"
        "var writes sync.Mutex\n\n"
        "func (h *Handler) MsgUpdate(",
    ),
    *(
        (
            f"internal/handler/msg_{name.lower()}.go",
            f"func (h *Handler) Msg{name}(connCtx context.Context, msg *wire.OpMsg) "
            "(*wire.OpMsg, error) {\n",
            f"func (h *Handler) Msg{name}(connCtx context.Context, msg *wire.OpMsg) "
            "(*wire.OpMsg, error) {\n\twrites.Lock()\n\tdefer writes.Unlock()\n",
        )
        for name in ("Update", "FindAndModify", "Delete")
    ),
]
# And `{_id: {$in: [...]}}` selects by `_id` too (the outbox relay reads its batches so).
ID_IN = """

// idInWhere selects by `_id` for a filter value {$in: [ids]} of strings or ObjectIDs.
func idInWhere(v any) (string, []any) {
	d, ok := v.(*types.Document)
	if !ok || d.Len() != 1 {
		return "", nil
	}
	in, _ := d.Get("$in")
	values, ok := in.(*types.Array)
	if !ok || values.Len() == 0 {
		return "", nil
	}
	placeholders := make([]string, values.Len())
	args := make([]any, values.Len())
	for i := 0; i < values.Len(); i++ {
		e, _ := values.Get(i)
		switch e.(type) {
		case string, types.ObjectID:
			placeholders[i] = "?"
			args[i] = string(must.NotFail(sjson.MarshalSingleValue(e)))
		default:
			return "", nil
		}
	}
	where := fmt.Sprintf(` WHERE %s IN (%s)`, metadata.IDColumn, strings.Join(placeholders, ", "))
	return where, args
}
"""
PATCHES.append(
    (
        "internal/backends/sqlite/collection.go",
        "\t\tswitch v.(type) {\n\t\tcase string, types.ObjectID:\n\t\t\twhereClause",
        "\t\tswitch v.(type) {\n\t\tcase *types.Document:\n\t\t\twhereClause, args = idInWhere(v)"
        "\n\t\tcase string, types.ObjectID:\n\t\t\twhereClause",
    )
)
# And a query without an `_id` condition lets SQLite skip the documents that cannot match: for
# each top-level field compared with a plain string (letters, digits, `_.:-`), only documents
# whose field is that string, or an array (MongoDB matches its elements), are decoded, found
# through an index on the field where there is one; and likewise for a field bounded by
# `$gt`/`$gte`/`$lt`/`$lte` plain strings (the roll's birth-date bound), only strings within
# the bounds, or arrays; and for a field bounded by dates (work due before the week ends), only
# dates within them, or arrays. Before, every document of the collection
# was decoded in Go for any such filter.
EQUALITY = """

// equalityWhere narrows a scan by the filter's top-level fields that equal a plain string:
// a document can match only if its field is that string or an array.
func equalityWhere(filter *types.Document) (string, []any) {
	if filter == nil {
		return "", nil
	}
	var conditions []string
	var args []any
	for _, key := range filter.Keys() {
		value, _ := filter.Get(key)
		if !plainText(key, false) {
			continue
		}
		column := fmt.Sprintf("%s->'%s'", metadata.DefaultColumn, key)
		if bounds, ok := value.(*types.Document); ok {
			if condition, values, ok := rangeWhere(column, bounds); ok {
				conditions = append(conditions, condition)
				args = append(args, values...)
			} else if condition, values, ok := dateRangeWhere(column, key, bounds); ok {
				conditions = append(conditions, condition)
				args = append(args, values...)
			}
			continue
		}
		s, ok := value.(string)
		if !ok || !plainText(s, true) {
			continue
		}
		// an array's JSON text, and nothing else's, starts with "[": a range the index serves
		conditions = append(conditions, fmt.Sprintf(
			"(%[1]s = ? OR (%[1]s >= '[' AND %[1]s < '\\\\'))", column,
		))
		args = append(args, string(must.NotFail(sjson.MarshalSingleValue(s))))
	}
	if len(conditions) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conditions, " AND "), args
}

// rangeWhere narrows {$gt/$gte: a, $lt/$lte: b} of plain strings: a document can match only
// if its field is a string between them or an array. The field's JSON text is compared: a
// string's text is its characters in quotes, which sort as the string does, except where JSON
// escapes a character (a backslash in the text); so the strings that first differ from a
// bound by an escaped character are taken too, by ranges of their own. FerretDB filters what
// SQL returns by the whole query again.
func rangeWhere(column string, bounds *types.Document) (string, []any, bool) {
	lower, upper := "", ""
	for _, op := range bounds.Keys() {
		value, _ := bounds.Get(op)
		s, ok := value.(string)
		if !ok || !plainText(s, true) {
			return "", nil, false
		}
		switch op {
		case "$gt", "$gte":
			if lower != "" {
				return "", nil, false
			}
			lower = s
		case "$lt", "$lte":
			if upper != "" {
				return "", nil, false
			}
			upper = s
		default:
			return "", nil, false
		}
	}
	if lower == "" && upper == "" {
		return "", nil, false
	}
	from, to, toOp := `"`, `#`, "<" // every string's text starts with a quote
	if lower != "" {
		from = `"` + lower
	}
	if upper != "" {
		to, toOp = `"`+upper+`"`, "<="
	}
	terms := []string{fmt.Sprintf("(%[1]s >= ? AND %[1]s %[2]s ?)", column, toOp)}
	args := []any{from, to}
	for _, bound := range []string{lower, upper} {
		for i := 0; bound != "" && i <= len(bound); i++ {
			// the strings that start as the bound's first i characters, then an escape
			terms = append(terms, fmt.Sprintf("(%[1]s >= ? AND %[1]s < ?)", column))
			args = append(args, `"`+bound[:i]+`\\`, `"`+bound[:i]+`]`)
		}
	}
	// an array's JSON text, and nothing else's, starts with "["
	terms = append(terms, fmt.Sprintf("(%[1]s >= '[' AND %[1]s < '\\\\')", column))
	return "(" + strings.Join(terms, " OR ") + ")", args, true
}

// dateRangeWhere narrows {$gt/$gte/$lt/$lte: dates}: a document can match only if its field
// is a number within the bounds (a date is stored as its milliseconds since the epoch, a JSON
// number; SQL compares `->>`'s number with the bound's as numbers, and any text or null as
// outside them) or an array.
func dateRangeWhere(column, key string, bounds *types.Document) (string, []any, bool) {
	operators := map[string]string{"$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}
	var terms []string
	var args []any
	for _, op := range bounds.Keys() {
		value, _ := bounds.Get(op)
		t, ok := value.(time.Time)
		operator, known := operators[op]
		if !ok || !known {
			return "", nil, false
		}
		terms = append(terms, fmt.Sprintf("%s->>'%s' %s ?", metadata.DefaultColumn, key, operator))
		args = append(args, t.UnixMilli())
	}
	if len(terms) == 0 {
		return "", nil, false
	}
	array := fmt.Sprintf("(%[1]s >= '[' AND %[1]s < '\\\\')", column)
	return "((" + strings.Join(terms, " AND ") + ") OR " + array + ")", args, true
}

// plainText is a field name (letters, digits, `_`, not first a digit) or a value (also `.:-`).
func plainText(s string, value bool) bool {
	if s == "" || len(s) > 200 || (!value && s[0] >= '0' && s[0] <= '9') {
		return false
	}
	for _, c := range s {
		letter := (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		digit := c >= '0' && c <= '9'
		if !letter && !digit && c != '_' && !(value && (c == '.' || c == ':' || c == '-')) {
			return false
		}
	}
	return true
}
"""
PATCHES.append(
    (
        "internal/backends/sqlite/collection.go",
        '\t"sort"\n\t"strings"\n',
        '\t"sort"\n\t"strings"\n\t"time"\n',
    )
)
PATCHES.append(
    (
        "internal/backends/sqlite/collection.go",
        "\tq += whereClause\n",
        '\tif whereClause == "" {\n\t\twhereClause, args = equalityWhere(params.Filter)\n\t}\n\n'
        "\tq += whereClause\n",
    )
)
# FerretDB's PostgreSQL backend narrows a query in SQL by its top-level equalities, each as
# `_jsonb->$1 @> $2`: a containment test with the field's name as a parameter, which no index
# serves. A lookup by `_id` thus read every row (20 ms among 20,000 documents, where the `_id`
# index answers in 0.05 ms: EXPLAIN ANALYZE, docs/performance.md). So, on that backend, an `_id`
# equality and an `_id` `$in` of strings or ObjectIDs are written as the `_id` index's own
# expression, `_jsonb->'_id' = $1` and `IN (...)` (an `_id` is never an array, so equality is
# what containment meant).
POSTGRESQL_QUERY = "internal/backends/postgresql/query.go"
PATCHES += [
    (
        POSTGRESQL_QUERY,
        "\tcase string, types.ObjectID, time.Time:\n\t\t// merge with the case below?\n",
        "\tcase string, types.ObjectID, time.Time:\n"
        '\t\tif k == "_id" && operator == "->" {\n'
        "\t\t\tfilter = fmt.Sprintf(`%s = %s`, metadata.IDColumn, p.Next())\n"
        "\t\t\targs = append(args, string(must.NotFail(sjson.MarshalSingleValue(v))))\n"
        "\t\t\tbreak\n"
        "\t\t}\n\n"
        "\t\t// merge with the case below?\n",
    ),
    (
        POSTGRESQL_QUERY,
        "\t\t\t\tdefault:\n\t\t\t\t\t// $gt and $lt\n",
        '\t\t\t\tcase "$in":\n'
        '\t\t\t\t\tif f, a := idIn(p, rootKey, v); f != "" {\n'
        "\t\t\t\t\t\tfilters = append(filters, f)\n"
        "\t\t\t\t\t\targs = append(args, a...)\n"
        "\t\t\t\t\t}\n\n"
        "\t\t\t\tdefault:\n\t\t\t\t\t// $gt and $lt\n",
    ),
]
POSTGRESQL_ID_IN = """

// idIn selects by the `_id` index for {_id: {$in: [ids]}} of strings or ObjectIDs.
func idIn(p *metadata.Placeholder, key string, v any) (string, []any) {
	values, ok := v.(*types.Array)
	if key != "_id" || !ok || values.Len() == 0 {
		return "", nil
	}
	placeholders := make([]string, values.Len())
	args := make([]any, values.Len())
	for i := 0; i < values.Len(); i++ {
		e, _ := values.Get(i)
		switch e.(type) {
		case string, types.ObjectID:
			placeholders[i] = p.Next()
			args[i] = string(must.NotFail(sjson.MarshalSingleValue(e)))
		default:
			return "", nil
		}
	}
	return fmt.Sprintf(`%s IN (%s)`, metadata.IDColumn, strings.Join(placeholders, ", ")), args
}
"""
# And an update that modifies many documents writes them in one transaction, not one each:
# FerretDB v1 committed every modified document of an `update_many` on its own, which was most
# of the outbox relay's cost (500 documents: 190 ms; docs/performance.md, *Publishing*). The
# documents are changed in Go as before and written together once the matching is done, or
# when a document fails to change (those changed before it are kept, as MongoDB keeps them);
# the command is still one at a time per server (above), so no other write comes in between.
UPDATE_DOCUMENT = "internal/handler/common/update.go"
FAILED_CHANGE = "\t\tif err != nil {\n\t\t\treturn nil, lazyerrors.Error(err)\n\t\t}\n\n"
PATCHES += [
    (
        UPDATE_DOCUMENT,
        '\tisFindAndModify := (strings.ToLower(cmd) == "findandmodify")\n',
        '\tisFindAndModify := (strings.ToLower(cmd) == "findandmodify")\n\n'
        "\t// changed: the documents to write, in one transaction\n"
        "\tvar changed []*types.Document\n"
        "\twrite := func() error {\n"
        "\t\tif len(changed) == 0 {\n\t\t\treturn nil\n\t\t}\n"
        "\t\t_, err := c.UpdateAll(ctx, &backends.UpdateAllParams{Docs: changed})\n"
        "\t\tchanged = nil\n\n"
        "\t\treturn err\n"
        "\t}\n",
    ),
    (
        UPDATE_DOCUMENT,
        "\t\t\tif !upsert {\n\t\t\t\treturn result, nil\n\t\t\t}\n",
        "\t\t\tif !upsert {\n"
        "\t\t\t\tif err = write(); err != nil {\n"
        "\t\t\t\t\treturn nil, lazyerrors.Error(err)\n"
        "\t\t\t\t}\n\n"
        "\t\t\t\treturn result, nil\n\t\t\t}\n",
    ),
    (
        UPDATE_DOCUMENT,
        FAILED_CHANGE + '\t\tif !doc.Has("_id") {\n',
        "\t\tif err != nil {\n\t\t\t_ = write()\n\n"
        "\t\t\treturn nil, lazyerrors.Error(err)\n\t\t}\n\n"
        '\t\tif !doc.Has("_id") {\n',
    ),
    (
        UPDATE_DOCUMENT,
        "\t\tif err = doc.ValidateData(); err != nil {\n\t\t\treturn nil",
        "\t\tif err = doc.ValidateData(); err != nil {\n\t\t\t_ = write()\n\n\t\t\treturn nil",
    ),
    (
        UPDATE_DOCUMENT,
        "\t\t} else if modified {\n"
        "\t\t\t_, err := c.UpdateAll(ctx, "
        "&backends.UpdateAllParams{Docs: []*types.Document{doc}})\n"
        "\t\t\tif err != nil {\n\t\t\t\treturn nil, lazyerrors.Error(err)\n\t\t\t}\n",
        "\t\t} else if modified {\n\t\t\tchanged = append(changed, doc)\n",
    ),
]
# And the SQLite backend's writes (inserts, updates, deletes) queue in Go for the database's one
# writer, instead of each polling SQLite's lock with sleeps of up to 100 ms: with the relay's
# updates written a batch at a time (above), an import's insert could wait behind them for
# longer than a client's timeout, unlucky at every poll (measured: a district import failed on
# a 10 s timeout). SQLite takes one writer at a time anyway, so nothing is lost by queueing.
WRITING = """

// writing: one write transaction at a time per server, queued here rather than on SQLite's lock.
var writing sync.Mutex
"""
SQLITE_COLLECTION = "internal/backends/sqlite/collection.go"
PATCHES += [
    (SQLITE_COLLECTION, '\t"strings"\n\t"time"\n', '\t"strings"\n\t"sync"\n\t"time"\n'),
    (
        SQLITE_COLLECTION,
        "\terr := db.InTransaction(ctx, func(tx *fsql.Tx) error {\n",
        "\twriting.Lock()\n\tdefer writing.Unlock()\n\n"
        "\terr := db.InTransaction(ctx, func(tx *fsql.Tx) error {\n",
    ),
    (
        SQLITE_COLLECTION,
        "\tres, err := db.ExecContext(ctx, q, args...)\n",
        "\twriting.Lock()\n\tdefer writing.Unlock()\n\n"
        "\tres, err := db.ExecContext(ctx, q, args...)\n",
    ),
]
# And SQLite keeps statistics of the indexes, taken again every minute (at most a thousand
# entries of each index read, under the write queue above; `ELDERCARE_STORE_STATISTICS_SECONDS`
# for another period), so that its planner narrows a query through the index that selects
# fewest documents. Without them it chose among a filter's fields blindly: of one visitor's open
# work (130 obligations among 4,000), it read every open obligation through the status index,
# parsing each one's JSON to compare the assignee. `explain` shows the narrowing as a query
# makes it (FerretDB's explained only an `_id` alone), which is how a test sees the choice.
ANALYZE = """

// analyze keeps SQLite's statistics of every index current.
func analyze(r *metadata.Registry) {
	every := time.Minute
	seconds, err := strconv.Atoi(os.Getenv("ELDERCARE_STORE_STATISTICS_SECONDS"))
	if err == nil && seconds > 0 {
		every = time.Duration(seconds) * time.Second
	}
	ctx := context.Background()
	for range time.Tick(every) {
		for _, name := range r.DatabaseList(ctx) {
			db := r.DatabaseGetExisting(ctx, name)
			if db == nil {
				continue
			}
			writing.Lock()
			_ = db.InTransaction(ctx, func(tx *fsql.Tx) error {
				if _, err := tx.ExecContext(ctx, "PRAGMA analysis_limit = 1000"); err != nil {
					return err
				}
				_, err := tx.ExecContext(ctx, "ANALYZE")
				return err
			})
			writing.Unlock()
		}
	}
}
"""
PATCHES += [
    (
        "internal/backends/sqlite/backend.go",
        "\treturn backends.BackendContract(&backend{\n",
        "\tgo analyze(r)\n\n\treturn backends.BackendContract(&backend{\n",
    ),
    (
        SQLITE_COLLECTION,
        '\t"strings"\n\t"sync"\n',
        '\t"os"\n\t"strconv"\n\t"strings"\n\t"sync"\n',
    ),
    (
        SQLITE_COLLECTION,
        "\tq := `EXPLAIN QUERY PLAN ` + selectClause + whereClause + orderByClause\n",
        '\tif whereClause == "" {\n\t\twhereClause, args = equalityWhere(params.Filter)\n\t}\n\n'
        "\tq := `EXPLAIN QUERY PLAN ` + selectClause + whereClause + orderByClause\n",
    ),
]
# And documents are read and written in one pass (resources/ferretdb-sjson-compact.go, beside
# the stock decoder and encoder, renamed): FerretDB v1 decoded a stored document level by level,
# a json.Decoder for every document, array and value, each scanning its bytes again, and the
# document's schema by reflection every time; it encoded each level and value into a buffer of
# its own. Decoding was 30% of intake's store during a district import and three quarters of
# every read (perf, docs/performance.md). An elder's document with its outbox decoded in
# 210 µs, now in 19; encoded in 42 µs, now in 13. A document not in the compact form FerretDB
# writes is left to the stock decoder, and a double JSON has no number for to the stock
# encoder, which also give the errors. When the patch was written, 242,442 documents of every
# collection of the test stores, and 727,326 copies with a byte changed, decoded alike by both
# decoders, and every one decoded was encoded to the same bytes by both encoders.
SJSON = "internal/handler/sjson/sjson.go"
PATCHES += [
    (
        SJSON,
        "func Unmarshal(data []byte) (*types.Document, error) {",
        "func unmarshalStock(data []byte) (*types.Document, error) {",
    ),
    (
        SJSON,
        "func Marshal(d *types.Document) ([]byte, error) {",
        "func marshalStock(d *types.Document) ([]byte, error) {",
    ),
]
COMPACT_FORM = ("ferretdb-sjson-compact.go", "internal/handler/sjson/compact.go")
# And FerretDB's leak tracker is off: for every iterator, cursor and transaction (one per
# document and array sent to a client) it recorded a stack trace in a pprof profile and set a
# finalizer that would panic the whole server if the object were dropped unclosed. A debugging
# aid for FerretDB's developers, it took a third of every `getMore` (perf): reading 5,000
# documents with nested documents and arrays 40 times over took the store 21.5 s of CPU with
# it, 10.9 s without (and 37.2 s before documents were read and written in one pass).
RESOURCE = "internal/util/resource/resource.go"
PATCHES += [
    (
        RESOURCE,
        "func Track(obj any, token *Token) {\n",
        "// tracking: off (devstack/ferretdb.py)\nconst tracking = false\n\n"
        "func Track(obj any, token *Token) {\n\tif !tracking {\n\t\treturn\n\t}\n\n",
    ),
    (
        RESOURCE,
        "func Untrack(obj any, token *Token) {\n",
        "func Untrack(obj any, token *Token) {\n\tif !tracking {\n\t\treturn\n\t}\n\n",
    ),
]
# a new patch, a new name
PATCHED_BUILD = (
    f"{FERRETDB_VERSION}-id-index-atomic-writes-id-in-equality-range-dates-pg-id"
    "-update-batch-write-queue-analyze-compact-form-untracked-2"
)


def build_name() -> str:
    """The build the stores run: patched, or FerretDB as released (`ELDERCARE_FERRETDB=stock`),
    to check what each patch is still needed for (docs/performance.md)."""
    stock = os.environ.get("ELDERCARE_FERRETDB") == "stock"
    return f"{FERRETDB_VERSION}-stock" if stock else PATCHED_BUILD


def ferretdb_binary() -> Path:
    """Build FerretDB once and cache the binary.

    `go install` of the module refuses to run the result (its version file is generated by
    the project's own build tooling), so the module source is copied, patched (PATCHES) and
    built with it set.
    """
    build = build_name()
    target = cache_dir() / f"ferretdb-{build}"
    binary = target / "ferretdb"
    if binary.exists():
        return binary
    target.mkdir(parents=True, exist_ok=True)
    with open(target / ".lock", "w") as lock:  # another process may be building it just now
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not binary.exists():
            _build(target, binary, patched=build == PATCHED_BUILD)
    return binary


def _build(target: Path, binary: Path, patched: bool) -> None:
    if shutil.which("go") is None:
        raise RuntimeError("Go is needed once to build FerretDB; install Go 1.22 or newer")
    print(f"devstack: building FerretDB {FERRETDB_VERSION} (once)", flush=True)
    env = {**os.environ, "GOFLAGS": "-mod=mod"}
    subprocess.run(["go", "mod", "download", f"{MODULE}@{FERRETDB_VERSION}"], check=True, env=env)
    module_dir = subprocess.run(
        ["go", "list", "-m", "-f", "{{.Dir}}", f"{MODULE}@{FERRETDB_VERSION}"],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout.strip()
    source = target / "src"
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(module_dir, source)
    for path in source.rglob("*"):
        path.chmod(path.stat().st_mode | 0o200)
    (source / "build" / "version" / "version.txt").write_text(FERRETDB_VERSION + "\n")
    if patched:
        _patch(source)
    subprocess.run(
        ["go", "build", "-o", str(binary), "./cmd/ferretdb"], cwd=source, check=True, env=env
    )
    shutil.rmtree(source, ignore_errors=True)


def _patch(source: Path) -> None:
    for relative, old, new in PATCHES:
        path = source / relative
        text = path.read_text()
        if text.count(old) < 1:
            raise RuntimeError(f"FerretDB {FERRETDB_VERSION}: {relative} is not as expected")
        path.write_text(text.replace(old, new))
    collection = source / "internal/backends/sqlite/collection.go"
    collection.write_text(collection.read_text() + ID_IN + EQUALITY + WRITING + ANALYZE)
    query = source / POSTGRESQL_QUERY
    query.write_text(query.read_text() + POSTGRESQL_ID_IN)
    resource, destination = COMPACT_FORM
    shutil.copyfile(RESOURCES / resource, source / destination)


# SQLite in WAL mode with synchronous=NORMAL: a commit survives the store's process being killed
# (the fault tests do that) and is synced to disk at checkpoints, not at every commit: an
# operating-system crash may lose the last moments, as MongoDB's default journal interval may.
# With FULL, every insert waits for the disk.
SQLITE_OPTIONS = "?_pragma=synchronous(normal)"


# Go's garbage collector at its default (GOGC=100) took a quarter of FerretDB's time on reads:
# decoding a document's JSON allocates much and keeps little. Collecting when the heap has grown
# eight times over, within a soft limit per server, made reads of 30 obligations 30-35% faster
# (14.7 to 9.4 ms) and a worklist's API call 29% faster (22.6 to 16.1 ms), measured in-process.
GO_MEMORY = {"GOGC": "800", "GOMEMLIMIT": "512MiB"}


# FerretDB's backends: SQLite files (the default: nothing to install) or PostgreSQL.
STORE_BACKENDS = ("sqlite", "postgresql")


def store_backend() -> str:
    backend = os.environ.get("ELDERCARE_STORE_BACKEND", "sqlite")
    if backend not in STORE_BACKENDS:
        raise RuntimeError(f"ELDERCARE_STORE_BACKEND={backend}: one of {', '.join(STORE_BACKENDS)}")
    return backend


def store_kind() -> str:
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    stock = ", as released" if build_name() != PATCHED_BUILD else ""
    return f"FerretDB {FERRETDB_VERSION} ({names[store_backend()]}{stock})"


def start_ferretdb(
    name: str,
    run_dir: Path,
    data_dir: Path,
    port: int,
    postgresql_url: str | None = None,
    timeout: float = 30.0,
) -> Spawned:
    """On SQLite files in `data_dir`, or on PostgreSQL at `postgresql_url` if given."""
    data_dir.mkdir(parents=True, exist_ok=True)
    backend = ["--handler=sqlite", f"--sqlite-url=file:{data_dir}/{SQLITE_OPTIONS}"]
    if postgresql_url:
        backend = ["--handler=postgresql", f"--postgresql-url={postgresql_url}"]
    spawned = spawn(
        name,
        [
            str(ferretdb_binary()),
            *backend,
            f"--listen-addr=127.0.0.1:{port}",
            "--telemetry=disable",
            "--log-level=warn",
            "--debug-addr=-",
            f"--state-dir={data_dir}",
        ],
        run_dir,
        env=GO_MEMORY,
    )
    wait_until(spawned, lambda: _answers(port), timeout, "answering")
    return spawned


def _answers(port: int) -> bool:
    from pymongo import MongoClient

    client: MongoClient = MongoClient(f"mongodb://127.0.0.1:{port}/", serverSelectionTimeoutMS=500)
    try:
        client.admin.command("ping")
        return True
    finally:
        client.close()
