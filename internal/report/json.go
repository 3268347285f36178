package report

import (
	"encoding/json"
	"github.com/hwspec/compute/validate"
	"io"
)

// writeJSON writes the report as one indented JSON document. Results
// without findings carry an empty errors list, never null.
func writeJSON(w io.Writer, r Report) error {
	for i := range r.Results {
		if r.Results[i].Errors == nil {
			r.Results[i].Errors = []validate.Finding{}
		}
	}
	if r.Results == nil {
		r.Results = []Result{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
