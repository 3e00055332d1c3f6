package worldmap

import "math"

// place is where a marker goes: (ax, ay) is its projected position and
// (x, y) where it is drawn, moved aside if its touch target would overlap
// another's.
type place struct {
	i      int // index in the markers given to Render
	ax, ay float64
	x, y   float64
}

// moved says whether the marker is drawn away from its position, so that
// a leader line must show where it belongs.
func (p place) moved() bool {
	return dist(p.ax, p.ay, p.x, p.y) > dotRadius/2
}

// gap is the least distance between two markers' centres: their touch
// targets touch but do not overlap.
const gap = 2 * hitRadius

// maxSpread bounds the markers that spread moves apart, as its work grows
// with the square of their number; the map has room for about that many
// touch targets side by side, and a network of offices has far fewer.
// Beyond it markers stay where they are, overlapping, each still a link.
const maxSpread = 100

// layout places the markers with finite coordinates.
func layout(markers []Marker) []place {
	ps := make([]place, 0, len(markers))
	for i, m := range markers {
		if math.IsNaN(m.Lat) || math.IsInf(m.Lat, 0) || math.IsNaN(m.Lon) || math.IsInf(m.Lon, 0) {
			continue
		}
		x, y := Project(m.Lat, m.Lon)
		cx, cy := inside(x, y)
		ps = append(ps, place{i: i, ax: x, ay: y, x: cx, y: cy})
	}
	if len(ps) <= maxSpread {
		spread(ps)
	}
	return ps
}

// spread moves markers apart so that no two touch targets overlap, and
// as little as it can: each round pushes every overlapping pair apart by
// their overlap, then pulls each marker back towards its position, less
// and less, the last rounds only pushing. Then markers swap places when
// that shortens their leader lines, and move back towards their
// positions where there is room, a few times over, swaps last so that no
// two leader lines cross. The result depends only on the markers, in
// their order.
func spread(ps []place) {
	const rounds, settle = 400, 200
	for r := range rounds + settle {
		pull := 0.0
		if r < rounds {
			pull = 0.1 * (1 - float64(r)/rounds)
		}
		moved := false
		for i := range ps {
			for j := i + 1; j < len(ps); j++ {
				dx, dy := ps[j].x-ps[i].x, ps[j].y-ps[i].y
				if dx >= gap || dx <= -gap || dy >= gap || dy <= -gap {
					continue // far apart, as most are: spare the square root
				}
				d2 := dx*dx + dy*dy
				if d2 >= (gap-0.01)*(gap-0.01) {
					continue
				}
				d := math.Sqrt(d2)
				var ux, uy float64
				if d < 1e-6 {
					ux, uy = math.Cos(float64(j)*goldenAngle), math.Sin(float64(j)*goldenAngle)
				} else {
					ux, uy = dx/d, dy/d
				}
				step := (gap - d) / 2
				ps[i].x, ps[i].y = inside(ps[i].x-ux*step, ps[i].y-uy*step)
				ps[j].x, ps[j].y = inside(ps[j].x+ux*step, ps[j].y+uy*step)
				moved = true
			}
		}
		if !moved && r >= rounds {
			break
		}
		for k := range ps {
			p := &ps[k]
			p.x, p.y = inside(p.x+pull*(p.ax-p.x), p.y+pull*(p.ay-p.y))
		}
	}
	for range 3 {
		uncross(ps)
		goHome(ps)
	}
	uncross(ps)
}

// uncross swaps markers' places while that shortens their leader lines:
// two crossing lines are always longer than the two swapped ones.
// Swapping keeps the set of places, so no targets come to overlap.
func uncross(ps []place) {
	for range 100 {
		swapped := false
		for a := range ps {
			for b := a + 1; b < len(ps); b++ {
				p, q := &ps[a], &ps[b]
				now := dist(p.ax, p.ay, p.x, p.y) + dist(q.ax, q.ay, q.x, q.y)
				then := dist(p.ax, p.ay, q.x, q.y) + dist(q.ax, q.ay, p.x, p.y)
				if then < now-1e-9 {
					p.x, q.x = q.x, p.x
					p.y, q.y = q.y, p.y
					swapped = true
				}
			}
		}
		if !swapped {
			return
		}
	}
}

// goHome moves each marker that was moved aside back towards its
// position, as far as it can go without its target overlapping another.
func goHome(ps []place) {
	free := func(k int, x, y float64) bool {
		for o := range ps {
			if o != k && dist(x, y, ps[o].x, ps[o].y) < gap-0.01 {
				return false
			}
		}
		return true
	}
	for k := range ps {
		p := &ps[k]
		hx, hy := inside(p.ax, p.ay)
		if p.x == hx && p.y == hy {
			continue
		}
		lo, hi := 0.0, 1.0 // lo: a fraction of the way home known free
		if free(k, hx, hy) {
			lo = 1
		} else {
			for range 20 {
				mid := (lo + hi) / 2
				if free(k, p.x+mid*(hx-p.x), p.y+mid*(hy-p.y)) {
					lo = mid
				} else {
					hi = mid
				}
			}
		}
		p.x, p.y = p.x+lo*(hx-p.x), p.y+lo*(hy-p.y)
	}
}

// goldenAngle turns markers at the same point apart in different
// directions.
const goldenAngle = 2.399963229728653

// inside brings a marker's centre to where its whole touch target is
// inside the viewBox.
func inside(x, y float64) (float64, float64) {
	return max(hitRadius, min(Width-hitRadius, x)), max(hitRadius, min(Height-hitRadius, y))
}

// dist is the distance between two points of the viewBox, where
// math.Hypot's care for overflow is not needed.
func dist(x1, y1, x2, y2 float64) float64 {
	dx, dy := x2-x1, y2-y1
	return math.Sqrt(dx*dx + dy*dy)
}
