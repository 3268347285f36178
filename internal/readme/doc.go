// Package readme holds no code of its own: its tests compile and run every
// Go snippet of the repository's documents (README.md, spec/README.md,
// docs/*.md), and fail when a document's copy of a snippet differs from the
// compiled one.
//
// A snippet lives in a Go file that the tests build, between a line
// "// README:NAME" and a line "// README:end". The region's lines, less the
// marker's indentation, are the snippet; several regions with the same name
// in one file are joined with a blank line (an import declaration, then a
// function body). Each ```go block of a document must equal one snippet,
// and each snippet must appear in a document.
package readme
