package strictjson

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// Placing pointers: the line and column of every pointer, found in one scan
// of the body whatever the number of pointers. The pointers are gathered
// into a trie first; the scan descends only into the
// members and items the trie names, skips everything else, stops once every
// node is reached, and counts lines as it goes, so the cost is one pass over
// (a prefix of) the body plus the length of the pointers.

// posNode is a node of the trie of pointers: a member or item some pointer
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
	if i, ok := ArrayIndex(seg); ok {
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
	if i, ok := ArrayIndex(name); ok {
		return n.items[i]
	}
	return nil
}

// ArrayIndex reads a JSON pointer segment written as an array index:
// digits, no leading zero, small enough for an int. Places reads segments
// so, and the validate package orders findings by the same reading.
func ArrayIndex(seg string) (int, bool) {
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

// Place is where a JSON pointer is in a body, 1-based lines and columns
// (columns count characters).
type Place struct {
	// Line and Column are where the pointer's value starts; for a value
	// that is not there (a missing member, an item past the end), where the
	// deepest value on the pointer that is there starts, such as the object
	// that should hold the member.
	Line, Column int
	// KeyLine and KeyColumn are where the member name of the pointer's
	// value starts, when the value is there and is an object's member;
	// zero otherwise (the root, an array item, a value not there).
	KeyLine, KeyColumn int
}

// Places finds the place of each pointer in body, which must be one that
// Decode accepted, and calls place with the pointer's index and its place,
// once per pointer, in index order. It scans (a prefix of) the body once:
// it descends only into the members and items the pointers name and stops
// once every one is reached. The pointers are JSON pointers ("" for the
// root, "/server/nics/0").
func Places(body []byte, pointers []string, place func(i int, p Place)) {
	root := &posNode{}
	leaves := make([]*posNode, len(pointers))
	nodes := 1
	for i, p := range pointers {
		n := root
		for p != "" {
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
		p := Place{KeyLine: n.keyLine, KeyColumn: n.keyCol}
		for n.valLine == 0 && n.parent != nil {
			n = n.parent
		}
		p.Line, p.Column = n.valLine, n.valCol
		place(i, p)
	}
}

// posScan walks a body for Places, keeping the line and column of
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
			s.pos++ // '}' (or a body that is not one Decode accepted)
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

// LineColumn converts a byte offset in b into a 1-based line and column
// (in characters), such as the Offset of an Error; an offset past the end
// is the end.
func LineColumn(b []byte, offset int) (line, col int) {
	offset = max(0, min(offset, len(b)))
	before := b[:offset]
	start := bytes.LastIndexByte(before, '\n') + 1
	return bytes.Count(before, []byte("\n")) + 1, utf8.RuneCount(before[start:]) + 1
}
