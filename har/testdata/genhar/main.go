// Command genhar writes a large HAR file for measuring the validate CLI's
// peak memory on one: the entries of har/testdata/playwright.har repeated,
// pretty-printed like a devtools export, up to -mb MiB, with one response
// body of -body MiB every -every entries (recorded downloads).
//
//	go run ./har/testdata/genhar -o /tmp/large.har -mb 256
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
)

func main() {
	out := flag.String("o", "/tmp/large.har", "output file")
	mb := flag.Int("mb", 256, "size in MiB")
	body := flag.Int("body", 8, "MiB of the large response bodies")
	every := flag.Int("every", 20000, "one large response body every N entries (0: none)")
	flag.Parse()
	data, err := os.ReadFile("har/testdata/playwright.har")
	if err != nil {
		log.Fatal(err)
	}
	var doc struct {
		Log struct {
			Entries []json.RawMessage `json:"entries"`
		} `json:"log"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		log.Fatal(err)
	}
	var entries [][]byte
	for _, e := range doc.Log.Entries {
		var v any
		if err := json.Unmarshal(e, &v); err != nil {
			log.Fatal(err)
		}
		b, err := json.MarshalIndent(v, "    ", "  ")
		if err != nil {
			log.Fatal(err)
		}
		entries = append(entries, b)
	}
	big := fmt.Sprintf(`{"request":{"method":"GET","url":"https://cdn.example.com/model.bin","headers":[]},"response":{"status":200,"content":{"mimeType":"application/octet-stream","encoding":"base64","text":"%s"}}}`, strings.Repeat("A", *body<<20))
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("{\n  \"log\": {\n    \"version\": \"1.2\",\n    \"creator\": {\"name\": \"genhar\", \"version\": \"1\"},\n    \"entries\": [\n    ")
	size, n := 0, 0
	for size < *mb<<20 {
		if n > 0 {
			w.WriteString(",\n    ")
		}
		e := entries[n%len(entries)]
		if *every > 0 && n%*every == *every-1 {
			e = []byte(big)
		}
		w.Write(e)
		size += len(e) + 6
		n++
	}
	w.WriteString("\n    ]\n  }\n}\n")
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %d entries, %d MiB\n", *out, n, size>>20)
}
