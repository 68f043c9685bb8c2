package spectest

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// LoadBigCommerce reads one of the BigCommerce core API specs kept in
// testdata/bigcommerce-openapi, e.g. "customers.v3.yml".
func LoadBigCommerce(t testing.TB, name string) *Spec {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(file), "testdata", "bigcommerce-openapi", name)
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(path)
	if err != nil {
		t.Fatalf("load BigCommerce spec %s: %v", name, err)
	}
	return &Spec{doc: doc}
}
