// Package templates holds the HTML templates and static files, embedded in
// the binary. Template names include their folder: "orders/show".
package templates

import "embed"

// FS holds every template and static file.
//
//go:embed layouts partials apidocs auth admin account errors home static apply applications customers catalog stock orders invoices shipping search payments receivables bank returns_portal returns complaints_portal complaints
var FS embed.FS
