// Package e2e holds the quality gates that look at the site as a visitor
// does: every page the server routes, and the forms that come back with
// their errors once submitted, in headless Chromium (axe-core at a desktop
// and a phone width, no sideways scrolling on a phone, keyboard
// navigation, no script running from published content or typed into
// forms) and through the Nu HTML Checker.
//
// The tests start the whole server on a fresh, seeded SQLite database. They
// skip with a message when Chromium, Java or the npm test tools (axe-core,
// vnu-jar, pinned in package.json) are absent, and fail instead when the CI
// environment variable is set (internal/testenv); .ci/run installs them.
//
// PORTAIL_SCREENSHOTS=DIR makes the accessibility crawl write a full-page
// PNG of every page at every width into DIR.
package e2e
