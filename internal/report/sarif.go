package report

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"

	"github.com/hwspec/compute/validate"
)

// The subset of SARIF 2.1.0 that GitHub code scanning reads.

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID               string       `json:"id"`
	ShortDescription sarifMessage `json:"shortDescription"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifMessage      `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

// sarifWriter writes a SARIF 2.1.0 log with one run, result by result. The
// run's results come before its tool (SARIF does not order an object's
// members), so that the rules can be listed once every result is known:
// rules are listed in the order they are first used, and ruleIndex points
// into that list. File paths are stable across runs, and each result has a
// fingerprint of its file, request, place and rule, so code scanning
// tracks findings over time.
type sarifWriter struct {
	bw    *bufio.Writer
	enc   *indentEncoder
	tool  Tool
	info  RuleInfo
	rules map[string]int
	ids   []string
	n     int
}

func newSARIF(w io.Writer, tool Tool, info RuleInfo) *sarifWriter {
	return &sarifWriter{bw: bufio.NewWriter(w), enc: newIndentEncoder(), tool: tool, info: info, rules: map[string]int{}}
}

func (s *sarifWriter) Write(res Result) error {
	uri := filepath.ToSlash(res.File)
	for _, f := range res.Errors {
		level := "error"
		if f.Severity == validate.Warning {
			level = "warning"
		}
		idx, ok := s.rules[f.Rule]
		if !ok {
			idx = len(s.ids)
			s.rules[f.Rule] = idx
			s.ids = append(s.ids, f.Rule)
		}
		loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: uri}}}
		if f.Line > 0 {
			loc.PhysicalLocation.Region = &sarifRegion{StartLine: f.Line, StartColumn: f.Column}
		}
		sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%d\x00%s\x00%s", uri, res.Index, subject(f), f.Rule))
		b, err := s.enc.encode(sarifResult{
			RuleID:              f.Rule,
			RuleIndex:           idx,
			Level:               level,
			Message:             sarifMessage{Text: entryPrefix(res) + subject(f) + ": " + f.Message},
			Locations:           []sarifLocation{loc},
			PartialFingerprints: map[string]string{"findingKey/v1": hex.EncodeToString(sum[:16])},
		}, "        ")
		if err != nil {
			return err
		}
		if s.n == 0 {
			s.bw.WriteString(sarifHead + "\n        ")
		} else {
			s.bw.WriteString(",\n        ")
		}
		s.n++
		if _, err := s.bw.Write(b); err != nil {
			return err
		}
	}
	return nil
}

const sarifHead = `{
  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
  "version": "2.1.0",
  "runs": [
    {
      "results": [`

func (s *sarifWriter) Close(Summary) error {
	if s.n == 0 {
		s.bw.WriteString(sarifHead + "],\n")
	} else {
		s.bw.WriteString("\n      ],\n")
	}
	driver := sarifDriver{Name: s.tool.Name, Version: s.tool.Version, InformationURI: s.tool.InformationURI, Rules: []sarifRule{}}
	for _, id := range s.ids {
		driver.Rules = append(driver.Rules, sarifRule{ID: id, ShortDescription: sarifMessage{Text: s.info(id)}})
	}
	b, err := s.enc.encode(sarifTool{Driver: driver}, "      ")
	if err != nil {
		return err
	}
	s.bw.WriteString(`      "tool": `)
	s.bw.Write(b)
	s.bw.WriteString("\n    }\n  ]\n}\n")
	return s.bw.Flush()
}
