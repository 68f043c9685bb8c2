package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestPaymentAndChannelCommands runs the payment-methods and channels
// commands and the stores' payment flags as the README shows them.
func TestPaymentAndChannelCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildGuild(t)
	env := append(os.Environ(), "GUILD_DATA_DIR="+t.TempDir(), "GUILD_DATABASE_URL=")
	guild := func(args ...string) (string, error) {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			return stdout.String(), fmt.Errorf("guild %v: %v\n%s", args, err, stderr.String())
		}
		return stdout.String(), nil
	}
	steps := []struct {
		args    []string
		wantErr bool
		want    []string // substrings of stdout
	}{
		{args: []string{"stores", "create", "--hash", "pay", "--name", "Pay", "--default-payment-terms", "45"}, want: []string{"credit off", "net 45"}},
		{args: []string{"stores", "create", "--hash", "bad", "--name", "Bad", "--default-payment-terms", "7"}, wantErr: true},
		{args: []string{"stores", "update", "--hash", "pay", "--credit-enabled"}, want: []string{"credit on"}},
		{args: []string{"payment-methods", "create", "--store", "pay", "--code", "cheque", "--title", "Check"}, want: []string{"1"}},
		{args: []string{"payment-methods", "create", "--store", "pay", "--code", "authorizenet", "--title", "Authorize.net", "--no-enabled-by-default"}},
		{args: []string{"payment-methods", "create", "--store", "pay", "--code", "cheque", "--title", "Again"}, wantErr: true},
		{args: []string{"payment-methods", "update", "--store", "pay", "--code", "cheque", "--title", "Cheque"}},
		{args: []string{"payment-methods", "list", "--store", "pay"}, want: []string{"cheque        Cheque         true", "authorizenet  Authorize.net  false"}},
		{args: []string{"payment-methods", "delete", "--store", "pay", "--code", "nope"}, wantErr: true},
		{args: []string{"channels", "create", "--store", "pay", "--channel-id", "1001", "--name", "EU", "--disabled"}},
		{args: []string{"channels", "create", "--store", "pay", "--channel-id", "1", "--name", "Again"}, wantErr: true},
		{args: []string{"channels", "list", "--store", "pay"}, want: []string{"Default Channel", "1001        EU"}},
		{args: []string{"channels", "update", "--store", "pay", "--channel-id", "1001", "--enabled"}, want: []string{"enabled: true"}},
		{args: []string{"stores", "list"}, want: []string{"true    45"}},
	}
	for _, s := range steps {
		out, err := guild(s.args...)
		if (err != nil) != s.wantErr {
			t.Errorf("guild %s: err %v, want error %t", strings.Join(s.args, " "), err, s.wantErr)
			continue
		}
		for _, w := range s.want {
			if !strings.Contains(out, w) {
				t.Errorf("guild %s: output lacks %q:\n%s", strings.Join(s.args, " "), w, out)
			}
		}
	}
}
