package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/guild-b2b/guild/internal/app"
	"github.com/guild-b2b/guild/internal/httpapi"
)

// CompaniesCmd bulk-loads companies.
type CompaniesCmd struct {
	Import   CompaniesImportCmd   `cmd:"" help:"Create companies (each with its admin) from JSON lines, with the API's rules."`
	Generate CompaniesGenerateCmd `cmd:"" help:"Print synthetic companies as JSON lines, for trying Guild out and for benchmarks."`
}

// CompaniesImportCmd imports companies from JSON lines.
type CompaniesImportCmd struct {
	Store string `required:"" help:"The store hash."`
	File  string `required:"" type:"path" help:"A file of JSON lines, one create-company body (POST /companies) per line; - reads stdin."`
	Skip  int    `help:"Skip the first N lines (to resume an import that stopped)."`
}

// importChunk is how many lines are read before they are handed to the app.
const importChunk = 5000

// Run implements the command.
func (c *CompaniesImportCmd) Run(ctx context.Context, g *Globals, logger *slog.Logger) error {
	a, t, done, err := openTenantApp(ctx, g, logger, c.Store)
	if err != nil {
		return err
	}
	defer done()
	var r io.Reader = os.Stdin
	if c.File != "-" {
		f, err := os.Open(c.File)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	start := time.Now()
	total, line := 0, 0
	chunk := make([]app.CompanyInput, 0, importChunk)
	lines := make([]int, 0, importChunk) // the line number of each chunk item
	flush := func() error {
		n, err := a.ImportCompanies(ctx, t, chunk)
		total += n
		if err != nil {
			var ie *app.ImportError
			if errors.As(err, &ie) {
				return fmt.Errorf("line %d: %v; nothing of its batch was written: %d companies were imported, resume with --skip %d",
					lines[ie.Item], ie.Err, total, lines[n]-1)
			}
			return fmt.Errorf("%w (%d companies were imported before the error)", err, total)
		}
		chunk, lines = chunk[:0], lines[:0]
		return nil
	}
	for sc.Scan() {
		line++
		b := sc.Bytes()
		if len(b) == 0 || line <= c.Skip {
			continue
		}
		in, err := httpapi.DecodeCompanyInput(b)
		if err != nil {
			return fmt.Errorf("line %d: %w (%d companies imported before it)", line, err, total)
		}
		chunk = append(chunk, in)
		lines = append(lines, line)
		if len(chunk) == importChunk {
			if err := flush(); err != nil {
				return err
			}
			logger.Info("importing", "companies", total, "per_second", int(float64(total)/time.Since(start).Seconds()))
		}
		if ctx.Err() != nil {
			return fmt.Errorf("interrupted after %d companies", total)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if len(chunk) > 0 {
		if err := flush(); err != nil {
			return err
		}
	}
	el := time.Since(start)
	fmt.Printf("imported %d companies with their admins in %s (%.0f companies/s)\n", total, el.Round(time.Millisecond), float64(total)/el.Seconds())
	return nil
}

// CompaniesGenerateCmd prints synthetic companies.
type CompaniesGenerateCmd struct {
	Count int `required:"" help:"How many companies."`
	Start int `default:"1" help:"Number of the first company (names and emails are numbered)."`
}

// Run implements the command.
func (c *CompaniesGenerateCmd) Run(ctx context.Context, g *Globals, logger *slog.Logger) error {
	w := bufio.NewWriterSize(os.Stdout, 1<<16)
	enc := json.NewEncoder(w)
	for i := c.Start; i < c.Start+c.Count; i++ {
		err := enc.Encode(map[string]any{
			"companyName":    fmt.Sprintf("Company %08d", i),
			"companyPhone":   fmt.Sprintf("+1 555 %07d", i%10000000),
			"companyEmail":   fmt.Sprintf("office%d@company%d.example.com", i, i),
			"addressLine1":   fmt.Sprintf("%d Market Street", i%9999+1),
			"city":           "Austin",
			"state":          "Texas",
			"country":        "US",
			"zipCode":        "78701",
			"adminFirstName": "Admin",
			"adminLastName":  fmt.Sprintf("Number%d", i),
			"adminEmail":     fmt.Sprintf("admin%d@company%d.example.com", i, i),
		})
		if err != nil {
			return err
		}
	}
	return w.Flush()
}
