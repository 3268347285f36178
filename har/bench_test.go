package har

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"strconv"
	"testing"
)

// BenchmarkReader reads a HAR of 1,000 entries (those of
// testdata/playwright.har repeated, pretty-printed like a devtools
// export): the cost of the token walk, the positions and the decoding of
// each request.
func BenchmarkReader(b *testing.B) {
	data, err := os.ReadFile("testdata/playwright.har")
	if err != nil {
		b.Fatal(err)
	}
	var doc struct {
		Log struct {
			Entries []json.RawMessage `json:"entries"`
		} `json:"log"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	buf.WriteString("{\n  \"log\": {\n    \"entries\": [\n")
	for i := range 1000 {
		if i > 0 {
			buf.WriteString(",\n")
		}
		json.Indent(&buf, doc.Log.Entries[i%len(doc.Log.Entries)], "      ", "  ")
	}
	buf.WriteString("\n    ]\n  }\n}\n")
	har := buf.Bytes()
	b.SetBytes(int64(len(har)))
	b.ReportAllocs()
	for b.Loop() {
		r := NewReader(bytes.NewReader(har))
		n := 0
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 1000 {
			b.Fatalf("%d entries", n)
		}
	}
}

// BenchmarkReaderLargeBody reads one entry whose response is a recorded
// 8 MiB download in base64 (as Chromium records binary bodies), with the
// body limit the validate CLI uses: the text is decoded and counted as
// the decoder reads it, and only 1 MiB of it is kept. Time and memory
// per byte stay flat as the body grows (BenchmarkReaderLargeBody/64MiB).
func BenchmarkReaderLargeBody(b *testing.B) {
	for _, mib := range []int{8, 64} {
		b.Run(strconv.Itoa(mib)+"MiB", func(b *testing.B) {
			text := base64.StdEncoding.EncodeToString(make([]byte, mib<<20))
			har := []byte(`{"log":{"entries":[{"request":{"method":"GET","url":"https://cdn.example.com/model.bin"},"response":{"status":200,"content":{"size":` + strconv.Itoa(mib<<20) + `,"encoding":"base64","text":"` + text + `"}}}]}}`)
			b.SetBytes(int64(len(har)))
			b.ReportAllocs()
			for b.Loop() {
				r := NewReader(bytes.NewReader(har))
				r.MaxEntryBytes = 128 << 20
				r.MaxBodyBytes = 1 << 20
				e, err := r.Next()
				if err != nil {
					b.Fatal(err)
				}
				if len(e.Response.Body) != 1<<20+1 || e.Response.BodySize != int64(mib<<20) {
					b.Fatalf("kept %d bytes of %d", len(e.Response.Body), e.Response.BodySize)
				}
			}
		})
	}
}
