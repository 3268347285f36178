// Command publish builds the published artefacts of the specs (see package
// internal/publish) into a directory, dist/ by default:
//
//	go run ./cmd/publish [-o dist] [-base URL] [-changelog CHANGELOG.md]
//
// -base is the address dist/ is published under (the JSON Schemas' $id
// start with it); -changelog is the Markdown changelog rendered into
// changelog.html ("" for none). Both are inputs of the build: the same specs,
// base and changelog give the same bytes.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/hwspec/compute/internal/publish"
)

func main() {
	out := flag.String("o", "dist", "output directory")
	base := flag.String("base", publish.DefaultBase, "the address the output directory is published under, ending in /")
	changelog := flag.String("changelog", "CHANGELOG.md", "the Markdown changelog to publish as changelog.html (\"\" for none)")
	flag.Parse()
	opts := publish.Options{Base: *base}
	if *changelog != "" {
		md, err := os.ReadFile(*changelog)
		if err != nil {
			fmt.Fprintln(os.Stderr, "publish:", err)
			os.Exit(1)
		}
		opts.Changelog = md
	}
	if err := os.RemoveAll(*out); err != nil {
		fmt.Fprintln(os.Stderr, "publish:", err)
		os.Exit(1)
	}
	idx, err := publish.BuildWith(*out, opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "publish:", err)
		os.Exit(1)
	}
	for _, api := range idx.APIs {
		fmt.Printf("%s %s: %d files\n", api.Name, api.Version, len(api.Files))
	}
	fmt.Printf("wrote %s\n", *out)
}
