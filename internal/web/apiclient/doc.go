// Package apiclient is the Go client oapi-codegen generates from the API's
// openapi.json, as a customer's developer would generate it:
//
//	go tool oapi-codegen -generate types,client -package apiclient openapi.json > client.gen.go
//
// internal/web's TestGeneratedClientIsCurrent regenerates it from the
// document the app serves and fails when client.gen.go differs
// (APICLIENT_UPDATE=1 writes it anew); TestGeneratedClientRunsAnOrder
// drives an order through its life with it against a running server.
package apiclient
