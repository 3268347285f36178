package har

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
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
