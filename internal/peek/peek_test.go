package peek

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"
)

// closeCounter counts Close calls.
type closeCounter struct {
	io.Reader
	closed int
}

func (c *closeCounter) Close() error { c.closed++; return nil }

// TestResponse: the body reads after a peek as before it, bytes and read
// error alike, at the limit, over it and under it; closing it closes the
// original; nil and http.NoBody are left alone.
func TestResponse(t *testing.T) {
	boom := errors.New("connection reset")
	for _, tc := range []struct {
		name     string
		body     io.Reader
		limit    int
		wantHead string
		wantOK   bool
		wantAll  string
		wantErr  error
	}{
		{"under the limit", strings.NewReader("abc"), 4, "abc", true, "abc", nil},
		{"at the limit", strings.NewReader("abcd"), 4, "abcd", true, "abcd", nil},
		{"one byte over", strings.NewReader("abcde"), 4, "abcde", false, "abcde", nil},
		{"far over", strings.NewReader(strings.Repeat("x", 100)), 4, "xxxxx", false, strings.Repeat("x", 100), nil},
		{"empty", strings.NewReader(""), 4, "", true, "", nil},
		{"read error within the limit", io.MultiReader(strings.NewReader("ab"), iotest.ErrReader(boom)), 4, "ab", false, "ab", boom},
		{"read error at once", iotest.ErrReader(boom), 4, "", false, "", boom},
	} {
		t.Run(tc.name, func(t *testing.T) {
			orig := &closeCounter{Reader: tc.body}
			resp := &http.Response{Body: orig}
			head, ok := Response(resp, tc.limit)
			if string(head) != tc.wantHead || ok != tc.wantOK {
				t.Errorf("head %q, ok %v; want %q, %v", head, ok, tc.wantHead, tc.wantOK)
			}
			all, err := io.ReadAll(resp.Body)
			if string(all) != tc.wantAll || !errors.Is(err, tc.wantErr) {
				t.Errorf("the body reads %q, %v; want %q, %v", all, err, tc.wantAll, tc.wantErr)
			}
			if tc.wantErr != nil {
				if _, err := resp.Body.Read(make([]byte, 1)); !errors.Is(err, tc.wantErr) {
					t.Errorf("a second read after the error: %v, want %v", err, tc.wantErr)
				}
			}
			if resp.Body.Close(); orig.closed != 1 {
				t.Errorf("the original body was closed %d times, want 1", orig.closed)
			}
		})
	}
	for _, body := range []io.ReadCloser{nil, http.NoBody} {
		resp := &http.Response{Body: body}
		if head, ok := Response(resp, 4); head != nil || !ok || resp.Body != body {
			t.Errorf("%v: head %q, ok %v, body replaced: %v", body, head, ok, resp.Body != body)
		}
	}
}
