package e2e

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"portail/internal/testenv"
)

// TestHTMLValid fetches every page of the crawl over plain HTTP (for post
// states, submitting their forms) and runs the Nu HTML Checker once on all
// of them.
func TestHTMLValid(t *testing.T) {
	t.Parallel()
	jar := npmFile(t, "vnu-jar/build/dist/vnu.jar")
	java, err := exec.LookPath("java")
	if err != nil {
		testenv.Missing(t, "java not installed: apt-get install default-jre-headless")
	}
	a := newApp(t)
	dir := t.TempDir()
	files := map[string]string{} // file path → page state
	for i, tg := range crawlTargets(t, a) {
		res := a.fetch(t, tg)
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != tg.status {
			t.Errorf("%s: status %d, want %d", tg.key(), res.StatusCode, tg.status)
		}
		if m := missingMarksHTML(body, tg); len(m) > 0 {
			t.Errorf("%s: the page lacks %s: not the state the crawl means to check", tg.key(), strings.Join(m, ", "))
		}
		name := filepath.Join(dir, fmt.Sprintf("%03d-%s.html", i, tg.name()))
		if err := os.WriteFile(name, body, 0o644); err != nil {
			t.Fatal(err)
		}
		files[name] = tg.key()
	}

	cmd := exec.CommandContext(t.Context(), java, "-jar", jar, "--errors-only", "--format", "text", dir)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("running the Nu HTML Checker: %v\n%s", err, out)
	}
	if err == nil { // exit status 0: no error
		return
	}
	report := strings.TrimSpace(string(out))
	// The checker names files as file: URLs; show page URLs instead,
	// longest names first so that no name replaces a part of another.
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	for _, name := range names {
		report = strings.ReplaceAll(report, "file:"+filepath.ToSlash(name), files[name])
		report = strings.ReplaceAll(report, name, files[name])
	}
	t.Errorf("the Nu HTML Checker found errors (exit %v):\n%s", err, report)
}
