package readme_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// mdLink matches a Markdown link's target: ](target) or ](target#anchor).
var mdLink = regexp.MustCompile(`\]\(([^)\s#]*)(#[^)\s]*)?\)`)

// TestLinksStayInside: every relative link of a Markdown file of the
// repository names a file of the repository, and no document names a path
// into a folder beside the checkout (material a reader of the repository
// does not have), linked or not; links to public URLs are allowed.
func TestLinksStayInside(t *testing.T) {
	top, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	siblings := siblingPaths(t, top)
	err = filepath.WalkDir(top, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules" || d.Name() == "dist" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".md") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		name, _ := filepath.Rel(top, path)
		for i, line := range strings.Split(string(src), "\n") {
			for _, sib := range siblings {
				if strings.Contains(line, sib) {
					t.Errorf("%s:%d: points into %s, outside the repository: state the facts in our own docs", name, i+1, sib)
				}
			}
			for _, m := range mdLink.FindAllStringSubmatch(line, -1) {
				target := m[1]
				if target == "" || strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
					continue
				}
				abs := filepath.Join(filepath.Dir(path), filepath.FromSlash(target))
				if r, err := filepath.Rel(top, abs); err != nil || strings.HasPrefix(r, "..") {
					t.Errorf("%s:%d: link %q leaves the repository", name, i+1, target)
				} else if _, err := os.Stat(abs); err != nil {
					t.Errorf("%s:%d: link %q names no file of the repository", name, i+1, target)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// siblingPaths returns "../NAME/" for every folder beside the checkout top.
func siblingPaths(t *testing.T, top string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(top))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		// Stat, not e.IsDir: the folder may be a symbolic link.
		if info, err := os.Stat(filepath.Join(filepath.Dir(top), e.Name())); err == nil && info.IsDir() && e.Name() != filepath.Base(top) {
			out = append(out, "../"+e.Name()+"/")
		}
	}
	return out
}
