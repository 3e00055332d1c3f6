// Package testenv decides what a test does when something it needs (a
// browser, Java, the npm test tools, a database server) is missing: skip
// with the reason on a developer's machine, fail in CI, where a skip
// would pass a gate that never ran.
package testenv

import (
	"os"
	"testing"
)

// CI reports whether the tests run in continuous integration: the CI
// environment variable is set to anything but "" or "false", as CI
// services do.
func CI() bool {
	v := os.Getenv("CI")
	return v != "" && v != "false"
}

// Missing stops t because what it needs is absent; reason says what and
// how to install it. Outside CI, t is skipped; in CI, it fails.
func Missing(t testing.TB, reason string) {
	t.Helper()
	if CI() {
		t.Fatalf("%s (CI is set: a test that cannot run fails)", reason)
	}
	t.Skip(reason)
}
