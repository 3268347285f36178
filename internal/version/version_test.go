package version

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{
			name: "go install …@v1.2.3",
			info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: Module, Version: "v1.2.3"}},
			want: "localserver v1.2.3 (go1.26.8)",
		},
		{
			name: "a pseudo-version",
			info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: Module, Version: "v0.0.0-20261129120000-5b227a2c0ffe"}},
			want: "localserver v0.0.0-20261129120000-5b227a2c0ffe (go1.26.8)",
		},
		{
			name: "built as a dependency of another module",
			info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "example.com/app", Version: "(devel)"},
				Deps: []*debug.Module{{Path: "github.com/labstack/echo/v4", Version: "v4.16.0"}, {Path: Module, Version: "v1.4.0"}}},
			want: "localserver v1.4.0 (go1.26.8)",
		},
		{
			name: "a dependency replaced by a checkout",
			info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "example.com/app"},
				Deps: []*debug.Module{{Path: Module, Version: "v1.4.0", Replace: &debug.Module{Path: "../compute"}}}},
			want: "localserver (devel) (go1.26.8)",
		},
		{
			name: "go build in a checkout, with VCS stamping",
			info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: Module, Version: "(devel)"},
				Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "5b227a2c0ffee0123456789abcdef0123456789a"}, {Key: "vcs.modified", Value: "true"}}},
			want: "localserver (devel, revision 5b227a2c0ffe, modified) (go1.26.8)",
		},
		{
			name: "go build in a checkout, -buildvcs=false",
			info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: Module, Version: "(devel)"}},
			want: "localserver (devel) (go1.26.8)",
		},
		{
			name: "no build information",
			info: nil,
			want: "localserver (unknown version: built without module information)",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := format("localserver", tc.info); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestString reads the test binary's own build information.
func TestString(t *testing.T) {
	if got := String("x"); !strings.HasPrefix(got, "x ") || !strings.Contains(got, "go1.") {
		t.Errorf("String = %q", got)
	}
}
