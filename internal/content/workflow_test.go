package content

import (
	"errors"
	"testing"
	"time"

	"portail/internal/apperr"
)

func TestAllow(t *testing.T) {
	editor := Actor{Name: "ed", Write: true}
	reviewer := Actor{Name: "rev", Approve: true}
	admin := Actor{Name: "adm", Admin: true}
	nobody := Actor{Name: "x"}
	draft := Revision{Author: "ed", State: Draft}
	review := Revision{Author: "ed", State: Review}
	byReviewer := Revision{Author: "rev", State: Review}
	byAdmin := Revision{Author: "adm", State: Review}
	published := Revision{Author: "ed", State: Published}
	scheduled := Revision{Author: "ed", State: Review, PublishAt: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)}

	cases := []struct {
		name   string
		a      Actor
		act    Action
		r      Revision
		reason string
		want   error // nil, apperr.Forbidden or apperr.Invalid
		key    string
	}{
		{"editor saves a draft", editor, ActSave, Revision{}, "", nil, ""},
		{"no role cannot save", nobody, ActSave, Revision{}, "", apperr.Forbidden, "workflow.forbidden"},
		{"editor submits a draft", editor, ActSubmit, draft, "", nil, ""},
		{"submit needs a draft", editor, ActSubmit, review, "", apperr.Invalid, "workflow.state"},
		{"editor cannot publish", editor, ActPublish, review, "", apperr.Forbidden, "workflow.forbidden"},
		{"reviewer publishes another's change", reviewer, ActPublish, review, "", nil, ""},
		{"reviewer cannot publish own change", reviewer, ActPublish, byReviewer, "", apperr.Forbidden, "workflow.self_approval"},
		{"reviewer's reason does not help", reviewer, ActPublish, byReviewer, "urgent", apperr.Forbidden, "workflow.self_approval"},
		{"admin publishes own change with a reason", admin, ActPublish, byAdmin, "Correction urgente", nil, ""},
		{"admin needs a reason for own change", admin, ActPublish, byAdmin, "  ", apperr.Invalid, "workflow.reason.required"},
		{"admin publishes another's change without reason", admin, ActPublish, review, "", nil, ""},
		{"publish needs review", reviewer, ActPublish, draft, "", apperr.Invalid, "workflow.state"},
		{"reviewer sends back", reviewer, ActReturn, review, "", nil, ""},
		{"author takes back own change", editor, ActReturn, review, "", nil, ""},
		{"other editor cannot send back", Actor{Name: "ed2", Write: true}, ActReturn, review, "", apperr.Forbidden, ""},
		{"editor cannot withdraw a public page", editor, ActArchive, published, "", apperr.Forbidden, ""},
		{"reviewer withdraws a public page", reviewer, ActArchive, published, "", nil, ""},
		{"editor shelves a draft", editor, ActArchive, draft, "", nil, ""},
		{"reviewer unschedules", reviewer, ActUnschedule, scheduled, "", nil, ""},
		{"unschedule needs a schedule", reviewer, ActUnschedule, review, "", apperr.Invalid, ""},
		{"editor cannot unschedule", editor, ActUnschedule, scheduled, "", apperr.Forbidden, ""},
		{"unknown action", admin, Action("delete"), draft, "", apperr.Invalid, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Allow(tc.a, tc.act, tc.r, tc.reason)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("error = %v, want %v", err, tc.want)
			}
			if tc.key != "" {
				p := apperr.ProblemsOf(err)
				if p["workflow"] != tc.key && p["reason"] != tc.key {
					t.Fatalf("problems = %v, want %s", p, tc.key)
				}
			}
		})
	}
}

func TestApprovalFor(t *testing.T) {
	admin := Actor{Name: "adm", Admin: true}
	if ap := ApprovalFor(admin, Revision{Author: "adm"}, " Urgence "); ap.By != "adm" || ap.Reason != "Urgence" {
		t.Fatalf("own change: %+v", ap)
	}
	if ap := ApprovalFor(admin, Revision{Author: "ed"}, "ignored"); ap.Reason != "" {
		t.Fatalf("another's change keeps a reason: %+v", ap)
	}
}
