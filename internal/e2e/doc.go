// Package e2e holds the browser tests: journeys of each role through the
// real server, driven in headless Chromium, with axe-core's accessibility
// checks and a phone-width check on every page they visit. The package has
// no code of its own; its tests are in the _test.go files.
package e2e
