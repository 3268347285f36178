package publish_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"html"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/hwspec/compute/internal/publish"
	"github.com/hwspec/compute/spec"
	"github.com/hwspec/compute/validate"
)

func build(t *testing.T) (string, publish.Index) {
	t.Helper()
	dir := t.TempDir()
	idx, err := publish.Build(dir)
	if err != nil {
		t.Fatal(err)
	}
	return dir, idx
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[rel] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestBuildIsReproducible builds twice as make publish does (with the
// repository's CHANGELOG.md) and compares the bytes.
func TestBuildIsReproducible(t *testing.T) {
	md, err := os.ReadFile(filepath.Join("..", "..", "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if _, err := publish.BuildWith(dir, publish.Options{Changelog: md}); err != nil {
			t.Fatal(err)
		}
	}
	ta, tb := readTree(t, a), readTree(t, b)
	if len(ta) != 16 {
		t.Fatalf("%d files, want 16 (index.json, index.html, 3 per API, 3 JSON Schemas, rules.json, changelog.html)", len(ta))
	}
	for name, data := range ta {
		if !bytes.Equal(data, tb[name]) {
			t.Errorf("%s differs between two builds", name)
		}
	}
}

func TestIndexMatchesTheFiles(t *testing.T) {
	dir, idx := build(t)
	raw, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var onDisk publish.Index
	if err := json.Unmarshal(raw, &onDisk); err != nil {
		t.Fatal(err)
	}
	e, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	if e.APIs()[2].Name != "ecs" {
		t.Fatalf("the engine's third API is %s, not ecs", e.APIs()[2].Name)
	}
	ecsVersion := e.APIs()[2].Doc.Info.Version
	if len(onDisk.APIs) != 3 || onDisk.APIs[2].Name != "ecs" || ecsVersion == "" || onDisk.APIs[2].Version != ecsVersion {
		t.Fatalf("index.json = %+v, want the ECS document's version %q", onDisk, ecsVersion)
	}
	for _, api := range idx.APIs {
		for name, f := range api.Files {
			data, err := os.ReadFile(filepath.Join(dir, api.Name, name))
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(data)
			if hex.EncodeToString(sum[:]) != f.SHA256 || len(data) != f.Bytes {
				t.Errorf("%s/%s: checksum or size differs from index.json", api.Name, name)
			}
		}
	}
}

// TestBundlesStandAlone loads every bundle with external references
// forbidden, validates it with its examples, and builds a validation
// engine from it: the published documents are complete and usable.
func TestBundlesStandAlone(t *testing.T) {
	dir, idx := build(t)
	var sources []validate.Source
	for _, api := range idx.APIs {
		for _, name := range []string{"openapi.json", "openapi.yaml"} {
			data, err := os.ReadFile(filepath.Join(dir, api.Name, name))
			if err != nil {
				t.Fatal(err)
			}
			loader := openapi3.NewLoader()
			doc, err := loader.LoadFromData(data)
			if err != nil {
				t.Fatalf("%s/%s: %v", api.Name, name, err)
			}
			if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
				t.Fatalf("%s/%s: %v", api.Name, name, err)
			}
			if doc.Info.Version != api.Version {
				t.Errorf("%s/%s: version %s, index says %s", api.Name, name, doc.Info.Version, api.Version)
			}
			if name == "openapi.yaml" {
				sources = append(sources, validate.Source{Name: api.Name, Data: data})
			}
		}
	}
	e, err := validate.FromSources(sources)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(e.Operations()); n != 9 {
		t.Fatalf("%d operations in the bundles, want 9", n)
	}
}

// TestPagesCoverTheSpecs checks that each reference page names its licence,
// every operation, every cross-field rule and every named format of its API.
func TestPagesCoverTheSpecs(t *testing.T) {
	dir, _ := build(t)
	e, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string]string{}
	for _, api := range e.APIs() {
		data, err := os.ReadFile(filepath.Join(dir, api.Name, "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		pages[api.Name] = string(data)
		if lic := `published under <a href="https://www.apache.org/licenses/LICENSE-2.0">Apache-2.0</a>`; !strings.Contains(pages[api.Name], lic) {
			t.Errorf("%s page does not name the document's licence", api.Name)
		}
		for name := range api.Formats {
			if !strings.Contains(pages[api.Name], `id="format-`+name+`"`) {
				t.Errorf("%s page lacks format %s", api.Name, name)
			}
		}
	}
	for _, op := range e.Operations() {
		page := pages[op.API.Name]
		if !strings.Contains(page, `id="op-`+op.ID+`"`) {
			t.Errorf("%s page lacks operation %s", op.API.Name, op.ID)
		}
	}
	for _, id := range []string{"ecs.server.prepaid-key-pair-userid", "ecs.bandwidth.size-step-50", "ecs.metadata.key-format", "devserver.server.login-method", "clouddc.metadata.key-format"} {
		api := strings.SplitN(id, ".", 2)[0]
		if !strings.Contains(pages[api], "<code>"+id+"</code>") {
			t.Errorf("%s page lacks rule %s", api, id)
		}
	}
	if !strings.Contains(pages["ecs"], "When extendparam/chargingMode is &#34;prePaid&#34; and key_name is given: metadata/op_svc_userid is required.") {
		t.Error("the ECS page does not state the prepaid key-pair rule in plain words")
	}
	if !strings.Contains(pages["ecs"], "When extendparam/chargingMode is &#34;prePaid&#34;: count × (2 &#43; one for each data_volumes/* &#43; one for each publicip/eip &#43; one for each publicip/eip/bandwidth/sharetype that is &#34;PER&#34;) is at most 400, where an absent count counts as 1.") {
		t.Error("the ECS page does not state the 400-resource cap (a total effect) in plain words")
	}
	if !strings.Contains(pages["ecs"], "nics, where given, has at most 12 items.") {
		t.Error("the ECS page does not state the NIC-count warning in plain words")
	}
	for name, page := range pages {
		for _, remote := range []string{"<script src", "http://", "//cdn", "@import", "<link "} {
			if strings.Contains(page, remote) {
				t.Errorf("%s page is not self-contained: it has %q", name, remote)
			}
		}
		if n := strings.Count(page, "<script"); n != 1 {
			t.Errorf("%s page has %d scripts, want the one inline search script", name, n)
		}
	}
}

var (
	hrefAnchor = regexp.MustCompile(`href="#([^"]*)"`)
	idAttr     = regexp.MustCompile(` id="([^"]*)"`)
)

// TestPageLinksResolve checks that every in-page link of every page has its
// target, that the anchors people link to are stable (#op-, #schema-,
// #rule-, #format-), and that every schema a bundle references with $ref is
// linked from its page.
func TestPageLinksResolve(t *testing.T) {
	dir, idx := build(t)
	for _, api := range idx.APIs {
		raw, err := os.ReadFile(filepath.Join(dir, api.Name, "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		page := string(raw)
		ids := map[string]bool{}
		for _, m := range idAttr.FindAllStringSubmatch(page, -1) {
			if ids[m[1]] {
				t.Errorf("%s: id %q is not unique", api.Name, m[1])
			}
			ids[m[1]] = true
		}
		links := map[string]bool{}
		for _, m := range hrefAnchor.FindAllStringSubmatch(page, -1) {
			// html/template escapes ':' in a fragment; browsers find the
			// target by the decoded fragment.
			frag, err := url.PathUnescape(m[1])
			if err != nil {
				t.Fatal(err)
			}
			links[frag] = true
			if !ids[frag] {
				t.Errorf("%s: link #%s has no target", api.Name, m[1])
			}
		}
		bundle, err := os.ReadFile(filepath.Join(dir, api.Name, "openapi.json"))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range regexp.MustCompile(`"\$ref": "#/components/schemas/([^"]+)"`).FindAllStringSubmatch(string(bundle), -1) {
			if !links["schema-"+m[1]] {
				t.Errorf("%s: $ref to %s is not linked", api.Name, m[1])
			}
		}
	}
	raw, err := os.ReadFile(filepath.Join(dir, "ecs", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`id="op-CreateServers"`, `id="schema-PrePaidServer"`, `id="schema-PrePaidServer.adminPass"`, `id="rule-ecs.server.prepaid-key-pair-userid"`, `id="format-ecs-password"`, `href="#rule-ecs.disk.iops-required"`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("ECS page lacks %s", want)
		}
	}
}

// chromium returns the path of Debian's chromium, skipping the test when
// it is not installed (failing in CI, where .ci/run installs it).
func chromium(t *testing.T) string {
	t.Helper()
	browser, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed; .ci/run installs it")
		}
		t.Skip("chromium is not installed (apt-get install chromium)")
	}
	return browser
}

// headless runs Chromium headless, offline and with a fresh profile.
func headless(t *testing.T, browser string, args ...string) []byte {
	t.Helper()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir=" + t.TempDir()}
	out, err := exec.Command(browser, append(base, args...)...).Output()
	if err != nil {
		t.Fatalf("chromium %v: %v", args, err)
	}
	return out
}

// searchCase is a query typed into a page's search box, with the anchors
// that must stay visible and those that must be hidden.
type searchCase struct {
	Query   string   `json:"query"`
	Visible []string `json:"visible"`
	Hidden  []string `json:"hidden"`
}

// TestPagesInChromium loads the pages in headless Chromium (Debian's
// chromium package; .ci/run installs it) at 1400 px wide, runs
// testdata/pagecheck.js in each reference page and checks the rendered DOM:
// every in-page link (the navigation's, every $ref's, every rule's) resolves,
// no Markdown marker shows as text, and the search box filters operations,
// schemas, fields and rules. With PUBLISH_SCREENSHOTS=<dir> it also writes
// screenshots of every page at 1400 and 420 px wide into dir, to look at.
func TestPagesInChromium(t *testing.T) {
	browser := chromium(t)
	md, err := os.ReadFile(filepath.Join("..", "..", "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := publish.BuildWith(dir, publish.Options{Changelog: md}); err != nil {
		t.Fatal(err)
	}
	check, err := os.ReadFile(filepath.Join("testdata", "pagecheck.js"))
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string]struct {
		wants  []string
		search []searchCase
	}{
		"index.html":     {wants: []string{`href="ecs/index.html"`, "Elastic Cloud Server API", "CloudDC iMetal Instance API", "ModelArts DevServer", `href="changelog.html"`, `href="rules.json"`, `href="schemas/CreateServers.request.json"`}},
		"changelog.html": {wants: []string{"<h1>Changelog</h1>", "⚠️"}},
		"ecs/index.html": {
			wants: []string{`id="op-CreateServers"`, `id="op-ShowJob"`, `id="schema-PrePaidServer"`, `href="../schemas/CreateServers.request.json"`},
			search: []searchCase{
				{"sharetype", []string{"schema-PrePaidServerEipBandwidth", "schema-PrePaidServerEipBandwidth.sharetype", "rule-ecs.bandwidth.dedicated-size"}, []string{"op-CreateServers", "schema-CpuOptions", "schema-PrePaidServerEipBandwidth.size", "rule-ecs.server.login-method"}},
				{"ShowJob", []string{"op-ShowJob"}, []string{"op-CreateServers", "schema-PrePaidServer"}},
				{"ecs.server.login-method", []string{"rule-ecs.server.login-method", "schema-PrePaidServer"}, []string{"rule-ecs.publicip.source", "schema-PrePaidServerPublicip", "op-ShowJob"}},
				{"ecs-password", []string{"format-ecs-password"}, []string{"format-ecs-user-data"}},
			},
		},
		"clouddc/index.html": {
			wants:  []string{`id="op-CreateInstance"`, `id="op-ShowInstanceStatus"`, `id="op-DeleteInstance"`},
			search: []searchCase{{"DeleteInstance", []string{"op-DeleteInstance"}, []string{"op-CreateInstance"}}},
		},
		"devserver/index.html": {
			wants:  []string{`id="op-CreateDevServer"`, `id="op-ListDevServers"`, `id="op-ShowDevServer"`, `id="op-DeleteDevServer"`},
			search: []searchCase{{"key_pair_name", []string{"rule-devserver.server.login-method"}, []string{"op-ListDevServers", "rule-devserver.server.user-data-once"}}},
		},
	}
	shots := os.Getenv("PUBLISH_SCREENSHOTS")
	for page, want := range pages {
		t.Run(page, func(t *testing.T) {
			target := filepath.Join(dir, page)
			if want.search != nil {
				cases, err := json.Marshal(want.search)
				if err != nil {
					t.Fatal(err)
				}
				html, err := os.ReadFile(target)
				if err != nil {
					t.Fatal(err)
				}
				script := "<script>var CASES = " + string(cases) + ";\n" + string(check) + "</script></body>"
				target = strings.TrimSuffix(target, ".html") + ".check.html"
				if err := os.WriteFile(target, bytes.Replace(html, []byte("</body>"), []byte(script), 1), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			dom := string(headless(t, browser, "--window-size=1400,1000", "--dump-dom", "file://"+target))
			for _, w := range want.wants {
				if !strings.Contains(dom, w) {
					t.Errorf("rendered %s lacks %q", page, w)
				}
			}
			if want.search != nil {
				checkDOM(t, dom, len(want.search))
			}
			if shots != "" {
				for _, width := range []string{"1400", "420"} {
					name := strings.ReplaceAll(strings.TrimSuffix(page, ".html"), "/", "-") + "-" + width + ".png"
					headless(t, browser, "--window-size="+width+",1000", "--screenshot="+filepath.Join(shots, name), "file://"+filepath.Join(dir, page))
				}
			}
		})
	}
}

// checkDOM reads pagecheck.js's result from a dumped DOM.
func checkDOM(t *testing.T, dom string, searches int) {
	t.Helper()
	// The last one: the script's comment names the element too.
	i := strings.LastIndex(dom, `<pre id="pagecheck">`)
	raw, _, ok := strings.Cut(dom[i+len(`<pre id="pagecheck">`):], "</pre>")
	if i < 0 || !ok {
		t.Fatal("pagecheck.js gave no result")
	}
	var r struct {
		Links, NavLinks, SchemaLinks int
		Broken, Markdown             []string
		Search                       []struct {
			Query string
			Wrong []string
		}
		HiddenAfterClear int
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(raw)), &r); err != nil {
		t.Fatalf("pagecheck.js result: %v\n%s", err, raw)
	}
	if r.NavLinks < 5 || r.SchemaLinks == 0 {
		t.Errorf("%d navigation links and %d schema links: the page lacks its navigation or its $ref links", r.NavLinks, r.SchemaLinks)
	}
	for _, b := range r.Broken {
		t.Errorf("link %s does not resolve", b)
	}
	for _, m := range r.Markdown {
		t.Errorf("Markdown shows as text: %q", m)
	}
	if len(r.Search) != searches {
		t.Errorf("%d searches ran, want %d", len(r.Search), searches)
	}
	for _, s := range r.Search {
		for _, w := range s.Wrong {
			t.Errorf("search %q: %s", s.Query, w)
		}
	}
	if r.HiddenAfterClear != 0 {
		t.Errorf("%d entries stay hidden after the search box is cleared", r.HiddenAfterClear)
	}
	t.Logf("%d in-page links resolve (%d in the navigation, %d to schemas)", r.Links, r.NavLinks, r.SchemaLinks)
}

// TestRequestSchemas checks the JSON Schemas for editors: one per operation
// with a request body, draft 2020-12 with an $id under the base, self-
// contained (every $ref is to its own $defs), in JSON Schema's dialect (no
// OpenAPI keyword, no extension), carrying descriptions, enums, defaults and
// patterns, and saying that validate checks the cross-field rules.
func TestRequestSchemas(t *testing.T) {
	dir, idx := build(t)
	e, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for _, op := range e.Operations() {
		if op.RequestSchema() == nil {
			continue
		}
		n++
		name := "schemas/" + op.ID + ".request.json"
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if f, ok := idx.Files[name]; !ok || f.Bytes != len(raw) {
			t.Errorf("index.json does not list %s", name)
		}
		var doc map[string]any
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatal(err)
		}
		if doc["$schema"] != publish.Draft2020 || doc["$id"] != publish.DefaultBase+name {
			t.Errorf("%s: $schema %v, $id %v", name, doc["$schema"], doc["$id"])
		}
		if d, _ := doc["description"].(string); !strings.Contains(d, "`validate` checks them") {
			t.Errorf("%s: the description does not say that validate checks the cross-field rules", name)
		}
		defs, _ := doc["$defs"].(map[string]any)
		text := string(raw)
		for _, m := range regexp.MustCompile(`"\$ref": "([^"]*)"`).FindAllStringSubmatch(text, -1) {
			def, ok := strings.CutPrefix(m[1], "#/$defs/")
			if _, found := defs[def]; !ok || !found {
				t.Errorf("%s: $ref %s is not to its own $defs", name, m[1])
			}
		}
		for _, bad := range []string{`"nullable"`, `"example"`, `"x-rules"`, `"x-go-`, `#/components/`} {
			if strings.Contains(text, bad) {
				t.Errorf("%s has %s", name, bad)
			}
		}
		for _, want := range []string{`"description"`, `"pattern"`, `"additionalProperties": false`} {
			if !strings.Contains(text, want) {
				t.Errorf("%s lacks %s", name, want)
			}
		}
	}
	if n != 3 {
		t.Errorf("%d operations with a request body, want 3", n)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "schemas", "CreateServers.request.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"enum"`, `"default": false`, `"format": "ecs-password"`, `Format ecs-password: ECS administrator password`, `"pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("CreateServers.request.json lacks %s", want)
		}
	}
}

// TestRulesCatalogue checks rules.json: every x-rules rule and named format
// of the specs, each with its severity, message, the fields it involves and
// its page anchor; a rule's sentences of the document that cite it.
func TestRulesCatalogue(t *testing.T) {
	dir, idx := build(t)
	raw, err := os.ReadFile(filepath.Join(dir, "rules.json"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := idx.Files["rules.json"]; !ok {
		t.Error("index.json does not list rules.json")
	}
	var cat publish.Catalogue
	if err := json.Unmarshal(raw, &cat); err != nil {
		t.Fatal(err)
	}
	got := map[string]publish.CatalogueEntry{}
	for _, r := range cat.Rules {
		got[r.API+" "+r.ID] = r
		if r.Message == "" || len(r.Fields) == 0 || (r.Severity != "error" && r.Severity != "warning") || (r.Kind == "rule") == (r.Sentence == "") {
			t.Errorf("%s: incomplete entry %+v", r.ID, r)
		}
		page, anchor, _ := strings.Cut(r.Page, "#")
		html, err := os.ReadFile(filepath.Join(dir, page))
		if err != nil || !strings.Contains(string(html), ` id="`+anchor+`"`) {
			t.Errorf("%s: page %s does not resolve", r.ID, r.Page)
		}
	}
	want := 0
	ruleID := regexp.MustCompile(`(?m)^\s*- id: ([a-z]+\.[a-z0-9.-]+)\s*$`) // x-rules ids, not the examples' UUIDs
	e, err := validate.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, api := range e.APIs() {
		src, err := spec.Document(api.Name)
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		for _, m := range ruleID.FindAllStringSubmatch(string(src), -1) {
			ids[m[1]] = true
		}
		for name := range api.Formats {
			ids["format."+name] = true
		}
		for id := range ids {
			want++
			if _, ok := got[api.Name+" "+id]; !ok {
				t.Errorf("rules.json lacks %s %s", api.Name, id)
			}
		}
	}
	if len(cat.Rules) != want {
		t.Errorf("rules.json has %d entries, the specs %d", len(cat.Rules), want)
	}
	r := got["ecs ecs.server.auto-terminate-postpaid"]
	if !slices.Equal(r.Fields, []string{"PrePaidServer/extendparam/chargingMode", "PrePaidServer/auto_terminate_time"}) ||
		len(r.Source) != 1 || r.Source[0].Text != "Pay-per-use servers only (rule `ecs.server.auto-terminate-postpaid`)." ||
		r.Source[0].Pointer != "/components/schemas/PrePaidServer/properties/auto_terminate_time/description" {
		t.Errorf("ecs.server.auto-terminate-postpaid: %+v", r)
	}
	if f := got["ecs format.ecs-password"]; !slices.Equal(f.Fields, []string{"PrePaidServer/adminPass"}) || f.Kind != "format" || len(f.Source) != 1 {
		t.Errorf("format.ecs-password: %+v", f)
	}
}

// TestChangelogPage renders a changelog in oasdiff's Markdown into
// changelog.html, linked from the index: no shortcode or Markdown marker
// shows as text, links to repository files become text, raw HTML is dropped.
func TestChangelogPage(t *testing.T) {
	md := "# Changelog\n\nMade as [docs/releasing.md](docs/releasing.md) says.\n\n" +
		"## ecs\n\n###### POST /v1.1/{project_id}/cloudservers\n" +
		"- :warning: the `server/name` request property's maxLength was decreased\n" +
		"- added the optional property `dry_run`\n\n<script>alert(1)</script>\n"
	dir := t.TempDir()
	if _, err := publish.BuildWith(dir, publish.Options{Changelog: []byte(md)}); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(dir, "changelog.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<h1>Changelog</h1>", "<li>⚠️ the <code>server/name</code> request property", "Made as docs/releasing.md says.", `<a href="index.html">All APIs</a>`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("changelog.html lacks %q", want)
		}
	}
	for _, lack := range []string{":warning:", "<script", "######", `href="docs/`} {
		if strings.Contains(string(page), lack) {
			t.Errorf("changelog.html has %q", lack)
		}
	}
	index, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(index), `<a href="changelog.html">changelog</a>`) {
		t.Error("index.html does not link to the changelog")
	}
	plain, _ := build(t)
	if _, err := os.Stat(filepath.Join(plain, "changelog.html")); !os.IsNotExist(err) {
		t.Errorf("a build without a changelog has changelog.html (%v)", err)
	}
}
