// Package api embeds Guild's OpenAPI document.
package api

import _ "embed"

//go:embed openapi.yaml
var openAPI []byte

// OpenAPI returns Guild's OpenAPI document (YAML).
func OpenAPI() []byte { return openAPI }
