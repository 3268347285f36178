package har

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Response is the response recorded for an entry.
type Response struct {
	// Status is the status code; 0 or less when the request got no
	// answer (Chromium records 0, Playwright -1).
	Status int
	Header http.Header
	// Body is the recorded content: content.text, base64-decoded when
	// content.encoding is base64; nil when none was recorded. A Reader
	// with MaxBodyBytes keeps at most MaxBodyBytes+1 bytes of it.
	Body []byte
	// BodySize is the body's length before a Reader with MaxBodyBytes cut
	// Body (len(Body) when it did not).
	BodySize int64
	// Incomplete says why Body is not the whole body the response had
	// ("" when it is, an empty body included): not recorded, cut short,
	// or a failure the recorder noted after the answer began. It is ""
	// for a request that got no answer.
	Incomplete string
	// Failure is the reason the recorder gives for a failed request
	// (Chromium's _error, Playwright's _failureText), or "".
	Failure string
}

// Answered reports whether the request got an answer: a status above 0.
func (r *Response) Answered() bool { return r.Status > 0 }

// harResponse is the part of an entry's response that is read.
type harResponse struct {
	Status  int         `json:"status"`
	Headers []nameValue `json:"headers"`
	Content *struct {
		Size     *float64 `json:"size"`
		Text     *string  `json:"text"`
		Encoding string   `json:"encoding"`
		Comment  string   `json:"comment"`
		File     string   `json:"_file"` // Playwright's content: "attach"
		SHA1     string   `json:"_sha1"`
	} `json:"content"`
	Comment     string `json:"comment"`
	Error       string `json:"_error"`       // Chromium
	FailureText string `json:"_failureText"` // Playwright
}

// response turns a recorded response into a Response; an error names the
// member that is wrong (its text follows "response.").
func (hr *harResponse) response(maxBody int) (*Response, error) {
	resp := &Response{Status: hr.Status, Header: http.Header{}, Failure: hr.Error}
	if resp.Failure == "" {
		resp.Failure = hr.FailureText
	}
	addHeaders(resp.Header, hr.Headers)
	if !resp.Answered() {
		return resp, nil // nothing to read: whatever content says, no body came
	}
	c := hr.Content
	if c != nil && c.Text != nil {
		body, size, err := decodeText(*c.Text, c.Encoding, maxBody)
		if err != nil {
			return nil, fmt.Errorf("content.%v", err)
		}
		resp.Body, resp.BodySize = body, size
		if len(resp.Body) == 0 {
			resp.Body = nil
		}
	}
	switch {
	case resp.Failure != "":
		resp.Incomplete = fmt.Sprintf("the recorder notes a failure after the answer began (%s)", cut(resp.Failure))
	case c == nil:
		resp.Incomplete = "not recorded (no content)"
	case c.Text == nil && (c.File != "" || c.SHA1 != ""):
		resp.Incomplete = "stored beside the HAR file (content._file), which is not read"
	case c.Text == nil && (c.Size == nil || *c.Size != 0):
		resp.Incomplete = "not recorded (no content.text)"
	case c.Size != nil && *c.Size > float64(resp.BodySize) && resp.BodySize == 0:
		resp.Incomplete = fmt.Sprintf("not recorded (content.size is %.0f bytes, content.text is empty)", *c.Size)
	case c.Size != nil && *c.Size > float64(resp.BodySize):
		resp.Incomplete = fmt.Sprintf("cut short (content.size is %.0f bytes, content.text has %d)", *c.Size, resp.BodySize)
	case truncated(c.Comment) || truncated(hr.Comment):
		resp.Incomplete = "cut short (a comment says it was truncated)"
	}
	return resp, nil
}

// truncated reports whether a recorder's comment says the body was
// truncated.
func truncated(comment string) bool {
	return strings.Contains(strings.ToLower(comment), "truncat")
}

// decodeText turns a recorded text into a body: base64-decoded when
// encoding says so, cut to max+1 bytes when max is positive. It returns
// the body and its whole length; an error names the member that is wrong
// ("text", "encoding").
func decodeText(text, encoding string, max int) ([]byte, int64, error) {
	switch encoding {
	case "":
		body, size := keep(text, max)
		return body, size, nil
	case "base64":
	default:
		return nil, 0, fmt.Errorf("encoding %q: want base64 or none", cut(encoding))
	}
	if max <= 0 {
		body, err := base64.StdEncoding.DecodeString(text)
		if err != nil {
			return nil, 0, fmt.Errorf("text is not base64: %v", err)
		}
		return body, int64(len(body)), nil
	}
	// Decode as a stream: the first max+1 bytes are kept, the rest is
	// checked and counted.
	dec := base64.NewDecoder(base64.StdEncoding, strings.NewReader(text))
	body, err := io.ReadAll(io.LimitReader(dec, int64(max)+1))
	size := int64(len(body))
	if err == nil && len(body) > max {
		var rest int64
		rest, err = io.Copy(io.Discard, dec)
		size += rest
	}
	if err != nil {
		return nil, 0, fmt.Errorf("text is not base64: %v", err)
	}
	return body, size, nil
}

// keep returns at most max+1 bytes of s (all of it when max is not
// positive) and its length.
func keep(s string, max int) ([]byte, int64) {
	if max > 0 && len(s) > max+1 {
		return []byte(s[:max+1]), int64(len(s))
	}
	return []byte(s), int64(len(s))
}
