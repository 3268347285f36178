// Package simplepattern matches the shape most spec patterns have in one
// left-to-right pass, and hands every other pattern to package regexp. It
// uses the standard library only; FuzzSimplePattern and
// FuzzSimplePatternGenerated hold it to regexp.
package simplepattern

import (
	"regexp"
	"regexp/syntax"
	"unicode/utf8"
)

// A matcher for the shape most spec patterns have: anchored at both ends, a
// sequence of character classes or literals, each repeated a bounded number
// of times (UUIDs, names, tags). Such a pattern needs no backtracking when
// every variable repeat is followed by something its class cannot match, and
// then a single left-to-right pass decides it, several times faster than
// package regexp. Patterns of any other shape keep using regexp;
// FuzzSimplePattern holds the two to the same answers.

type patternItem struct {
	ranges   []rune // pairs lo, hi, as in syntax.Regexp.Rune
	min, max int    // max -1: unbounded
}

type simplePattern struct{ items []patternItem }

// Matcher matches whole strings against a pattern.
type Matcher interface{ MatchString(string) bool }

// Compile returns the fastest matcher for a pattern (RE2 syntax, as
// package regexp): a one-pass matcher when the pattern has the simple
// shape, else the compiled regexp.
func Compile(pattern string) (Matcher, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	if sp, ok := compileSimplePattern(pattern); ok {
		return sp, nil
	}
	return re, nil
}

func compileSimplePattern(pattern string) (*simplePattern, bool) {
	tree, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil, false
	}
	if tree.Op != syntax.OpConcat || len(tree.Sub) < 2 {
		return nil, false
	}
	subs := tree.Sub
	if subs[0].Op != syntax.OpBeginText || subs[len(subs)-1].Op != syntax.OpEndText {
		return nil, false
	}
	var sp simplePattern
	for _, sub := range subs[1 : len(subs)-1] {
		items, ok := itemsOf(sub)
		if !ok {
			return nil, false
		}
		sp.items = append(sp.items, items...)
	}
	// Greedy matching is exact only if a variable repeat cannot take a rune
	// that an item after it could take instead: the next item, and past
	// every optional item (min 0) also the items after it, up to and
	// including the first one that must match. (Checking only the next
	// item accepted ^a?b?a$, which then failed to match "a".)
	for i, it := range sp.items {
		if it.min == it.max {
			continue
		}
		for _, next := range sp.items[i+1:] {
			if overlaps(it.ranges, next.ranges) {
				return nil, false
			}
			if next.min > 0 {
				break
			}
		}
	}
	return &sp, true
}

// itemsOf turns one node of the pattern into items, if it is a literal, a
// character class, or a bounded repeat of one.
func itemsOf(re *syntax.Regexp) ([]patternItem, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil, false
		}
		items := make([]patternItem, len(re.Rune))
		for i, r := range re.Rune {
			items[i] = patternItem{ranges: []rune{r, r}, min: 1, max: 1}
		}
		return items, true
	case syntax.OpCharClass:
		return []patternItem{{ranges: re.Rune, min: 1, max: 1}}, true
	case syntax.OpRepeat, syntax.OpStar, syntax.OpPlus, syntax.OpQuest:
		if len(re.Sub) != 1 || re.Flags&syntax.NonGreedy != 0 {
			return nil, false
		}
		inner, ok := itemsOf(re.Sub[0])
		if !ok || len(inner) != 1 || inner[0].min != 1 || inner[0].max != 1 {
			return nil, false
		}
		lo, hi := re.Min, re.Max
		switch re.Op {
		case syntax.OpStar:
			lo, hi = 0, -1
		case syntax.OpPlus:
			lo, hi = 1, -1
		case syntax.OpQuest:
			lo, hi = 0, 1
		}
		return []patternItem{{ranges: inner[0].ranges, min: lo, max: hi}}, true
	}
	return nil, false
}

func inRanges(ranges []rune, r rune) bool {
	for i := 0; i+1 < len(ranges); i += 2 {
		if r >= ranges[i] && r <= ranges[i+1] {
			return true
		}
	}
	return false
}

func overlaps(a, b []rune) bool {
	for i := 0; i+1 < len(a); i += 2 {
		for j := 0; j+1 < len(b); j += 2 {
			if a[i] <= b[j+1] && b[j] <= a[i+1] {
				return true
			}
		}
	}
	return false
}

// MatchString reports whether s matches the whole pattern.
func (p *simplePattern) MatchString(s string) bool {
	pos := 0
	for _, it := range p.items {
		n := 0
		for (it.max < 0 || n < it.max) && pos < len(s) {
			// Invalid UTF-8 decodes to U+FFFD, one byte wide, as in regexp.
			r, size := utf8.DecodeRuneInString(s[pos:])
			if !inRanges(it.ranges, r) {
				break
			}
			pos += size
			n++
		}
		if n < it.min {
			return false
		}
	}
	return pos == len(s)
}
