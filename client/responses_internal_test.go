package client

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/hwspec/compute/validate"
)

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// TestResponseChecksOffByDefault: a client built without WithResponseCheck
// and WithStrictResponses does not check answers: given an answer that
// breaks the spec, its check reads none of the body, leaves the body as it
// was, and records no drift. The rows with an option show that the check
// does read and judge the same answer when asked to.
func TestResponseChecksOffByDefault(t *testing.T) {
	e, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name        string
		opts        []Option
		read, drift bool
	}{
		{"defaults", nil, false, false},
		{"WithoutValidation", []Option{WithoutValidation()}, false, false},
		{"WithResponseCheck", []Option{WithResponseCheck(func(ResponseCheck) {})}, true, false},
		{"WithStrictResponses", []Option{WithStrictResponses()}, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New("p", append([]Option{WithRegion("cn-north-4"), WithToken("t"), WithEngine(e)}, tc.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			body := &countingReader{r: strings.NewReader(`{"job_id":17}`)}
			orig := io.NopCloser(body)
			resp := &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}}, Body: orig}
			_, cl := begin(context.Background(), opShowJob, retrySafe)
			ended := c.checkAnswer(cl, resp)
			if read := body.n > 0; read != tc.read || (resp.Body != orig) != tc.read {
				t.Errorf("the body was read: %v (%d bytes), want %v", read, body.n, tc.read)
			}
			if ended != tc.drift || (cl.drift != nil) != tc.drift {
				t.Errorf("drift recorded: %v, want %v", cl.drift, tc.drift)
			}
			if rest, _ := io.ReadAll(resp.Body); string(rest) != `{"job_id":17}` {
				t.Errorf("the body reads %q after the check", rest)
			}
		})
	}
}
