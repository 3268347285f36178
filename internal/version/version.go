// Package version reports which version of this module a command was built
// from, read from the build information that the go command embeds, so that
// "go install github.com/hwspec/compute/cmd/NAME@v1.2.3" prints v1.2.3
// without -ldflags.
package version

import (
	"fmt"
	"runtime/debug"
)

// Module is this module's path.
const Module = "github.com/hwspec/compute"

// String returns "NAME VERSION (GOVERSION)" for the running program, e.g.
// "localserver v1.2.3 (go1.26.8)".
func String(name string) string {
	info, _ := debug.ReadBuildInfo()
	return format(name, info)
}

// Number returns the version of this module in the running program alone,
// e.g. "v1.2.3" or "(devel, revision 0123456789ab)", for a tool's version
// field in a report.
func Number() string {
	info, _ := debug.ReadBuildInfo()
	if info == nil {
		return "(unknown)"
	}
	return number(info)
}

// format is String for the build information info.
func format(name string, info *debug.BuildInfo) string {
	if info == nil {
		return name + " (unknown version: built without module information)"
	}
	return fmt.Sprintf("%s %s (%s)", name, number(info), info.GoVersion)
}

// number finds this module in the build information: the main module when
// the command was installed from it, or a dependency when another module
// builds it (as a tool, say). A build from a checkout says "(devel)", with
// the VCS revision when the go command recorded one.
func number(info *debug.BuildInfo) string {
	v := "(devel)"
	mod := &info.Main
	if mod.Path != Module {
		mod = nil
		for _, d := range info.Deps {
			if d.Path == Module {
				mod = d
				break
			}
		}
	}
	if mod != nil {
		if mod.Replace != nil {
			mod = mod.Replace
		}
		if mod.Version != "" && mod.Version != "(devel)" {
			v = mod.Version
		}
	}
	if v == "(devel)" {
		var rev, modified string
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					modified = ", modified"
				}
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			v = fmt.Sprintf("(devel, revision %s%s)", rev, modified)
		}
	}
	return v
}
