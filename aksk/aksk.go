// Package aksk signs and verifies HTTP requests with Huawei Cloud's AK/SK
// scheme, SDK-HMAC-SHA256, as the official SDKs and API Gateway do.
//
// The signature covers a canonical request:
//
//	METHOD
//	canonical URI      path segments percent-encoded (RFC 3986 unreserved kept), always ending in "/"
//	canonical query    names and values percent-encoded, sorted by name, then value
//	canonical headers  "name:value" per signed header, names lower case, values trimmed, one per line
//	signed headers     the lower-case names joined with ";"
//	hex(SHA-256(body)) or the X-Sdk-Content-Sha256 header when present
//
// The string to sign is "SDK-HMAC-SHA256\n<X-Sdk-Date>\n<hex SHA-256 of the
// canonical request>", the signature its HMAC-SHA256 under the secret key in
// hex, and the request carries
//
//	X-Sdk-Date: 20241219T080000Z
//	Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<names>, Signature=<hex>
package aksk

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Names and formats of the scheme.
const (
	Algorithm         = "SDK-HMAC-SHA256"
	DateHeader        = "X-Sdk-Date"
	DateFormat        = "20060102T150405Z"
	ContentHashHeader = "X-Sdk-Content-Sha256"
)

// Sign adds X-Sdk-Date and Authorization to req, signing its method, URL,
// headers and body at the instant now. It signs the headers the official
// SDKs sign: every header present except Content-Type and names with an
// underscore (a Host header only when the caller set one in req.Header),
// so that its signature equals theirs byte for byte.
func Sign(req *http.Request, body []byte, ak, sk string, now time.Time) {
	req.Header.Set(DateHeader, now.UTC().Format(DateFormat))
	req.Header.Del("Authorization")
	var signed []string
	for name := range req.Header {
		lower := strings.ToLower(name)
		if !strings.HasPrefix(lower, "content-type") && !strings.Contains(name, "_") {
			signed = append(signed, lower)
		}
	}
	slices.Sort(signed)
	sig := signature(req, body, signed, sk)
	req.Header.Set("Authorization", fmt.Sprintf("%s Access=%s, SignedHeaders=%s, Signature=%s", Algorithm, ak, strings.Join(signed, ";"), sig))
}

// Errors of Verify.
var (
	ErrNoSignature  = errors.New("aksk: no SDK-HMAC-SHA256 Authorization header")
	ErrMalformed    = errors.New("aksk: malformed Authorization header")
	ErrUnknownKey   = errors.New("aksk: unknown access key")
	ErrBadSignature = errors.New("aksk: signature does not match")
	ErrClockSkew    = errors.New("aksk: X-Sdk-Date missing or too far from the server's clock")
)

// Verify checks a signed request. secretOf returns the secret key of an
// access key; maxSkew bounds the distance between X-Sdk-Date and now (API
// Gateway allows 15 minutes). It returns the access key that signed.
func Verify(req *http.Request, body []byte, secretOf func(ak string) (sk string, ok bool), now time.Time, maxSkew time.Duration) (string, error) {
	auth := req.Header.Get("Authorization")
	rest, ok := strings.CutPrefix(auth, Algorithm+" ")
	if !ok {
		return "", ErrNoSignature
	}
	fields := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return "", ErrMalformed
		}
		fields[k] = v
	}
	ak, signedList, sig := fields["Access"], fields["SignedHeaders"], fields["Signature"]
	if ak == "" || signedList == "" || sig == "" {
		return "", ErrMalformed
	}
	sk, ok := secretOf(ak)
	if !ok {
		return ak, ErrUnknownKey
	}
	at, err := time.Parse(DateFormat, req.Header.Get(DateHeader))
	if err != nil || at.Sub(now).Abs() > maxSkew {
		return ak, ErrClockSkew
	}
	signed := strings.Split(signedList, ";")
	want := signature(req, body, signed, sk)
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(sig))) {
		return ak, ErrBadSignature
	}
	return ak, nil
}

// signature computes the hex signature of req over the named headers.
func signature(req *http.Request, body []byte, signed []string, sk string) string {
	mac := hmac.New(sha256.New, []byte(sk))
	mac.Write([]byte(StringToSign(req, body, signed)))
	return hex.EncodeToString(mac.Sum(nil))
}

// StringToSign returns the string the signature is computed over; exported
// for tests and for debugging a signature mismatch.
func StringToSign(req *http.Request, body []byte, signed []string) string {
	sum := sha256.Sum256([]byte(CanonicalRequest(req, body, signed)))
	return Algorithm + "\n" + req.Header.Get(DateHeader) + "\n" + hex.EncodeToString(sum[:])
}

// CanonicalRequest returns the canonical form of req over the named headers.
func CanonicalRequest(req *http.Request, body []byte, signed []string) string {
	bodyHash := req.Header.Get(ContentHashHeader)
	if bodyHash == "" {
		sum := sha256.Sum256(body)
		bodyHash = hex.EncodeToString(sum[:])
	}
	var b strings.Builder
	b.WriteString(req.Method + "\n")
	b.WriteString(canonicalURI(req.URL.Path) + "\n")
	b.WriteString(canonicalQuery(req) + "\n")
	for _, name := range signed {
		values := req.Header.Values(name)
		if name == "host" && len(values) == 0 {
			values = []string{hostOf(req)} // Go keeps Host out of req.Header
		}
		values = slices.Clone(values)
		slices.Sort(values)
		for _, v := range values {
			b.WriteString(name + ":" + strings.TrimSpace(v) + "\n")
		}
	}
	b.WriteString("\n" + strings.Join(signed, ";") + "\n" + bodyHash)
	return b.String()
}

func hostOf(req *http.Request) string {
	if req.Host != "" {
		return req.Host
	}
	return req.URL.Host
}

func canonicalURI(path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		segs[i] = escape(s)
	}
	uri := strings.Join(segs, "/")
	if !strings.HasSuffix(uri, "/") {
		uri += "/"
	}
	return uri
}

func canonicalQuery(req *http.Request) string {
	q := req.URL.Query()
	names := make([]string, 0, len(q))
	for name := range q {
		names = append(names, name)
	}
	slices.Sort(names)
	var parts []string
	for _, name := range names {
		values := slices.Clone(q[name])
		slices.Sort(values)
		for _, v := range values {
			parts = append(parts, escape(name)+"="+escape(v))
		}
	}
	return strings.Join(parts, "&")
}

// escape percent-encodes every byte but the RFC 3986 unreserved characters,
// with upper-case hex.
func escape(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}
