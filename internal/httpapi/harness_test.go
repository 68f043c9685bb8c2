package httpapi_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
	"github.com/guild-b2b/guild/internal/attach"
	"github.com/guild-b2b/guild/internal/httpapi"
	"github.com/guild-b2b/guild/internal/pgtest"
	"github.com/guild-b2b/guild/internal/postgres"
	"github.com/guild-b2b/guild/internal/spectest"
	"github.com/guild-b2b/guild/internal/sqlite"
)

// backend is a store under test.
type backend struct {
	name  string
	store guild.Store
}

// forEachBackend runs fn on a fresh SQLite store and, when
// GUILD_TEST_POSTGRES_URL is set, on a fresh PostgreSQL database.
func forEachBackend(t *testing.T, fn func(t *testing.T, b backend)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		s, err := sqlite.Open(context.Background(), t.TempDir()+"/guild.db", sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		fn(t, backend{"sqlite", s})
	})
	t.Run("postgres", func(t *testing.T) {
		url := os.Getenv("GUILD_TEST_POSTGRES_URL")
		if url == "" {
			t.Skip("GUILD_TEST_POSTGRES_URL is not set")
		}
		fn(t, backend{"postgres", freshPostgres(t, url)})
	})
}

// freshPostgres opens a store on a fresh, migrated database dropped after
// the test.
func freshPostgres(t *testing.T, base string) guild.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), pgtest.FreshDatabase(t, base, "guild_api"), postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// env is a running server on one store, with one tenant and its token.
type env struct {
	t      *testing.T
	app    *app.App
	srv    *httptest.Server
	tenant guild.Tenant
	token  string
	// dataDir holds the attachments.
	dataDir string
}

type envOptions struct {
	dependent bool
	groupName string // default customer group, created with the store
	clock     func() time.Time
	// maxDepth and maxSize are the store's hierarchy limits (0: defaults).
	maxDepth, maxSize int
	// noSecrets runs the App without a secret key (a PostgreSQL replica
	// started without --secret-key).
	noSecrets bool
}

func newEnv(t *testing.T, b backend, o envOptions) *env {
	t.Helper()
	clock := o.clock
	if clock == nil {
		clock = time.Now
	}
	dataDir := t.TempDir()
	secrets := testSecrets(t)
	if o.noSecrets {
		secrets = nil
	}
	a := app.New(app.Options{Store: b.store, Files: attach.NewFiles(dataDir), Now: clock, Secrets: secrets})
	srv := httptest.NewServer(httpapi.New(httpapi.Options{App: a, OpenAPI: []byte("openapi: 3.0.3\n")}))
	t.Cleanup(srv.Close)
	ctx := context.Background()
	hash := "store-" + randomHex(4)
	tenant, err := a.CreateTenant(ctx, app.CreateTenantInput{Hash: hash, Name: "Test store", DependentCompanies: o.dependent, DefaultCustomerGroupName: o.groupName,
		MaxHierarchyDepth: o.maxDepth, MaxHierarchySize: o.maxSize})
	if err != nil {
		t.Fatal(err)
	}
	// Every store has the default channel (1); the tests also give users
	// and super admins channels 2 and 3.
	for _, id := range []int64{2, 3} {
		if _, err := a.CreateChannel(ctx, tenant, app.ChannelInput{ChannelID: id, Name: fmt.Sprintf("Channel %d", id)}); err != nil {
			t.Fatal(err)
		}
	}
	secret, _, err := a.CreateToken(ctx, hash, "tests")
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, app: a, srv: srv, tenant: tenant, token: secret, dataDir: dataDir}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// response is an HTTP answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a generic value.
func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("answer is not a JSON object: %v\n%s", err, r.body)
	}
	return v
}

// data returns body.data as an object.
func (r response) data(t *testing.T) map[string]any {
	t.Helper()
	d, ok := r.json(t)["data"].(map[string]any)
	if !ok {
		t.Fatalf("data is not an object: %s", r.body)
	}
	return d
}

func (e *env) request(method, path string, body any, headers map[string]string) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: raw}
}

// do sends an authenticated request (authToken header).
func (e *env) do(method, path string, body any) response {
	e.t.Helper()
	return e.request(method, path, body, map[string]string{"authToken": e.token})
}

// upload sends a multipart attachment.
func (e *env) upload(companyID any, fileName string, content []byte) response {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("attachmentFile", fileName)
	if err != nil {
		e.t.Fatal(err)
	}
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v3/io/companies/%v/attachments", e.srv.URL, companyID), &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("authToken", e.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: raw}
}

// expect fails the test unless the answer has the status.
func expect(t *testing.T, r response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body: %s", r.status, status, r.body)
	}
}

// createCompany creates a company and returns its id.
func (e *env) createCompany(fields map[string]any) int64 {
	e.t.Helper()
	body := validCompany(randomHex(4))
	for k, v := range fields {
		body[k] = v
	}
	r := e.do("POST", "/api/v3/io/companies", body)
	expect(e.t, r, 200)
	return int64(r.data(e.t)["companyId"].(float64))
}

func validCompany(tag string) map[string]any {
	return map[string]any{
		"companyName":    "Acme " + tag,
		"companyPhone":   "555-0100",
		"companyEmail":   "office-" + tag + "@acme.example.com",
		"country":        "US",
		"adminFirstName": "Ada",
		"adminLastName":  "Admin",
		"adminEmail":     "ada-" + tag + "@acme.example.com",
	}
}

var (
	companySpecOnce sync.Once
	companySpec     *spectest.Spec
)

// vendorCompanySpec is company.yaml with the corrections docs/compatibility.md
// lists: companyId_string is a string in the vendor's examples.
func vendorCompanySpec(t *testing.T) *spectest.Spec {
	companySpecOnce.Do(func() {
		companySpec = spectest.Load(t, "api-v3/company/company.yaml")
		companySpec.Patch(func(doc *openapi3.T) {
			doc.Components.Schemas["companyId_string"].Value.Type = &openapi3.Types{"string"}
		})
	})
	return companySpec
}

// conform fails the test unless the answer matches the vendor's schema.
func conform(t *testing.T, r response, method, pathTemplate string) {
	t.Helper()
	if err := vendorCompanySpec(t).Validate(method, pathTemplate, r.status, r.body); err != nil {
		t.Errorf("%v\nbody: %s", err, r.body)
	}
}

var (
	userSpecOnce, superAdminSpecOnce sync.Once
	userSpec, superAdminSpec         *spectest.Spec
)

// vendorUserSpec is user.yaml with the corrections docs/compatibility.md
// lists for users: errMsgPost's alternatives overlap, so oneOf becomes anyOf
// (U4), and a bulk create's errMsg is an array aligned with the items (U5).
func vendorUserSpec(t *testing.T) *spectest.Spec {
	userSpecOnce.Do(func() {
		userSpec = spectest.Load(t, "api-v3/user/user.yaml")
		userSpec.Patch(func(doc *openapi3.T) {
			post := doc.Components.Schemas["errMsgPost"].Value
			post.AnyOf, post.OneOf = post.OneOf, nil
			items := openapi3.NewArraySchema()
			items.Items = openapi3.NewObjectSchema().NewRef()
			post.AnyOf = append(post.AnyOf, items.NewRef())
		})
	})
	return userSpec
}

// vendorSuperAdminSpec is super_admin.yaml as the vendor publishes it.
func vendorSuperAdminSpec(t *testing.T) *spectest.Spec {
	superAdminSpecOnce.Do(func() {
		superAdminSpec = spectest.Load(t, "api-v3/super_admin/super_admin.yaml")
	})
	return superAdminSpec
}

// conformUser fails the test unless the answer matches user.yaml.
func conformUser(t *testing.T, r response, method, pathTemplate string) {
	t.Helper()
	if err := vendorUserSpec(t).Validate(method, pathTemplate, r.status, r.body); err != nil {
		t.Errorf("%v\nbody: %s", err, r.body)
	}
}

// conformSuperAdmin fails the test unless the answer matches super_admin.yaml.
func conformSuperAdmin(t *testing.T, r response, method, pathTemplate string) {
	t.Helper()
	if err := vendorSuperAdminSpec(t).Validate(method, pathTemplate, r.status, r.body); err != nil {
		t.Errorf("%v\nbody: %s", err, r.body)
	}
}
