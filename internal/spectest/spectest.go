// Package spectest validates Guild's HTTP answers against the vendor's
// OpenAPI files (kept in testdata/, copied from shared/reference, see
// testdata/b2b-edition-openapi/SOURCE.txt). It is used by tests only.
package spectest

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// Spec is one loaded vendor OpenAPI document.
type Spec struct {
	doc *openapi3.T
}

// Load reads a vendor spec by its path under b2b-edition-openapi/specs,
// e.g. "api-v3/company/company.yaml", resolving its relative $refs.
func Load(t testing.TB, rel string) *Spec {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(file), "testdata", "b2b-edition-openapi", "specs", rel)
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = true
	doc, err := loader.LoadFromFile(path)
	if err != nil {
		t.Fatalf("load vendor spec %s: %v", rel, err)
	}
	return &Spec{doc: doc}
}

// Patch lets a test apply a documented correction to the vendor schema
// (see docs/compatibility.md) before validating.
func (s *Spec) Patch(fn func(doc *openapi3.T)) { fn(s.doc) }

// Validate checks that body is a valid JSON answer of the operation at
// method and pathTemplate (as written in the spec, e.g. "/companies/{companyId}")
// for the given status.
func (s *Spec) Validate(method, pathTemplate string, status int, body []byte) error {
	item := s.doc.Paths.Value(pathTemplate)
	if item == nil {
		return fmt.Errorf("spec has no path %s", pathTemplate)
	}
	op := item.GetOperation(method)
	if op == nil {
		return fmt.Errorf("spec has no %s %s", method, pathTemplate)
	}
	resp := op.Responses.Value(strconv.Itoa(status))
	if resp == nil || resp.Value == nil {
		return fmt.Errorf("spec defines no %d answer for %s %s", status, method, pathTemplate)
	}
	mt := resp.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return nil // the spec gives no schema for this answer
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("answer is not JSON: %w", err)
	}
	if err := mt.Schema.Value.VisitJSON(v, openapi3.MultiErrors()); err != nil {
		return fmt.Errorf("%s %s %d does not match the vendor schema: %w", method, pathTemplate, status, err)
	}
	return nil
}

// Schema returns a named component schema, for patches.
func (s *Spec) Schema(name string) *openapi3.Schema {
	ref := s.doc.Components.Schemas[name]
	if ref == nil {
		return nil
	}
	return ref.Value
}

// Context is a convenience for kin-openapi calls that need one.
func Context() context.Context { return context.Background() }
