package readme_test

import (
	"bufio"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// root is the repository's top directory, relative to this package.
const root = "../.."

// documents are the Markdown files whose Go blocks must compile.
func documents(t *testing.T) []string {
	t.Helper()
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{filepath.Join(root, "README.md"), filepath.Join(root, "spec", "README.md")}, docs...)
}

// block is a ```go block of a document.
type block struct {
	file string
	line int // of the opening fence
	text string
}

// goBlocks returns the ```go blocks of a Markdown document.
func goBlocks(path string, src string) []block {
	var out []block
	var cur *block
	var lines []string
	for i, l := range strings.Split(src, "\n") {
		switch {
		case cur == nil && strings.TrimSpace(l) == "```go":
			cur = &block{file: path, line: i + 1}
			lines = nil
		case cur != nil && strings.TrimSpace(l) == "```":
			cur.text = strings.Join(lines, "\n")
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			lines = append(lines, l)
		}
	}
	return out
}

// snippet is the text of the regions named name in one Go file.
type snippet struct {
	name, file, text string
}

// snippets returns every README region of the Go files under dir.
func snippets(t *testing.T, dir string) []snippet {
	t.Helper()
	var out []snippet
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules" || d.Name() == "dist" || d.Name() == "bin") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		regions, err := regions(path)
		if err != nil {
			return err
		}
		out = append(out, regions...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// regions reads the README regions of one Go file.
func regions(path string) ([]snippet, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var order []string
	parts := map[string][]string{}
	var name, indent string
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		marker, isMarker := strings.CutPrefix(strings.TrimSpace(l), "// README:")
		switch {
		case isMarker && name == "" && marker != "end":
			name, indent, lines = marker, l[:len(l)-len(strings.TrimLeft(l, " \t"))], nil
		case isMarker && name != "" && marker == "end":
			if !slices.Contains(order, name) {
				order = append(order, name)
			}
			// gofmt may leave a blank line before the end marker.
			parts[name] = append(parts[name], strings.Trim(strings.Join(lines, "\n"), "\n"))
			name = ""
		case isMarker:
			return nil, fmt.Errorf("%s:%d: unexpected %q (regions do not nest; each ends with // README:end)", path, n, strings.TrimSpace(l))
		case name != "":
			if l != "" && !strings.HasPrefix(l, indent) {
				return nil, fmt.Errorf("%s:%d: line indented less than its // README:%s marker", path, n, name)
			}
			lines = append(lines, strings.TrimPrefix(l, indent))
		}
	}
	if name != "" {
		return nil, fmt.Errorf("%s: // README:%s has no // README:end", path, name)
	}
	var out []snippet
	for _, n := range order {
		out = append(out, snippet{name: n, file: path, text: strings.Join(parts[n], "\n\n")})
	}
	return out, sc.Err()
}

// TestDocumentsCompile holds every Go block of the documents to a snippet
// that the tests compile, and every snippet to a document that shows it.
func TestDocumentsCompile(t *testing.T) {
	all := snippets(t, root)
	used := map[string]bool{}
	for _, doc := range documents(t) {
		src, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range goBlocks(doc, string(src)) {
			i := slices.IndexFunc(all, func(s snippet) bool { return s.text == b.text })
			if i < 0 {
				t.Errorf("%s:%d: this Go block is compiled by no test: it must equal a \"// README:NAME\" … \"// README:end\" region of a Go file the tests build (see internal/readme/doc.go); first line: %q",
					rel(doc), b.line, strings.SplitN(b.text, "\n", 2)[0])
				continue
			}
			used[all[i].file+"\x00"+all[i].name] = true
		}
	}
	for _, s := range all {
		if !used[s.file+"\x00"+s.name] {
			t.Errorf("%s: region README:%s appears in no document: update the document's copy, or remove the markers", rel(s.file), s.name)
		}
	}
}

func rel(path string) string {
	if r, err := filepath.Rel(root, path); err == nil {
		return r
	}
	return path
}

// TestRegions covers the region reader on a fixture: two regions with one
// name joined, dedented by the marker's indentation.
func TestRegions(t *testing.T) {
	got, err := regions(filepath.Join("testdata", "regions.go.txt"))
	if err != nil {
		t.Fatal(err)
	}
	want := []snippet{{name: "a", file: filepath.Join("testdata", "regions.go.txt"), text: "import \"fmt\"\n\nfmt.Println(1)\nif true {\n\tfmt.Println(2)\n}"}}
	if !slices.Equal(got, want) {
		t.Fatalf("regions:\n%q\nwant\n%q", got, want)
	}
	for _, bad := range []string{"// README:a\n// README:b\n", "// README:a\nx\n", "\t// README:a\nx\n// README:end\n"} {
		path := filepath.Join(t.TempDir(), "bad.go")
		if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := regions(path); err == nil {
			t.Errorf("regions accepted %q", bad)
		}
	}
}
