package worldmap

import "math"

// The map's frame, in the units of its viewBox ("0 0 Width Height"). The
// outlines in land.path were projected with the same constants by
// gen/gen.js; keep the two in step.
const (
	// Width is the width of the viewBox: the equator, from 180°W to 180°E.
	Width = 1000
	// Height is the height of the viewBox, from North to South.
	Height = 446
	// North and South are the latitudes of the map's top and bottom
	// edges: Antarctica is left out, and Ellesmere Island and northern
	// Greenland stay in.
	North = 85.0
	South = -60.0
)

// scale is the number of viewBox units per unit of the raw projection,
// chosen so that the equator spans Width; top is the raw y of North.
var (
	scale = Width / (2 * rawX(math.Pi, 0))
	top   = rawY(North * math.Pi / 180)
)

// Project returns the point of the map, in viewBox units, for a latitude
// and a longitude in degrees, in the Natural Earth projection (Šavrič,
// Jenny, Patterson, Petrovič and Hurni, 2011): a compromise for world maps
// that, unlike an equirectangular map, does not stretch the north, and
// remains a pair of polynomials. Latitudes beyond North and South are
// brought back to those edges and longitudes are taken modulo 360°, so
// that every finite point falls inside the viewBox. A NaN gives NaN.
func Project(lat, lon float64) (x, y float64) {
	lat = max(South, min(North, lat))
	if lon < -180 || lon > 180 {
		lon = math.Remainder(lon, 360)
	}
	lambda, phi := lon*math.Pi/180, lat*math.Pi/180
	return Width/2 + scale*rawX(lambda, phi), scale * (top - rawY(phi))
}

// rawX and rawY are the Natural Earth projection of a longitude lambda
// and a latitude phi in radians, written term for term as in gen/gen.js
// (and d3-geo's geoNaturalEarth1Raw) so that both give the same numbers.
func rawX(lambda, phi float64) float64 {
	phi2 := phi * phi
	phi4 := phi2 * phi2
	return lambda * (0.8707 - 0.131979*phi2 + phi4*(-0.013791+phi4*(0.003971*phi2-0.001529*phi4)))
}

func rawY(phi float64) float64 {
	phi2 := phi * phi
	phi4 := phi2 * phi2
	return phi * (1.007226 + phi2*(0.015085+phi4*(-0.044475+0.028874*phi2-0.005916*phi4)))
}
