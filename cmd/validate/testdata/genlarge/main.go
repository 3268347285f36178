// Command genlarge writes large .http inputs for measuring the validate
// CLI's peak memory (see docs/benchmarks.md):
//
//	go run ./cmd/validate/testdata/genlarge -o DIR [-files 4] [-mb 64] [-invalid]
//
// Each file holds the requests of spec/examples, repeated until it reaches
// the size; with -invalid only the invalid ones (every request reports
// findings).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/hwspec/compute/httpfile"
	"github.com/hwspec/compute/spec"
)

func main() {
	out := flag.String("o", "", "directory to write to (created)")
	files := flag.Int("files", 4, "number of files")
	mb := flag.Int("mb", 64, "size of each file in MiB")
	invalid := flag.Bool("invalid", false, "only requests that have findings")
	flag.Parse()
	if *out == "" {
		log.Fatal("-o is required")
	}
	reqs := examples(*invalid)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	for i := range *files {
		f, err := os.Create(filepath.Join(*out, fmt.Sprintf("large%02d.http", i)))
		if err != nil {
			log.Fatal(err)
		}
		w := bufio.NewWriter(f)
		size := 0
		for n := 0; size < *mb<<20; n++ {
			k, _ := w.WriteString(reqs[n%len(reqs)])
			size += k
		}
		if err := w.Flush(); err != nil {
			log.Fatal(err)
		}
		if err := f.Close(); err != nil {
			log.Fatal(err)
		}
	}
}

// examples returns the requests of spec/examples as .http text, each
// after a ### separator.
func examples(invalidOnly bool) []string {
	var reqs []string
	err := fs.WalkDir(spec.Examples(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".http" {
			return err
		}
		data, err := fs.ReadFile(spec.Examples(), path)
		if err != nil {
			return err
		}
		parsed, err := httpfile.Parse(data)
		if err != nil {
			return err
		}
		for _, r := range parsed {
			xs, _ := r.Expectations()
			valid := len(xs) > 0 && xs[0].Kind == "valid"
			if invalidOnly && valid {
				continue
			}
			var s strings.Builder
			fmt.Fprintf(&s, "### %s\n%s %s HTTP/1.1\n", r.Title, r.Method, r.Target)
			for name, values := range r.Header {
				for _, v := range values {
					fmt.Fprintf(&s, "%s: %s\n", name, v)
				}
			}
			if len(r.Body) > 0 {
				fmt.Fprintf(&s, "\n%s\n", r.Body)
			}
			s.WriteString("\n")
			reqs = append(reqs, s.String())
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	return reqs
}
