package validate

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// Placing findings: the line and column of every body finding, found in
// one scan of the body whatever the number of findings. The pointers of the
// findings are gathered into a trie first; the scan descends only into the
// members and items the trie names, skips everything else, stops once every
// node is reached, and counts lines as it goes, so the cost is one pass over
// (a prefix of) the body plus the length of the pointers.

// posNode is a node of the trie of pointers: a member or item some finding
// points at or below.
type posNode struct {
	parent  *posNode
	members map[string]*posNode // children by member name
	items   map[int]*posNode    // children whose segment is an array index ("0", "17")
	// Where the member name and the value start, 1-based; zero until the
	// scan reaches them (keyLine stays zero for array items and the root).
	keyLine, keyCol, valLine, valCol int
}

// child returns the child of n for a pointer segment, and whether it is new.
func (n *posNode) child(seg string) (*posNode, bool) {
	if i, ok := arrayIndex(seg); ok {
		if c := n.items[i]; c != nil {
			return c, false
		}
		if n.items == nil {
			n.items = map[int]*posNode{}
		}
		c := &posNode{parent: n}
		n.items[i] = c
		return c, true
	}
	if c := n.members[seg]; c != nil {
		return c, false
	}
	if n.members == nil {
		n.members = map[string]*posNode{}
	}
	c := &posNode{parent: n}
	n.members[seg] = c
	return c, true
}

// member returns the child of n for a member name (which may look like an
// array index), or nil.
func (n *posNode) member(name string) *posNode {
	if c := n.members[name]; c != nil {
		return c
	}
	if i, ok := arrayIndex(name); ok {
		return n.items[i]
	}
	return nil
}

// arrayIndex reads a segment written as an array index: digits, no
// leading zero, small enough for an int.
func arrayIndex(seg string) (int, bool) {
	if seg == "" || len(seg) > 9 || (seg[0] == '0' && len(seg) > 1) {
		return 0, false
	}
	n := 0
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// placeFindings sets the line and column of the body findings that have
// none: the member name for an unknown or case-variant member, the value
// otherwise, and for a value that is not there (a missing field) the
// deepest value on its pointer that is, such as the object that should
// hold it. body is one that decodeBody accepted.
func placeFindings(body []byte, fs []Finding) {
	root := &posNode{}
	leaves := make([]*posNode, len(fs))
	nodes := 1
	for i, f := range fs {
		if f.In != InBody || f.Line != 0 {
			continue
		}
		n := root
		for p := f.Pointer; p != ""; {
			p = p[1:] // the '/'
			end := strings.IndexByte(p, '/')
			if end < 0 {
				end = len(p)
			}
			seg := p[:end]
			p = p[end:]
			if strings.IndexByte(seg, '~') >= 0 {
				seg = strings.ReplaceAll(strings.ReplaceAll(seg, "~1", "/"), "~0", "~")
			}
			var created bool
			if n, created = n.child(seg); created {
				nodes++
			}
		}
		leaves[i] = n
	}
	s := &posScan{decoder: decoder{data: body}, line: 1, col: 1, left: nodes}
	s.space()
	s.value(root)
	for i, n := range leaves {
		if n == nil {
			continue
		}
		f := &fs[i]
		if n.keyLine > 0 && (f.Rule == SchemaAdditionalPropertiesRule || f.Rule == JSONCaseVariantKeyRule) {
			f.Line, f.Column = n.keyLine, n.keyCol
			continue
		}
		for n.valLine == 0 && n.parent != nil {
			n = n.parent
		}
		f.Line, f.Column = n.valLine, n.valCol
	}
}

// posScan walks a body for placeFindings, keeping the line and column of
// the offset it has counted up to.
type posScan struct {
	decoder
	counted   int // bytes counted into line and col
	line, col int
	left      int // trie nodes not yet reached
}

// at returns the line and column of the offset at, which must not be
// before the last one asked for.
func (s *posScan) at(offset int) (line, col int) {
	for _, c := range s.data[s.counted:offset] {
		switch {
		case c == '\n':
			s.line, s.col = s.line+1, 1
		case c&0xC0 != 0x80: // not a UTF-8 continuation byte: a new character
			s.col++
		}
	}
	s.counted = offset
	return s.line, s.col
}

// value records where n's value starts (at s.pos) and moves past it,
// descending into the members and items the trie names. It reports false
// when the scan can stop: every node is reached, or the body ends early.
func (s *posScan) value(n *posNode) bool {
	n.valLine, n.valCol = s.at(s.pos)
	if s.left--; s.left == 0 {
		return false
	}
	if len(n.members)+len(n.items) == 0 || s.pos >= len(s.data) {
		return s.skip()
	}
	switch s.data[s.pos] {
	case '{':
		return s.object(n)
	case '[':
		return s.array(n)
	}
	return s.skip()
}

func (s *posScan) object(n *posNode) bool {
	s.pos++ // {
	for {
		s.space()
		if s.pos >= len(s.data) || s.data[s.pos] != '"' {
			s.pos++ // '}' (or a body that is not one decodeBody accepted)
			return s.pos <= len(s.data)
		}
		keyAt := s.pos
		c, ok := s.member(n)
		if !ok {
			return false
		}
		s.space()
		s.pos++ // ':'
		s.space()
		if c != nil {
			c.keyLine, c.keyCol = s.at(keyAt)
			if !s.value(c) {
				return false
			}
		} else if !s.skip() {
			return false
		}
		if !s.next() {
			return s.pos <= len(s.data)
		}
	}
}

func (s *posScan) array(n *posNode) bool {
	s.pos++ // [
	for i := 0; ; i++ {
		s.space()
		if s.pos >= len(s.data) || s.data[s.pos] == ']' {
			s.pos++
			return s.pos <= len(s.data)
		}
		if c := n.items[i]; c != nil {
			if !s.value(c) {
				return false
			}
		} else if !s.skip() {
			return false
		}
		if !s.next() {
			return s.pos <= len(s.data)
		}
	}
}

// next moves past the ',' after a member or item and reports true, or past
// the closing bracket and reports false.
func (s *posScan) next() bool {
	s.space()
	if s.pos < len(s.data) && s.data[s.pos] == ',' {
		s.pos++
		return true
	}
	s.pos++
	return false
}

// member reads the member name at s.pos and returns the trie child of n
// that it names, or nil; ok is false when the name cannot be read.
func (s *posScan) member(n *posNode) (c *posNode, ok bool) {
	start := s.pos + 1
	for i := start; i < len(s.data); i++ {
		switch s.data[i] {
		case '\\':
			k, err := s.string()
			if err != nil {
				return nil, false
			}
			return n.member(k.(string)), true
		case '"':
			s.pos = i + 1
			return n.member(string(s.data[start:i])), true
		}
	}
	return nil, false
}

// lineColumn converts a byte offset into a 1-based line and column (in
// characters), for the one finding of a body that cannot be decoded.
func lineColumn(b []byte, offset int64) (int, int) {
	if offset > int64(len(b)) {
		offset = int64(len(b))
	}
	before := b[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCount(before[start:]) + 1
}
