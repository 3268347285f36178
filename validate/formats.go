package validate

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// A named format declared with x-formats. Each kind checks one thing that
// JSON Schema and RE2 cannot say; its error text never repeats the value, so
// secrets stay out of every output.

// Format is a compiled x-formats entry.
type Format struct {
	Name        string
	Kind        string
	Description string
	// Secret is true when values of this format must never be shown.
	Secret bool
	// check validates a value at an instant (for time windows).
	check func(value string, now time.Time) error
	clock func() time.Time // the engine's (WithClock)
}

// Validate reports whether value is valid for the format, at the instant of
// the engine's clock.
func (f *Format) Validate(value string) error { return f.check(value, f.clock()) }

// validAt validates value at the instant now; the zero instant is the
// engine's clock.
func (f *Format) validAt(value string, now time.Time) error {
	if now.IsZero() {
		now = f.clock()
	}
	return f.check(value, now)
}

// formatAt is a Format validating at one instant, for kin-openapi.
type formatAt struct {
	f   *Format
	now time.Time
}

func (a formatAt) Validate(value string) error { return a.f.check(value, a.now) }

func compileFormat(name string, src formatSource, now func() time.Time) (*Format, error) {
	f := &Format{Name: name, Kind: src.Kind, Description: strings.TrimSpace(src.Description), clock: now}
	if f.Description == "" {
		return nil, fmt.Errorf("format %s: missing description", name)
	}
	var err error
	switch src.Kind {
	case "password":
		f.Secret = true
		f.check, err = timeless(passwordCheck(src))
	case "base64":
		f.check, err = timeless(base64Check(src))
	case "utc-time":
		f.check, err = utcTimeCheck(src)
	case "ip-or-cidr":
		f.check, err = timeless(ipOrCIDRCheck(src))
	default:
		err = fmt.Errorf("unknown kind %q (want password, base64, utc-time or ip-or-cidr)", src.Kind)
	}
	if err != nil {
		return nil, fmt.Errorf("format %s: %w", name, err)
	}
	return f, nil
}

// timeless adapts a check that does not depend on the instant.
func timeless(check func(string) error, err error) (func(string, time.Time) error, error) {
	if err != nil {
		return nil, err
	}
	return func(v string, _ time.Time) error { return check(v) }, nil
}

func passwordCheck(src formatSource) (func(string) error, error) {
	if src.MinClasses < 1 || src.MinClasses > 4 {
		return nil, fmt.Errorf("minClasses must be 1 to 4")
	}
	if src.Specials == "" {
		return nil, fmt.Errorf("missing specials")
	}
	if src.MaxDecodedBytes != 0 || src.Layout != "" || src.NotBefore != "" || src.NotAfter != "" {
		return nil, fmt.Errorf("parameters of another kind")
	}
	specials := src.Specials
	minClasses := src.MinClasses
	var forbidden []string // lower case, both directions
	for _, w := range src.Forbidden {
		w = strings.ToLower(w)
		forbidden = append(forbidden, w, reverse(w))
	}
	return func(v string) error {
		var upper, lower, digit, special bool
		for _, r := range v {
			switch {
			case r >= 'A' && r <= 'Z':
				upper = true
			case r >= 'a' && r <= 'z':
				lower = true
			case r >= '0' && r <= '9':
				digit = true
			case strings.ContainsRune(specials, r):
				special = true
			}
		}
		classes := 0
		for _, has := range []bool{upper, lower, digit, special} {
			if has {
				classes++
			}
		}
		if classes < minClasses {
			return fmt.Errorf("must contain at least %d of: upper-case letters, lower-case letters, digits, special characters %s (has %d)", minClasses, specials, classes)
		}
		folded := strings.ToLower(v)
		for i := 0; i < len(forbidden); i += 2 {
			if strings.Contains(folded, forbidden[i]) || strings.Contains(folded, forbidden[i+1]) {
				return fmt.Errorf("must not contain %q or %q in any letter case", forbidden[i], forbidden[i+1])
			}
		}
		return nil
	}, nil
}

func base64Check(src formatSource) (func(string) error, error) {
	if src.MaxDecodedBytes <= 0 {
		return nil, fmt.Errorf("maxDecodedBytes must be positive")
	}
	if src.MinClasses != 0 || src.Specials != "" || src.Forbidden != nil || src.Layout != "" {
		return nil, fmt.Errorf("parameters of another kind")
	}
	limit := src.MaxDecodedBytes
	enc := base64.StdEncoding.Strict()
	return func(v string) error {
		// Line breaks (CR, LF) are allowed anywhere, as wrapped (MIME-style)
		// output has them: the decoder skips them, and the size counted is
		// the decoded size, so wrapping never changes the verdict. The body
		// size limit bounds the buffer.
		n, err := enc.Decode(make([]byte, enc.DecodedLen(len(v))), []byte(v))
		if err != nil {
			var corrupt base64.CorruptInputError
			if errors.As(err, &corrupt) {
				return fmt.Errorf("is not standard padded base64 (bad input at byte %d)", int64(corrupt))
			}
			return fmt.Errorf("is not standard padded base64")
		}
		if n > limit {
			return fmt.Errorf("decoded content is %d bytes, more than %d", n, limit)
		}
		return nil
	}, nil
}

// ipOrCIDRCheck accepts an IPv4 or IPv6 address, or either with a prefix
// length (a CIDR block, host bits allowed: 1.1.1.1/0). Zones (fe80::1%eth0)
// and leading zeros are refused, as net/netip does.
func ipOrCIDRCheck(src formatSource) (func(string) error, error) {
	if src.MinClasses != 0 || src.Specials != "" || src.Forbidden != nil || src.MaxDecodedBytes != 0 ||
		src.Layout != "" || src.NotBefore != "" || src.NotAfter != "" {
		return nil, fmt.Errorf("the kind takes no parameters")
	}
	return func(v string) error {
		if strings.Contains(v, "/") {
			if _, err := netip.ParsePrefix(v); err != nil {
				return fmt.Errorf("is not an IPv4 or IPv6 CIDR block (address/prefix length, e.g. 192.168.0.0/24 or 2001:db8::/64)")
			}
			return nil
		}
		if a, err := netip.ParseAddr(v); err != nil || a.Zone() != "" {
			return fmt.Errorf("is not an IPv4 or IPv6 address or CIDR block (e.g. 192.168.0.10, 2001:db8::10 or 192.168.0.0/24)")
		}
		return nil
	}, nil
}

func utcTimeCheck(src formatSource) (func(string, time.Time) error, error) {
	if src.Layout == "" {
		return nil, fmt.Errorf("missing layout")
	}
	notBefore, err := parseISODuration(src.NotBefore)
	if err != nil {
		return nil, fmt.Errorf("notBefore: %w", err)
	}
	notAfter, err := parseISODuration(src.NotAfter)
	if err != nil {
		return nil, fmt.Errorf("notAfter: %w", err)
	}
	layout := src.Layout
	return func(v string, now time.Time) error {
		t, err := time.Parse(layout, v)
		// time.Parse accepts fractional seconds the layout does not have;
		// formatting back rejects them.
		if err != nil || t.Format(layout) != v {
			return fmt.Errorf("is not a UTC time written %s", layout)
		}
		// The messages name the window, not its bounds at this instant, so
		// that the same input gives the same output whenever it is checked.
		n := now.UTC()
		if t.Before(notBefore.after(n)) {
			return fmt.Errorf("must be at least %s (ISO 8601 duration) after the time of the request", src.NotBefore)
		}
		if t.After(notAfter.after(n)) {
			return fmt.Errorf("must be at most %s (ISO 8601 duration) after the time of the request", src.NotAfter)
		}
		return nil
	}, nil
}

// isoDuration is an ISO 8601 duration of the form PnYnMnDTnHnMnS (weeks and
// fractions are not needed by the specs and not accepted).
type isoDuration struct {
	years, months, days int
	clock               time.Duration
}

var isoDurationRE = regexp.MustCompile(`^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$`)

func parseISODuration(s string) (isoDuration, error) {
	m := isoDurationRE.FindStringSubmatch(s)
	if m == nil || s == "P" || strings.HasSuffix(s, "T") {
		return isoDuration{}, fmt.Errorf("%q is not an ISO 8601 duration like PT30M or P3Y", s)
	}
	n := make([]int, 7)
	for i := 1; i < 7; i++ {
		if m[i] != "" {
			v, err := strconv.Atoi(m[i])
			if err != nil {
				return isoDuration{}, fmt.Errorf("%q: %w", s, err)
			}
			n[i] = v
		}
	}
	return isoDuration{
		years: n[1], months: n[2], days: n[3],
		clock: time.Duration(n[4])*time.Hour + time.Duration(n[5])*time.Minute + time.Duration(n[6])*time.Second,
	}, nil
}

func (d isoDuration) after(t time.Time) time.Time {
	return t.AddDate(d.years, d.months, d.days).Add(d.clock)
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// formatValidators adapts compiled formats to kin-openapi's per-call hook.
func formatValidators(formats map[string]*Format, now time.Time) map[string]openapi3.StringFormatValidator {
	out := make(map[string]openapi3.StringFormatValidator, len(formats))
	for name, f := range formats {
		if now.IsZero() {
			out[name] = f
		} else {
			out[name] = formatAt{f, now}
		}
	}
	return out
}
