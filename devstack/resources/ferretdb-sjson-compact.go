// Added to FerretDB's sjson package by devstack/ferretdb.py (its stock Unmarshal and Marshal
// are renamed unmarshalStock and marshalStock).
//
// The stock decoder reads a stored document level by level: each document, array and value is
// handed to a json.Decoder of its own, which scans its bytes again, so a value nested three
// deep is scanned eight times, and every document decodes its schema (`$s`, half its size)
// by reflection. Here a document in the compact form Marshal writes is read in one pass, with
// the schema decoded once for all documents stored with the same one. Anything not in that
// form (spaces, keys out of the schema's order, escapes in a key, a number JSON would not
// write) is left to the stock decoder, which also gives the errors: where this one answers,
// it answers as the stock one would. The encoder below writes the same bytes as the stock one
// into one buffer.

package sjson

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// Unmarshal decodes a document stored by Marshal.
func Unmarshal(data []byte) (*types.Document, error) {
	if doc, ok := unmarshalCompact(data); ok {
		return doc, nil
	}

	return unmarshalStock(data)
}

// schemaCacheSize bounds the schemas kept: documents of one collection mostly share a few.
const schemaCacheSize = 4096

var schemaCache = struct {
	sync.RWMutex
	m map[string]*schema // by the schema's bytes; nil where this decoder leaves it to stock
}{m: make(map[string]*schema)}

// cachedSchema decodes a top-level schema as the stock decoder does, once per distinct bytes.
func cachedSchema(raw []byte) *schema {
	schemaCache.RLock()
	sch, ok := schemaCache.m[string(raw)]
	schemaCache.RUnlock()

	if ok {
		return sch
	}

	sch = new(schema)
	r := bytes.NewReader(raw)
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()

	if dec.Decode(sch) != nil || checkConsumed(dec, r) != nil || !plainSchema(sch, true) {
		sch = nil
	}

	schemaCache.Lock()
	if len(schemaCache.m) >= schemaCacheSize {
		schemaCache.m = make(map[string]*schema)
	}
	schemaCache.m[string(raw)] = sch
	schemaCache.Unlock()

	return sch
}

// plainSchema: no key twice in a document, no `$s` among the top level's keys, and no key
// that JSON writes otherwise than as it is, so that a document read in the schema's order,
// its keys compared as written, holds what the stock decoder's map of it would.
func plainSchema(sch *schema, top bool) bool {
	seen := make(map[string]struct{}, len(sch.Keys))

	for _, key := range sch.Keys {
		if _, twice := seen[key]; twice || (top && key == "$s") || !plainKey(key) {
			return false
		}

		seen[key] = struct{}{}

		if !plainElem(sch.Properties[key]) {
			return false
		}
	}

	return true
}

func plainKey(key string) bool {
	for i := 0; i < len(key); i++ {
		if key[i] < 0x20 || key[i] == '"' || key[i] == '\\' {
			return false
		}
	}

	return true
}

func plainElem(e *elem) bool {
	if e == nil {
		return true
	}

	if e.Schema != nil && !plainSchema(e.Schema, false) {
		return false
	}

	for _, item := range e.Items {
		if !plainElem(item) {
			return false
		}
	}

	return true
}

// compact reads one stored document from its first byte to its last.
type compact struct {
	data []byte
	pos  int
}

func unmarshalCompact(data []byte) (*types.Document, bool) {
	c := &compact{data: data}
	if !c.take(`{"$s":`) {
		return nil, false
	}

	start := c.pos
	if !c.skip() {
		return nil, false
	}

	sch := cachedSchema(data[start:c.pos])
	if sch == nil {
		return nil, false
	}

	doc, ok := c.fields(sch, true)

	return doc, ok && c.pos == len(data)
}

// fields reads a document's `"key":value` pairs in the schema's order, and its closing brace.
// A comma comes before each pair but the first, and before the first too after the top
// level's `$s`.
func (c *compact) fields(sch *schema, afterSchema bool) (*types.Document, bool) {
	pairs := make([]any, 0, 2*len(sch.Keys))

	for i, key := range sch.Keys {
		if ((i > 0 || afterSchema) && !c.take(",")) || !c.key(key) {
			return nil, false
		}

		v, ok := c.value(sch.Properties[key])
		if !ok {
			return nil, false
		}

		pairs = append(pairs, key, v)
	}

	if !c.take("}") {
		return nil, false
	}

	doc, err := types.NewDocument(pairs...)

	return doc, err == nil
}

// take the given bytes, if they come next.
func (c *compact) take(s string) bool {
	if len(c.data)-c.pos < len(s) || string(c.data[c.pos:c.pos+len(s)]) != s {
		return false
	}

	c.pos += len(s)

	return true
}

// key takes `"key":`, the key as written unescaped.
func (c *compact) key(key string) bool {
	end := c.pos + 1 + len(key)
	if end+2 > len(c.data) || c.data[c.pos] != '"' || string(c.data[c.pos+1:end]) != key {
		return false
	}

	if c.data[end] != '"' || c.data[end+1] != ':' {
		return false
	}

	c.pos = end + 2

	return true
}

// skip one JSON value, to find where a schema ends (the stock decoder then checks it).
func (c *compact) skip() bool {
	depth := 0

	for c.pos < len(c.data) {
		switch c.data[c.pos] {
		case '"':
			if _, ok := c.stringEnd(); !ok {
				return false
			}

			if depth == 0 {
				return true
			}

			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth < 0 {
				return false
			}

			if depth == 0 {
				c.pos++
				return true
			}
		}

		c.pos++
	}

	return false
}

// stringEnd moves past a string starting at the current byte; escaped says whether it holds
// a backslash.
func (c *compact) stringEnd() (escaped bool, ok bool) {
	for i := c.pos + 1; i < len(c.data); i++ {
		switch c.data[i] {
		case '\\':
			escaped = true
			i++
		case '"':
			c.pos = i + 1
			return escaped, true
		}
	}

	return false, false
}

func (c *compact) value(sch *elem) (any, bool) {
	if c.take("null") {
		return types.Null, true
	}

	if sch == nil {
		return nil, false
	}

	switch sch.Type {
	case elemTypeObject:
		if sch.Schema == nil {
			return nil, false
		}

		return c.document(sch.Schema)
	case elemTypeArray:
		if sch.Items == nil {
			return nil, false
		}

		return c.array(sch.Items)
	case elemTypeString:
		return c.string()
	case elemTypeBool:
		if c.take("true") {
			return true, true
		}

		return false, c.take("false")
	case elemTypeInt:
		n, err := strconv.ParseInt(c.number(), 10, 32)
		return int32(n), err == nil
	case elemTypeLong:
		n, err := strconv.ParseInt(c.number(), 10, 64)
		return n, err == nil
	case elemTypeDate:
		n, err := strconv.ParseInt(c.number(), 10, 64)
		return time.UnixMilli(n), err == nil
	case elemTypeDouble:
		f, err := strconv.ParseFloat(c.number(), 64)
		return f, err == nil
	case elemTypeTimestamp:
		n, err := strconv.ParseUint(c.number(), 10, 64)
		return types.Timestamp(n), err == nil
	default:
		return c.stringValue(sch)
	}
}

// stringValue reads the types stored as strings besides strings themselves.
func (c *compact) stringValue(sch *elem) (any, bool) {
	s, ok := c.string()
	if !ok {
		return nil, false
	}

	switch sch.Type {
	case elemTypeObjectID:
		b, err := hex.DecodeString(s)
		if err != nil || len(b) != types.ObjectIDLen {
			return nil, false
		}

		var id types.ObjectID
		copy(id[:], b)

		return id, true
	case elemTypeBinData:
		if sch.Subtype == nil {
			return nil, false
		}

		b := make([]byte, base64.StdEncoding.DecodedLen(len(s)))

		n, err := base64.StdEncoding.Decode(b, []byte(s))
		if err != nil {
			return nil, false
		}

		return types.Binary{B: b[:n], Subtype: *sch.Subtype}, true
	case elemTypeRegex:
		if sch.Options == nil {
			return nil, false
		}

		return types.Regex{Pattern: s, Options: *sch.Options}, true
	}

	return nil, false
}

func (c *compact) document(sch *schema) (any, bool) {
	if c.take("{}") {
		return new(types.Document), true
	}

	if !c.take("{") || len(sch.Keys) == 0 {
		return nil, false
	}

	return c.fields(sch, false)
}

func (c *compact) array(items []*elem) (any, bool) {
	if !c.take("[") {
		return nil, false
	}

	a := types.MakeArray(len(items))

	for i, item := range items {
		if i > 0 && !c.take(",") {
			return nil, false
		}

		v, ok := c.value(item)
		if !ok {
			return nil, false
		}

		a.Append(v)
	}

	if !c.take("]") {
		return nil, false
	}

	return a, true
}

// string reads a JSON string: its bytes as they are when they hold no escape and are UTF-8
// already, as JSON reads them otherwise.
func (c *compact) string() (string, bool) {
	start := c.pos
	if start >= len(c.data) || c.data[start] != '"' {
		return "", false
	}

	escaped, ok := c.stringEnd()
	if !ok {
		return "", false
	}

	raw := c.data[start+1 : c.pos-1]
	if !escaped && plainText(raw) {
		return string(raw), true
	}

	var s string
	if json.Unmarshal(c.data[start:c.pos], &s) != nil {
		return "", false
	}

	return s, true
}

// plainText: no control character (which JSON would refuse) and valid UTF-8 (which JSON
// would mend).
func plainText(b []byte) bool {
	ascii := true

	for _, ch := range b {
		if ch < 0x20 {
			return false
		}

		if ch >= utf8.RuneSelf {
			ascii = false
		}
	}

	return ascii || utf8.Valid(b)
}

// number reads a number as JSON writes it, or nothing (which no parse accepts).
func (c *compact) number() string {
	start := c.pos
	i := start

	if i < len(c.data) && c.data[i] == '-' {
		i++
	}

	switch {
	case i < len(c.data) && c.data[i] == '0':
		i++
	case i < len(c.data) && c.data[i] >= '1' && c.data[i] <= '9':
		i = digits(c.data, i)
	default:
		return ""
	}

	if i < len(c.data) && c.data[i] == '.' {
		if i = digits(c.data, i+1); c.data[i-1] == '.' {
			return ""
		}
	}

	if i < len(c.data) && (c.data[i] == 'e' || c.data[i] == 'E') {
		i++
		if i < len(c.data) && (c.data[i] == '+' || c.data[i] == '-') {
			i++
		}

		at := i
		if i = digits(c.data, i); i == at {
			return ""
		}
	}

	c.pos = i

	return string(c.data[start:i])
}

func digits(b []byte, i int) int {
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}

	return i
}

// Marshal encodes a document with its schema as the stock encoder does, byte for byte, into
// one buffer (the stock one gives each document, array and value a buffer and an encoding of
// its own); a value it does not write itself (a double JSON has no number for) is left to the
// stock encoder, which also gives the error.
func Marshal(d *types.Document) ([]byte, error) {
	if d == nil {
		panic("v is nil")
	}

	w := &compactWriter{buf: make([]byte, 0, 1024)}
	w.raw(`{"$s":`)

	if !w.schema(d) {
		return marshalStock(d)
	}

	keys, values := d.Keys(), d.Values()
	for i, key := range keys {
		w.raw(`,"`)
		w.raw(key) // as the stock encoder writes a top-level key: as it is
		w.raw(`":`)

		if !w.value(values[i]) {
			return marshalStock(d)
		}
	}

	w.raw("}")

	return w.buf, nil
}

type compactWriter struct {
	buf []byte
}

func (w *compactWriter) raw(s string) { w.buf = append(w.buf, s...) }

// schema of a document, as marshalSchemaForDoc writes it.
func (w *compactWriter) schema(d *types.Document) bool {
	keys, values := d.Keys(), d.Values()
	if len(keys) == 0 {
		w.raw("{}")
		return true
	}

	w.raw(`{"p":{`)

	if !w.fields(keys, values, w.elem) {
		return false
	}

	w.raw(`},"$k":[`)

	for i, key := range keys {
		w.comma(i)
		w.string(key)
	}

	w.raw("]}")

	return true
}

// fields writes a document's `"key":value` pairs, each value by `write`.
func (w *compactWriter) fields(keys []string, values []any, write func(any) bool) bool {
	for i, key := range keys {
		w.comma(i)
		w.string(key)
		w.raw(":")

		if !write(values[i]) {
			return false
		}
	}

	return true
}

// items writes an array's values, each by `write`.
func (w *compactWriter) items(a *types.Array, write func(any) bool) bool {
	for i := 0; i < a.Len(); i++ {
		w.comma(i)

		if !write(must.NotFail(a.Get(i))) {
			return false
		}
	}

	return true
}

// comma between two items of a list: before each but the first.
func (w *compactWriter) comma(i int) {
	if i > 0 {
		w.raw(",")
	}
}

// elem of a value, as marshalElemForSingleValue writes it.
func (w *compactWriter) elem(value any) bool {
	switch v := value.(type) {
	case *types.Document:
		w.raw(`{"t":"object","$s":`)

		if !w.schema(v) {
			return false
		}

		w.raw("}")
	case *types.Array:
		w.raw(`{"t":"array","i":[`)

		if !w.items(v, w.elem) {
			return false
		}

		w.raw("]}")
	case float64:
		w.raw(`{"t":"double"}`)
	case string:
		w.raw(`{"t":"string"}`)
	case types.Binary:
		w.raw(`{"t":"binData","s":`)
		w.buf = strconv.AppendUint(w.buf, uint64(v.Subtype), 10)
		w.raw("}")
	case types.ObjectID:
		w.raw(`{"t":"objectId"}`)
	case bool:
		w.raw(`{"t":"bool"}`)
	case time.Time:
		w.raw(`{"t":"date"}`)
	case types.NullType:
		w.raw(`{"t":"null"}`)
	case types.Regex:
		w.raw(`{"t":"regex","o":`)
		w.string(v.Options)
		w.raw("}")
	case int32:
		w.raw(`{"t":"int"}`)
	case types.Timestamp:
		w.raw(`{"t":"timestamp"}`)
	case int64:
		w.raw(`{"t":"long"}`)
	default:
		return false
	}

	return true
}

// value as MarshalSingleValue writes it.
func (w *compactWriter) value(value any) bool {
	switch v := value.(type) {
	case *types.Document:
		w.raw("{")

		if !w.fields(v.Keys(), v.Values(), w.value) {
			return false
		}

		w.raw("}")
	case *types.Array:
		w.raw("[")

		if !w.items(v, w.value) {
			return false
		}

		w.raw("]")
	case string:
		w.string(v)
	case int32:
		w.buf = strconv.AppendInt(w.buf, int64(v), 10)
	case int64:
		w.buf = strconv.AppendInt(w.buf, v, 10)
	case time.Time:
		w.buf = strconv.AppendInt(w.buf, v.UnixMilli(), 10)
	case bool:
		w.buf = strconv.AppendBool(w.buf, v)
	case types.NullType:
		w.raw("null")
	default:
		return w.otherValue(value)
	}

	return true
}

// otherValue: the rarer types, through the stock encoder's own means.
func (w *compactWriter) otherValue(value any) bool {
	switch v := value.(type) {
	case float64, types.Timestamp:
		b, err := MarshalSingleValue(v)
		if err != nil {
			return false
		}

		w.buf = append(w.buf, b...)
	case types.ObjectID:
		w.raw(`"`)
		w.buf = hex.AppendEncode(w.buf, v[:])
		w.raw(`"`)
	case types.Binary:
		if v.B == nil {
			w.raw("null")
			return true
		}

		w.raw(`"`)
		w.buf = base64.StdEncoding.AppendEncode(w.buf, v.B)
		w.raw(`"`)
	case types.Regex:
		w.string(v.Pattern)
	default:
		return false
	}

	return true
}

// string as JSON writes it: as it is when nothing in it is escaped (quotes, backslashes,
// control characters, <, > and &, U+2028 and U+2029, bytes that are not UTF-8), else by JSON.
func (w *compactWriter) string(s string) {
	if plainString(s) {
		w.raw(`"`)
		w.raw(s)
		w.raw(`"`)

		return
	}

	b, _ := json.Marshal(s) // a string always encodes
	w.buf = append(w.buf, b...)
}

func plainString(s string) bool {
	ascii := true

	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch < 0x20, ch == '"', ch == '\\', ch == '<', ch == '>', ch == '&':
			return false
		case ch >= utf8.RuneSelf:
			ascii = false
		}
	}

	if ascii {
		return true
	}

	return utf8.ValidString(s) && !strings.Contains(s, "\u2028") && !strings.Contains(s, "\u2029")
}
