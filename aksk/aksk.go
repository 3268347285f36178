// Package aksk signs and verifies HTTP requests with Huawei Cloud's AK/SK
// scheme, SDK-HMAC-SHA256, as the official SDKs and API Gateway do.
//
// # Canonical request
//
// The signature covers a canonical request, six lines joined with "\n":
//
//	METHOD
//	canonical URI      each "/"-separated segment of the path as sent, decoded, then percent-encoded
//	                   (RFC 3986 unreserved kept, upper-case hex); always ends in "/"
//	canonical query    names and values percent-encoded, sorted by name, then value, joined with "&"
//	canonical headers  "name:value\n" per signed header, in SignedHeaders order, names lower case, values trimmed
//	signed headers     the lower-case names joined with ";"
//	payload hash       hex SHA-256 of the body, or the value of X-Sdk-Content-Sha256 when that header is signed
//
// The string to sign is "SDK-HMAC-SHA256\n<X-Sdk-Date>\n<hex SHA-256 of the
// canonical request>", the signature its HMAC-SHA256 under the secret key in
// hex, and the request carries
//
//	X-Sdk-Date: 20241219T080000Z
//	Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<names>, Signature=<hex>
//
// Sign produces exactly what the official Go SDK produces (the interop module
// compares them byte for byte with huaweicloud-sdk-go-v3's signer). The
// official Node.js SDK's signer (AKSKSigner in @huaweicloud/huaweicloud-sdk-core)
// computes the same scheme over more headers: every header it sets,
// Content-Type and host included; Verify accepts its requests too (the
// interop module runs that SDK against the local server). The official
// Python SDK's signer (Signer in huaweicloudsdkcore/signer/signer.py), by
// its source, computes the same scheme over every header of the request
// but Authorization (Content-Type, Host, User-Agent, X-Project-Id and
// X-Sdk-Date on an ECS call), with one difference for UNSIGNED-PAYLOAD
// that Verify accepts (below).
//
// # What Verify checks
//
// Verify accepts a request only when all of these hold:
//
//   - exactly one Authorization header, at most MaxAuthorizationBytes long,
//     holding Access, SignedHeaders and Signature once each and nothing
//     else; the signature is 64 hex digits;
//   - SignedHeaders is a non-empty list of lower-case header names, sorted
//     and without duplicates (the official signers always write it so), and
//     it includes x-sdk-date;
//   - every signed header is present in the request exactly once (host is
//     the request's Host);
//   - X-Sdk-Date is in the format 20060102T150405Z and within maxSkew of the
//     verifier's clock;
//   - the query string parses without error (so nothing the canonical query
//     drops can reach the handler);
//   - the payload hash is computed from the body received. X-Sdk-Content-Sha256
//     counts only when it is in SignedHeaders, and then it must equal the hex
//     SHA-256 of the body (case-insensitively) or be UNSIGNED-PAYLOAD with an
//     empty body; an unsigned X-Sdk-Content-Sha256 is ignored;
//   - the access key is known and the HMAC matches.
//
// Every check runs, and the HMAC is computed (under a dummy key when the
// access key is unknown), before Verify decides, so that an unknown key is
// not cheaper to reject than a known one. The errors tell the reasons apart
// for the verifier's log; a server should answer them all alike.
//
// # UNSIGNED-PAYLOAD
//
// The official signer (core/auth/signer in huaweicloud-sdk-go-v3) adds
// "X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD" to every request whose
// Content-Type is neither JSON nor BSON, signs that header, and puts the
// literal UNSIGNED-PAYLOAD in the canonical request instead of the body's
// hash, so such a signature does not bind the body (the SDK relies on API
// Gateway accepting it). Verify does not, except with an empty body: a
// request signed that way and carrying a body is refused with ErrBodyHash,
// because every operation this module serves takes JSON (for which the SDK
// always hashes the body) and a body the signature does not bind could be
// swapped by anyone who sees the request. The Node.js SDK's signer does the
// same for a Content-Type other than application/json. So does the Python
// SDK's, except that for an empty body it puts the empty body's hash in the
// canonical request, not the literal UNSIGNED-PAYLOAD: with an empty body
// and a signed X-Sdk-Content-Sha256, Verify accepts a signature over either,
// since both bind the empty body received.
//
// # What Verify does not check
//
// A replay of a signed request inside the skew window is accepted, as by
// the cloud: there is no nonce in the scheme. Headers outside
// SignedHeaders are not bound; the Go SDK's signer never signs
// Content-Type or names with an underscore, nor Host unless the caller sets
// one (the Node.js and Python SDKs' signers sign Content-Type and host).
//
// # What of the Python SDK does not verify
//
// Its signer splits the path into segments after decoding it whole, so a
// path parameter holding "/" (sent as %2F) signs as two segments, where
// Verify keeps it in one (the canonical URI above). It sorts the values of
// a repeated query parameter as it holds them, numbers numerically, where
// Verify sorts the strings sent: limit=9&limit=10 does not verify. No
// operation here takes such a path parameter or a repeated query
// parameter. Its other signing algorithms (HttpConfig.signing_algorithm
// SDK-HMAC-SM3, SDK-ECDSA-P256-SHA256, SDK-SM2-SM3) and derived
// credentials (V11-HMAC-SHA256) are not SDK-HMAC-SHA256: ErrNoSignature.
package aksk

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"net/http"
	"net/url"
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
	// UnsignedPayload is the X-Sdk-Content-Sha256 value with which the
	// official signers sign a request without binding its body.
	UnsignedPayload = "UNSIGNED-PAYLOAD"
	// MaxAuthorizationBytes bounds the Authorization header Verify reads.
	// A request signed over a hundred headers needs about 3 KB.
	MaxAuthorizationBytes = 8 << 10
	// maxAccessKeyBytes bounds the access key Verify passes to secretOf.
	maxAccessKeyBytes = 128
)

// Sign adds X-Sdk-Date and Authorization to req, signing its method, URL,
// headers and body at the instant now. It signs the headers the official
// Go SDK signs: every header present except Content-Type and names with an
// underscore (a Host header only when the caller set one in req.Header),
// so that its signature equals theirs byte for byte. As theirs, it takes
// the payload hash from an X-Sdk-Content-Sha256 header when the caller set
// one (UnsignedPayload leaves the body unbound, and Verify refuses it with
// a body).
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
	mac := hmac.New(sha256.New, []byte(sk))
	sig := hex.EncodeToString(sum(mac, StringToSign(req, body, signed)))
	req.Header.Set("Authorization", fmt.Sprintf("%s Access=%s, SignedHeaders=%s, Signature=%s", Algorithm, ak, strings.Join(signed, ";"), sig))
}

// Errors of Verify. Errors that carry a detail wrap one of these; test
// them with errors.Is. No error text holds the signature or a secret.
var (
	ErrNoSignature  = errors.New("aksk: no SDK-HMAC-SHA256 Authorization header")
	ErrMalformed    = errors.New("aksk: malformed signature")
	ErrUnknownKey   = errors.New("aksk: unknown access key")
	ErrBadSignature = errors.New("aksk: signature does not match")
	ErrClockSkew    = errors.New("aksk: X-Sdk-Date unreadable or too far from the server's clock")
	ErrBodyHash     = errors.New("aksk: the signed X-Sdk-Content-Sha256 does not bind the body received")
)

// dummySecret keys the HMAC computed for an unknown access key, so that
// rejecting one costs what rejecting a known one does.
const dummySecret = "aksk-dummy-secret-for-unknown-access-keys"

// Verify checks a signed request (see the package documentation for every
// check). secretOf returns the secret key of an access key; maxSkew bounds
// the distance between X-Sdk-Date and now (API Gateway allows 15 minutes).
// It returns the access key named in the Authorization header once that
// header parses, also with an error, for the verifier's log.
func Verify(req *http.Request, body []byte, secretOf func(ak string) (sk string, ok bool), now time.Time, maxSkew time.Duration) (string, error) {
	auths := req.Header.Values("Authorization")
	if len(auths) == 0 || !strings.HasPrefix(auths[0], Algorithm+" ") {
		return "", ErrNoSignature
	}
	if len(auths) > 1 {
		return "", fmt.Errorf("%w: %d Authorization headers", ErrMalformed, len(auths))
	}
	a, err := parseAuthorization(auths[0])
	if err != nil {
		return "", err
	}
	if err := checkSignedHeaders(req, a.signed); err != nil {
		return a.ak, err
	}
	if _, err := url.ParseQuery(req.URL.RawQuery); err != nil {
		return a.ak, fmt.Errorf("%w: the query string does not parse", ErrMalformed)
	}

	// From here on every check runs before any is reported.
	var skewErr, bodyErr error
	at, err := time.Parse(DateFormat, req.Header.Get(DateHeader))
	if err != nil {
		skewErr = fmt.Errorf("%w: not in the format %s", ErrClockSkew, DateFormat)
	} else if d := at.Sub(now).Abs(); d > maxSkew {
		skewErr = fmt.Errorf("%w: %s away", ErrClockSkew, d.Round(time.Second))
	}
	if slices.Contains(a.signed, strings.ToLower(ContentHashHeader)) {
		bodyErr = checkContentHash(req.Header.Get(ContentHashHeader), body)
	}
	sk, known := secretOf(a.ak)
	if !known {
		sk = dummySecret
	}
	mac := hmac.New(sha256.New, []byte(sk))
	match := hmac.Equal(sum(mac, StringToSign(req, body, a.signed)), a.sig)
	if bodyErr == nil && len(body) == 0 && slices.Contains(a.signed, strings.ToLower(ContentHashHeader)) {
		// The Python SDK's form of a signed UNSIGNED-PAYLOAD (or of any
		// signed hash) without a body: over the empty body's hash.
		canonical := canonicalRequest(req, a.signed, emptyHash)
		match = hmac.Equal(sum(mac, stringToSign(req, canonical)), a.sig) || match
	}
	switch {
	case !known:
		return a.ak, ErrUnknownKey
	case skewErr != nil:
		return a.ak, skewErr
	case bodyErr != nil:
		return a.ak, bodyErr
	case !match:
		return a.ak, ErrBadSignature
	}
	return a.ak, nil
}

// authorization is a parsed Authorization header.
type authorization struct {
	ak     string
	signed []string
	sig    []byte
}

// parseAuthorization reads "SDK-HMAC-SHA256 Access=…, SignedHeaders=…,
// Signature=…": each field once, no other field.
func parseAuthorization(header string) (authorization, error) {
	var a authorization
	if len(header) > MaxAuthorizationBytes {
		return a, fmt.Errorf("%w: Authorization header longer than %d bytes", ErrMalformed, MaxAuthorizationBytes)
	}
	fields := map[string]string{}
	for part := range strings.SplitSeq(strings.TrimPrefix(header, Algorithm+" "), ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		switch {
		case !ok:
			return a, fmt.Errorf("%w: an Authorization field without \"=\"", ErrMalformed)
		case k != "Access" && k != "SignedHeaders" && k != "Signature":
			return a, fmt.Errorf("%w: unknown Authorization field", ErrMalformed)
		}
		if _, dup := fields[k]; dup {
			return a, fmt.Errorf("%w: Authorization field %s repeated", ErrMalformed, k)
		}
		fields[k] = v
	}
	ak, signedList, sig := fields["Access"], fields["SignedHeaders"], fields["Signature"]
	if ak == "" || len(ak) > maxAccessKeyBytes || strings.ContainsFunc(ak, func(r rune) bool { return r <= ' ' || r > '~' }) {
		return a, fmt.Errorf("%w: Access missing, longer than %d bytes or not printable ASCII", ErrMalformed, maxAccessKeyBytes)
	}
	raw, err := hex.DecodeString(sig)
	if err != nil || len(raw) != sha256.Size {
		return a, fmt.Errorf("%w: Signature is not %d hex digits", ErrMalformed, 2*sha256.Size)
	}
	signed := strings.Split(signedList, ";")
	for i, name := range signed {
		if !isLowerToken(name) {
			return a, fmt.Errorf("%w: SignedHeaders entry %d is not a lower-case header name", ErrMalformed, i+1)
		}
		if i > 0 && name <= signed[i-1] {
			return a, fmt.Errorf("%w: SignedHeaders not sorted or repeated at %q", ErrMalformed, name)
		}
	}
	if !slices.Contains(signed, strings.ToLower(DateHeader)) {
		return a, fmt.Errorf("%w: SignedHeaders lacks x-sdk-date", ErrMalformed)
	}
	return authorization{ak: ak, signed: signed, sig: raw}, nil
}

// isLowerToken tells whether s is a non-empty HTTP token (RFC 9110) with
// no upper-case letter.
func isLowerToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

// checkSignedHeaders requires every signed header once in req.
func checkSignedHeaders(req *http.Request, signed []string) error {
	for _, name := range signed {
		n := len(req.Header.Values(name))
		if name == "host" && n == 0 && hostOf(req) != "" {
			n = 1 // Go keeps Host out of req.Header
		}
		switch {
		case n == 0:
			return fmt.Errorf("%w: signed header %s absent from the request", ErrMalformed, name)
		case n > 1:
			return fmt.Errorf("%w: signed header %s sent %d times", ErrMalformed, name, n)
		}
	}
	return nil
}

// checkContentHash requires a signed X-Sdk-Content-Sha256 value to bind
// body: its hex SHA-256, or UNSIGNED-PAYLOAD for an empty body.
func checkContentHash(value string, body []byte) error {
	if value == UnsignedPayload {
		if len(body) > 0 {
			return fmt.Errorf("%w: %s with a %d-byte body", ErrBodyHash, UnsignedPayload, len(body))
		}
		return nil
	}
	h := sha256.Sum256(body)
	if !strings.EqualFold(value, hex.EncodeToString(h[:])) {
		return ErrBodyHash
	}
	return nil
}

// sum writes s to the reset hash h and returns the digest.
func sum(h hash.Hash, s string) []byte {
	h.Reset()
	h.Write([]byte(s))
	return h.Sum(nil)
}

// StringToSign returns the string the signature is computed over; exported
// for tests and for debugging a signature mismatch.
func StringToSign(req *http.Request, body []byte, signed []string) string {
	return stringToSign(req, CanonicalRequest(req, body, signed))
}

func stringToSign(req *http.Request, canonical string) string {
	return Algorithm + "\n" + req.Header.Get(DateHeader) + "\n" + hex.EncodeToString(sum(sha256.New(), canonical))
}

// emptyHash is the hex SHA-256 of an empty body.
const emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// CanonicalRequest returns the canonical form of req over the named
// headers. The payload hash is the X-Sdk-Content-Sha256 value when that
// header is among signed (Verify checks the value against the body before
// it gets here), the hex SHA-256 of body otherwise.
func CanonicalRequest(req *http.Request, body []byte, signed []string) string {
	var bodyHash string
	if slices.Contains(signed, strings.ToLower(ContentHashHeader)) {
		bodyHash = req.Header.Get(ContentHashHeader)
	} else {
		bodyHash = hex.EncodeToString(sum(sha256.New(), string(body)))
	}
	return canonicalRequest(req, signed, bodyHash)
}

// canonicalRequest is CanonicalRequest with the payload hash given.
func canonicalRequest(req *http.Request, signed []string, bodyHash string) string {
	var b strings.Builder
	b.WriteString(req.Method + "\n")
	b.WriteString(canonicalURI(req.URL) + "\n")
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

// canonicalURI splits the path as sent (not as decoded, so that an encoded
// "/" stays inside its segment and "/a%2Fb" does not sign like "/a/b"),
// decodes each segment and encodes it again.
func canonicalURI(u *url.URL) string {
	segs := strings.Split(u.EscapedPath(), "/")
	for i, s := range segs {
		if d, err := url.PathUnescape(s); err == nil {
			s = d
		}
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
