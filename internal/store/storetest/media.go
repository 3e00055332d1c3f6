package storetest

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
	"time"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/media"
	"portail/internal/store"
)

func mediaTests() []Test {
	return []Test{
		{"MediaPublishAndWithdrawAreAudited", testMediaPublishWithdraw},
		{"MediaPublishedLookupNeverReturnsUnpublished", testPublishedMediaLookup},
		{"MediaDeleteUnused", testMediaDeleteUnused},
		{"MediaDeleteUsedIsRefusedWithThePages", testMediaDeleteUsed},
		{"MediaNotFoundKinds", testMediaNotFound},
	}
}

// mustMedia saves a PNG whose bytes are its own (n tells them apart).
func mustMedia(t *testing.T, s store.Store, name string, n int) media.File {
	t.Helper()
	f, ok := media.New(name, append(bytes.Clone(pngData), fmt.Sprint(n)...))
	if !ok {
		t.Fatal("media.New refused a PNG")
	}
	saved, err := s.SaveMedia(ctx, f, by)
	if err != nil {
		t.Fatalf("SaveMedia(%s): %v", name, err)
	}
	return saved
}

func auditOfTarget(t *testing.T, s store.Store, a audit.Action, id int64) []audit.Entry {
	t.Helper()
	es, err := s.AuditLog(ctx, audit.Filter{Action: a, Target: fmt.Sprint(id)})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func listed(t *testing.T, s store.Store, id int64) (media.File, bool) {
	t.Helper()
	list, err := s.ListMedia(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range list {
		if f.ID == id {
			return f, true
		}
	}
	return media.File{}, false
}

func testMediaPublishWithdraw(t *testing.T, s store.Store, clock *Clock) {
	f := mustMedia(t, s, "Carte du réseau.png", 1)
	if f.IsPublished() {
		t.Fatal("a new upload is published")
	}
	clock.Advance(time.Hour)
	pub, err := s.PublishMedia(ctx, f.ID, by)
	if err != nil {
		t.Fatal(err)
	}
	if pub.ID != f.ID || pub.Name != f.Name || !pub.Published.Equal(clock.T) || pub.Data != nil {
		t.Fatalf("PublishMedia = %+v, want the file published at %v, without its data", pub, clock.T)
	}
	if got, _ := listed(t, s, f.ID); !got.Published.Equal(clock.T) {
		t.Fatalf("ListMedia shows published %v, want %v", got.Published, clock.T)
	}
	if got, err := s.MediaFile(ctx, f.ID); err != nil || !got.Published.Equal(clock.T) {
		t.Fatalf("MediaFile = %+v, %v", got.Published, err)
	}
	es := auditOfTarget(t, s, audit.MediaPublish, f.ID)
	if len(es) != 1 || es[0].Actor != by.Actor || es[0].IP != by.IP || es[0].Detail != f.Name || !es[0].Time.Equal(clock.T) {
		t.Fatalf("publish entries %+v", es)
	}
	// Publishing twice is refused, and writes nothing.
	clock.Advance(time.Minute)
	_, err = s.PublishMedia(ctx, f.ID, by)
	wantKind(t, err, apperr.Conflict)
	if got, _ := listed(t, s, f.ID); !got.Published.Equal(pub.Published) {
		t.Fatalf("a refused publish moved the publication time to %v", got.Published)
	}
	if es := auditOfTarget(t, s, audit.MediaPublish, f.ID); len(es) != 1 {
		t.Fatalf("a refused publish was audited: %d entries", len(es))
	}

	if err := s.WithdrawMedia(ctx, f.ID, by); err != nil {
		t.Fatal(err)
	}
	if got, _ := listed(t, s, f.ID); got.IsPublished() {
		t.Fatal("a withdrawn file is listed as published")
	}
	// Staff still have it.
	if got, err := s.MediaFile(ctx, f.ID); err != nil || !bytes.Equal(got.Data, f.Data) {
		t.Fatalf("MediaFile after withdrawal: %v", err)
	}
	if es := auditOfTarget(t, s, audit.MediaWithdraw, f.ID); len(es) != 1 || es[0].Actor != by.Actor || es[0].Detail != f.Name {
		t.Fatalf("withdraw entries %+v", es)
	}
	wantKind(t, s.WithdrawMedia(ctx, f.ID, by), apperr.Conflict)
	if es := auditOfTarget(t, s, audit.MediaWithdraw, f.ID); len(es) != 1 {
		t.Fatalf("a refused withdrawal was audited: %d entries", len(es))
	}

	// Published again, it carries the new time.
	clock.Advance(24 * time.Hour)
	again, err := s.PublishMedia(ctx, f.ID, by)
	if err != nil || !again.Published.Equal(clock.T) {
		t.Fatalf("republish = %v, %v; want published at %v", again.Published, err, clock.T)
	}
}

func testPublishedMediaLookup(t *testing.T, s store.Store, _ *Clock) {
	never := mustMedia(t, s, "jamais.png", 1)
	published := mustMedia(t, s, "publie.png", 2)
	withdrawn := mustMedia(t, s, "retire.png", 3)
	for _, f := range []media.File{published, withdrawn} {
		if _, err := s.PublishMedia(ctx, f.ID, by); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.WithdrawMedia(ctx, withdrawn.ID, by); err != nil {
		t.Fatal(err)
	}
	got, err := s.PublishedMedia(ctx, published.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Data, published.Data) || got.Type != media.PNG || got.Name != published.Name ||
		got.SHA256 != published.SHA256 || got.Size != published.Size || !got.IsPublished() {
		t.Fatalf("PublishedMedia = %+v", got)
	}
	for _, f := range []media.File{never, withdrawn} {
		_, err := s.PublishedMedia(ctx, f.ID)
		wantKind(t, err, apperr.NotFound)
	}
}

func testMediaDeleteUnused(t *testing.T, s store.Store, clock *Clock) {
	keep := mustMedia(t, s, "garder.png", 1)
	gone := mustMedia(t, s, "supprimer.png", 2)
	if _, err := s.PublishMedia(ctx, gone.ID, by); err != nil {
		t.Fatal(err)
	}
	// A page that uses another file does not hold this one, even when one
	// ID is the prefix of the other.
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	r := rev("mission", lang.FR, "ministere/mission", "Mission")
	r.Body = fmt.Sprintf("![Carte](/fichiers/%d/garder.png) [%d](/admin/media/%d0)", keep.ID, gone.ID, gone.ID)
	mustSave(t, s, r)

	clock.Advance(time.Hour)
	uses, err := s.DeleteMedia(ctx, gone.ID, by)
	if err != nil || len(uses) != 0 {
		t.Fatalf("DeleteMedia = %v, %v", uses, err)
	}
	_, err = s.MediaFile(ctx, gone.ID)
	wantKind(t, err, apperr.NotFound)
	_, err = s.PublishedMedia(ctx, gone.ID)
	wantKind(t, err, apperr.NotFound)
	if _, ok := listed(t, s, gone.ID); ok {
		t.Fatal("a deleted file is listed")
	}
	if _, ok := listed(t, s, keep.ID); !ok {
		t.Fatal("deleting one file removed another")
	}
	es := auditOfTarget(t, s, audit.MediaDelete, gone.ID)
	if len(es) != 1 || es[0].Actor != by.Actor || es[0].IP != by.IP || !es[0].Time.Equal(clock.T) ||
		!bytes.Contains([]byte(es[0].Detail), []byte(gone.SHA256)) {
		t.Fatalf("delete entries %+v: want one naming the file's SHA-256", es)
	}
	// Gone is gone.
	_, err = s.DeleteMedia(ctx, gone.ID, by)
	wantKind(t, err, apperr.NotFound)
}

func testMediaDeleteUsed(t *testing.T, s store.Store, _ *Clock) {
	f := mustMedia(t, s, "carte.png", 1)
	other := mustMedia(t, s, "autre.png", 2)
	if _, err := s.PublishMedia(ctx, f.ID, by); err != nil {
		t.Fatal(err)
	}
	body := func(format string) string { return fmt.Sprintf(format, f.ID) }
	for _, key := range []string{"brouillon", "publiee", "personnel", "archivee"} {
		mustPage(t, s, key, content.SectionDepartment, 0)
	}
	// A draft through the French public URL, twice: the newest revision
	// is the one named.
	r := rev("brouillon", lang.FR, "ministere/brouillon", "Ancien titre")
	r.Body = body("![Carte](/fichiers/%d/carte.png)")
	mustSave(t, s, r)
	r.Title, r.Body = "Brouillon", body("Voir [la carte](/fichiers/%d/nom-ancien.png).")
	draft := mustSave(t, s, r)
	// A published English page through the English URL, inside a full URL.
	r = rev("publiee", lang.EN, "department/published", "Published")
	r.Body = body("<https://www.example.gouv.qc.ca/files/%d/carte.png>")
	published := mustSave(t, s, r)
	mustPublish(t, s, published.ID)
	// The staff URL counts too.
	r = rev("personnel", lang.FR, "ministere/personnel", "Personnel")
	r.Body = body("![Carte](/admin/media/%d)")
	staff := mustSave(t, s, r)
	// An archived revision does not.
	r = rev("archivee", lang.FR, "ministere/archivee", "Archivée")
	r.Body = body("![Carte](/fichiers/%d/carte.png)")
	archived := mustSave(t, s, r)
	mustStep(t, s, superuser, archived.ID, content.Request{Action: content.ActArchive})

	want := []media.Use{
		{PageKey: "brouillon", Lang: lang.FR, RevisionID: draft.ID, Title: "Brouillon"},
		{PageKey: "personnel", Lang: lang.FR, RevisionID: staff.ID, Title: "Personnel"},
		{PageKey: "publiee", Lang: lang.EN, RevisionID: published.ID, Title: "Published"},
	}
	uses, err := s.DeleteMedia(ctx, f.ID, by)
	wantKind(t, err, apperr.Conflict)
	if !slices.Equal(uses, want) {
		t.Fatalf("DeleteMedia uses = %+v\nwant %+v", uses, want)
	}
	all, err := s.MediaUses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(all[f.ID], want) || len(all[other.ID]) != 0 {
		t.Fatalf("MediaUses = %+v", all)
	}
	// Nothing was deleted, withdrawn or audited as deleted.
	if got, err := s.PublishedMedia(ctx, f.ID); err != nil || !bytes.Equal(got.Data, f.Data) {
		t.Fatalf("a refused delete lost the file: %v", err)
	}
	if es := auditOfTarget(t, s, audit.MediaDelete, f.ID); len(es) != 0 {
		t.Fatalf("a refused delete was audited: %+v", es)
	}

	// Once every page has let go of it, it can be deleted.
	for _, id := range []int64{draft.ID, published.ID, staff.ID} {
		mustStep(t, s, superuser, id, content.Request{Action: content.ActArchive})
	}
	// The draft's older revision still refers to the file.
	uses, err = s.DeleteMedia(ctx, f.ID, by)
	wantKind(t, err, apperr.Conflict)
	if len(uses) != 1 || uses[0].PageKey != "brouillon" || uses[0].Title != "Ancien titre" {
		t.Fatalf("uses after archiving = %+v, want the older draft", uses)
	}
	revs, _ := s.Revisions(ctx, "brouillon", lang.FR)
	mustStep(t, s, superuser, revs[len(revs)-1].ID, content.Request{Action: content.ActArchive})
	if _, err := s.DeleteMedia(ctx, f.ID, by); err != nil {
		t.Fatalf("delete after every page let go: %v", err)
	}
}

func testMediaNotFound(t *testing.T, s store.Store, _ *Clock) {
	const id = 4242
	_, err := s.PublishMedia(ctx, id, by)
	wantKind(t, err, apperr.NotFound)
	wantKind(t, s.WithdrawMedia(ctx, id, by), apperr.NotFound)
	_, err = s.DeleteMedia(ctx, id, by)
	wantKind(t, err, apperr.NotFound)
	_, err = s.PublishedMedia(ctx, id)
	wantKind(t, err, apperr.NotFound)
	_, err = s.MediaFile(ctx, id)
	wantKind(t, err, apperr.NotFound)
	// A page referring to a file that does not exist does not make it
	// exist, nor turn NotFound into Conflict.
	mustPage(t, s, "mission", content.SectionDepartment, 0)
	r := rev("mission", lang.FR, "ministere/mission", "Mission")
	r.Body = fmt.Sprintf("![x](/fichiers/%d/x.png)", id)
	mustSave(t, s, r)
	_, err = s.DeleteMedia(ctx, id, by)
	wantKind(t, err, apperr.NotFound)
	for _, a := range []audit.Action{audit.MediaPublish, audit.MediaWithdraw, audit.MediaDelete} {
		if es := auditOfTarget(t, s, a, id); len(es) != 0 {
			t.Errorf("%s on a missing file was audited", a)
		}
	}
}
