package policy

import (
	"cmp"
	"slices"
)

// InForce returns the documents in force on day d: the latest Policy
// launched on or before d, and the Updates launched on or before d and
// not before that policy, by launch date then ID. An update launched on
// the policy's own day counts as one of it: the policy it would otherwise
// update ended that day. Without a policy launched by d, there is none in
// force and no update either.
//
// policy points into docs.
func InForce(docs []Document, d Date) (policy *Document, updates []Document) {
	for i := range docs {
		doc := &docs[i]
		if doc.Kind != Policy || d.Before(doc.Launched) {
			continue
		}
		if policy == nil || Compare(*policy, *doc) < 0 {
			policy = doc
		}
	}
	if policy == nil {
		return nil, nil
	}
	for _, doc := range docs {
		if doc.Kind == Update && !doc.Launched.Before(policy.Launched) && !d.Before(doc.Launched) {
			updates = append(updates, doc)
		}
	}
	slices.SortFunc(updates, Compare)
	return policy, updates
}

// Compare orders documents by launch date, then ID: the order of
// store.Policies and of the page's history.
func Compare(a, b Document) int {
	if c := cmp.Compare(a.Launched.String(), b.Launched.String()); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}
