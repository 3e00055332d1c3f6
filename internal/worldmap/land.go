package worldmap

import (
	_ "embed"
	"strconv"
	"strings"
	"sync"
)

// landFile holds the country outlines, one country a line: ISO 3166-1
// numeric code, name and SVG path data, tab-separated, already projected
// (see gen/README.md).
//
//go:embed land.path
var landFile string

// basemap is the markup of the sea and the land, the same for every map,
// built once.
var basemap = sync.OnceValue(func() string {
	var b strings.Builder
	b.WriteString(`<g aria-hidden="true"><path class="worldmap-sea" fill="#f1f5f9" d="`)
	b.WriteString(seaPath())
	b.WriteString(`"/><path class="worldmap-land" fill="#d6dde6" stroke="#fff" stroke-width="0.75" stroke-linejoin="round" vector-effect="non-scaling-stroke" d="`)
	for line := range strings.Lines(landFile) {
		if strings.HasPrefix(line, "#") {
			continue
		}
		if i := strings.LastIndexByte(line, '\t'); i >= 0 {
			b.WriteString(strings.TrimSuffix(line[i+1:], "\n"))
		}
	}
	b.WriteString(`"/></g>`)
	return b.String()
})

// seaPath outlines the globe between South and North: the 180th meridian
// on each side, curved in this projection, and the two parallels, which
// are straight.
func seaPath() string {
	var b []byte
	pt := func(cmd byte, lat, lon float64) {
		x, y := Project(lat, lon)
		b = append(b, cmd)
		b = appendNum(b, x)
		b = append(b, ' ')
		b = appendNum(b, y)
	}
	pt('M', South, -180)
	for lat := South + 5; lat <= North; lat += 5 {
		pt('L', lat, -180)
	}
	for lat := North; lat >= South; lat -= 5 {
		pt('L', lat, 180)
	}
	return string(append(b, 'Z'))
}

// appendNum writes v rounded to a tenth of a unit, without a trailing ".0".
func appendNum(b []byte, v float64) []byte {
	if v > -0.05 && v < 0.05 {
		v = 0 // not "-0"
	}
	b = strconv.AppendFloat(b, v, 'f', 1, 64)
	if n := len(b); b[n-2] == '.' && b[n-1] == '0' {
		b = b[:n-2]
	}
	return b
}
