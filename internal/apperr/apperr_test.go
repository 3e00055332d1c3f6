package apperr

import (
	"errors"
	"fmt"
	"testing"
)

func TestKindsMatchThroughWrapping(t *testing.T) {
	err := fmt.Errorf("store: page %q: %w", "x", New(NotFound, "no page"))
	if !errors.Is(err, NotFound) {
		t.Fatal("errors.Is(err, NotFound) = false")
	}
	if errors.Is(err, Conflict) {
		t.Fatal("errors.Is(err, Conflict) = true")
	}
	if KindOf(err) != NotFound {
		t.Fatalf("KindOf = %v", KindOf(err))
	}
	if KindOf(errors.New("boom")) != Internal {
		t.Fatal("plain errors must be Internal")
	}
}

func TestProblems(t *testing.T) {
	p := Problems{}
	if p.Err() != nil {
		t.Fatal("empty problems must give nil")
	}
	p.Add("title", "form.required")
	p.Add("title", "form.other")
	err := p.Err()
	if KindOf(err) != Invalid || ProblemsOf(err)["title"] != "form.required" {
		t.Fatalf("got %v", err)
	}
}
