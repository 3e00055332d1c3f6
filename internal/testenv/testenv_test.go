package testenv

import (
	"runtime"
	"testing"
)

// stopped records how Missing stopped a test without stopping this one.
type stopped struct {
	testing.TB
	skipped, failed bool
}

func (s *stopped) Helper()               {}
func (s *stopped) Skip(...any)           { s.skipped = true; runtime.Goexit() }
func (s *stopped) Fatalf(string, ...any) { s.failed = true; runtime.Goexit() }

func missing(t *testing.T) *stopped {
	s := &stopped{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Missing(s, "chromium not installed")
	}()
	<-done
	return s
}

func TestMissing(t *testing.T) {
	for _, tc := range []struct {
		ci           string
		skip, failed bool
	}{
		{"", true, false},
		{"false", true, false},
		{"true", false, true},
		{"1", false, true},
	} {
		t.Run("CI="+tc.ci, func(t *testing.T) {
			t.Setenv("CI", tc.ci)
			s := missing(t)
			if s.skipped != tc.skip || s.failed != tc.failed {
				t.Fatalf("skipped %v, failed %v; want %v, %v", s.skipped, s.failed, tc.skip, tc.failed)
			}
		})
	}
}
