package app

import "testing"

func TestDecimalAmount(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"0", "0", true},
		{"123.45", "123.45", true},
		{"1500.50", "1500.5", true},
		{"1e3", "1000", true},
		{"+.5", "0.5", true},
		{"12345678901234.5678", "12345678901234.5678", true},
		{"-0.01", "", false},
		{"1.00001", "", false},
		{"1/2", "", false},
		{"0x10", "", false},
		{"1e100000000", "", false},
		{"1e15", "", false},
		{"NaN", "", false},
		{"", "", false},
	} {
		var p problems
		got := decimalAmount(&p, "availableCredit", tc.in)
		if got != tc.want || p.empty() != tc.ok {
			t.Errorf("decimalAmount(%q) = %q, problems %v; want %q, ok %t", tc.in, got, p.fields, tc.want, tc.ok)
		}
	}
}
