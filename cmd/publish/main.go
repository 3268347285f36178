// Command publish builds the published artefacts of the specs (see package
// internal/publish) into a directory, dist/ by default:
//
//	go run ./cmd/publish [-o dist]
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/hwspec/compute/internal/publish"
)

func main() {
	out := flag.String("o", "dist", "output directory")
	flag.Parse()
	if err := os.RemoveAll(*out); err != nil {
		fmt.Fprintln(os.Stderr, "publish:", err)
		os.Exit(1)
	}
	idx, err := publish.Build(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "publish:", err)
		os.Exit(1)
	}
	for _, api := range idx.APIs {
		fmt.Printf("%s %s: %d files\n", api.Name, api.Version, len(api.Files))
	}
	fmt.Printf("wrote %s\n", *out)
}
