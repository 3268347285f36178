package publish

import (
	"bytes"
	"html/template"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	gtext "github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// changelogMarkdown renders CHANGELOG.md: links to files of the repository
// (relative links other than in-page anchors) become their text, since the
// files are not published beside the page.
var changelogMarkdown = goldmark.New(
	goldmark.WithExtensions(extension.Table, extension.Strikethrough),
	goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(unlinkRelative{}, 100))),
)

// shortcodes are the GitHub emoji codes oasdiff's Markdown uses.
var shortcodes = strings.NewReplacer(":warning:", "⚠️")

// unlinkRelative replaces each link to a relative address that is not an
// in-page anchor with the link's text.
type unlinkRelative struct{}

func (unlinkRelative) Transform(doc *ast.Document, _ gtext.Reader, _ parser.Context) {
	var links []*ast.Link
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if l, ok := n.(*ast.Link); ok && entering {
			dest := string(l.Destination)
			if !strings.HasPrefix(dest, "#") && !strings.Contains(dest, "://") && !strings.HasPrefix(dest, "mailto:") {
				links = append(links, l)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, l := range links {
		parent := l.Parent()
		for c := l.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, l, c)
			c = next
		}
		parent.RemoveChild(parent, l)
	}
}

// renderChangelog returns changelog.html.
func renderChangelog(md []byte) ([]byte, error) {
	css, err := templateFiles.ReadFile("templates/style.css")
	if err != nil {
		return nil, err
	}
	var body bytes.Buffer
	if err := changelogMarkdown.Convert([]byte(shortcodes.Replace(string(md))), &body); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	err = templates.ExecuteTemplate(&b, "changelog.html", map[string]any{"Body": template.HTML(body.String()), "CSS": template.CSS(css)})
	return b.Bytes(), err
}
