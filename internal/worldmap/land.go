package worldmap

import _ "embed"

// landFile holds the country outlines, one country a line: ISO 3166-1
// numeric code, name and SVG path data, tab-separated, already projected
// (see gen/README.md).
//
//go:embed land.path
var landFile string
