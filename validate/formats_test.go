package validate

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"
)

func TestPasswordFormat(t *testing.T) {
	check, err := passwordCheck(formatSource{MinClasses: 3, Specials: "!@$%^-_=+[{}]:,./?", Forbidden: []string{"root", "administrator"}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, password string
		valid          bool
	}{
		{name: "three classes", password: "Cloud2024x", valid: true},
		{name: "four classes", password: "Huawei@Cloud2024", valid: true},
		{name: "upper, lower and special", password: "Cloud@Pass", valid: true},
		{name: "two classes", password: "cloudpass2024", valid: false},
		{name: "specials outside the set do not count", password: "cloud#pass", valid: false},
		{name: "contains root", password: "Myroot@2024", valid: false},
		{name: "contains root in upper case", password: "MyROOT@2024", valid: false},
		{name: "contains root reversed", password: "Toor@2024x", valid: false},
		{name: "contains administrator", password: "Administrator1", valid: false},
		{name: "contains administrator reversed", password: "xRotartsinimda1", valid: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := check(tc.password)
			if (err == nil) != tc.valid {
				t.Fatalf("valid = %v, want %v (%v)", err == nil, tc.valid, err)
			}
			if err != nil && strings.Contains(err.Error(), tc.password) {
				t.Fatalf("message repeats the password: %v", err)
			}
		})
	}
}

func TestBase64Format(t *testing.T) {
	check, err := base64Check(formatSource{MaxDecodedBytes: 32768})
	if err != nil {
		t.Fatal(err)
	}
	enc := func(n int) string { return base64.StdEncoding.EncodeToString([]byte(strings.Repeat("x", n))) }
	// wrap breaks the text into lines of 76 characters, as base64(1) and
	// MIME encoders do.
	wrap := func(s, eol string) string {
		var b strings.Builder
		for len(s) > 76 {
			b.WriteString(s[:76] + eol)
			s = s[76:]
		}
		return b.String() + s + eol
	}
	tests := []struct {
		name, value string
		valid       bool
		wantErr     string
	}{
		{name: "100 bytes wrapped", value: wrap(enc(100), "\n"), valid: true},
		{name: "exactly 32 KiB wrapped", value: wrap(enc(32768), "\n"), valid: true},
		{name: "exactly 32 KiB wrapped with CRLF", value: wrap(enc(32768), "\r\n"), valid: true},
		{name: "one byte over 32 KiB wrapped", value: wrap(enc(32769), "\n"), valid: false, wantErr: "decoded content is 32769 bytes, more than 32768"},
		{name: "one byte over 32 KiB", value: enc(32769), valid: false, wantErr: "decoded content is 32769 bytes, more than 32768"},
		{name: "script", value: "IyEvYmluL2Jhc2gKZWNobyB1c2VyX3Rlc3QgPiAvaG9tZS91c2VyLnR4dA==", valid: true},
		{name: "exactly 32 KiB", value: enc(32768), valid: true},
		{name: "one byte over 32 KiB", value: enc(32769), valid: false},
		{name: "far over", value: enc(100000), valid: false},
		{name: "missing padding", value: "IyEvYmluL2Jhc2gK" + "YQ", valid: false},
		{name: "not base64", value: "#!/bin/bash", valid: false},
		{name: "URL alphabet", value: "ab-_", valid: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := check(tc.value)
			if (err == nil) != tc.valid {
				t.Fatalf("valid = %v, want %v (%v)", err == nil, tc.valid, err)
			}
			if tc.wantErr != "" && err.Error() != tc.wantErr {
				t.Fatalf("error %q, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestUTCTimeFormat(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	check, err := utcTimeCheck(formatSource{Layout: "2006-01-02T15:04:05Z", NotBefore: "PT30M", NotAfter: "P3Y"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, value string
		valid       bool
	}{
		{name: "exactly 30 minutes ahead", value: "2026-11-23T10:30:00Z", valid: true},
		{name: "29 minutes ahead", value: "2026-11-23T10:29:00Z", valid: false},
		{name: "exactly 3 years ahead", value: "2029-11-23T10:00:00Z", valid: true},
		{name: "3 years and a minute ahead", value: "2029-11-23T10:01:00Z", valid: false},
		{name: "in the past", value: "2020-09-25T12:05:00Z", valid: false},
		{name: "offset instead of Z", value: "2027-01-01T00:00:00+08:00", valid: false},
		{name: "fractional seconds", value: "2027-01-01T00:00:00.000Z", valid: false},
		{name: "date only", value: "2027-01-01", valid: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := check(tc.value, now); (err == nil) != tc.valid {
				t.Fatalf("valid = %v, want %v (%v)", err == nil, tc.valid, err)
			}
		})
	}
}

func TestISODuration(t *testing.T) {
	base := time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{in: "PT30M", want: base.Add(30 * time.Minute), ok: true},
		{in: "P3Y", want: time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), ok: true},
		{in: "P1DT2H", want: base.Add(26 * time.Hour), ok: true},
		{in: "PT0S", want: base, ok: true},
		{in: "P", ok: false},
		{in: "PT", ok: false},
		{in: "3 years", ok: false},
		{in: "P1W", ok: false},
	}
	for _, tc := range tests {
		d, err := parseISODuration(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("%q: err = %v, want ok = %v", tc.in, err, tc.ok)
			continue
		}
		if tc.ok && !d.after(base).Equal(tc.want) {
			t.Errorf("%q: %v after %v = %v, want %v", tc.in, d, base, d.after(base), tc.want)
		}
	}
}

func TestIPOrCIDRFormat(t *testing.T) {
	check, err := ipOrCIDRCheck(formatSource{Kind: "ip-or-cidr"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		value string
		valid bool
	}{
		{"192.168.0.10", true},
		{"192.168.0.0/24", true},
		{"1.1.1.1/0", true},
		{"2001:db8::10", true},
		{"2001:db8::/64", true},
		{"::/0", true},
		{"not-an-ip", false},
		{"0.0.0.0/00", false},
		{"192.168.0.0/33", false},
		{"2001:db8::/129", false},
		{"01.1.1.1", false},
		{"fe80::1%eth0", false},
		{"192.168.0.10/", false},
		{"", false},
	}
	for _, tc := range tests {
		t.Run(tc.value, func(t *testing.T) {
			if err := check(tc.value); (err == nil) != tc.valid {
				t.Fatalf("valid = %v, want %v (%v)", err == nil, tc.valid, err)
			}
		})
	}
	if _, err := ipOrCIDRCheck(formatSource{Kind: "ip-or-cidr", MinClasses: 3}); err == nil {
		t.Fatal("want an error for a parameter of another kind")
	}
}
