// gen.js writes ../land.path and ../testdata/cities.txt from the Natural
// Earth 1:110m countries of the world-atlas package. See README.md.
//
// The outlines are projected here, once, with the same Natural Earth
// projection and the same constants as project.go, so that markers placed
// by Project fall where the outlines put the land.
'use strict';

const fs = require('fs');
const path = require('path');
const topojson = require('topojson-client');
const world = require('world-atlas/countries-110m.json');

// The map's frame: keep in step with Width, North and South in
// project.go (TestLandFile and TestProjectMatchesGenerator check it).
const width = 1000;
const north = 85; // degrees: the map's top edge
const south = -60; // degrees: the map's bottom edge

// grid is the rounding step of the written coordinates, and tolerance
// the Douglas-Peucker tolerance of the simplification, both in viewBox
// units (1000 units = the map's width).
const grid = 0.5;
const tolerance = 0.6;
// minArea drops the islands smaller than this, in square units.
const minArea = 1.5;

// Antarctica is under the map's bottom edge.
const dropped = new Set(['Antarctica']);

// naturalEarth is the Natural Earth projection (Šavrič, Jenny, Patterson,
// Petrovič and Hurni, 2011) of a longitude and latitude in radians, as in
// d3-geo's geoNaturalEarth1Raw.
function naturalEarth(lambda, phi) {
  const phi2 = phi * phi;
  const phi4 = phi2 * phi2;
  return [
    lambda * (0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4))),
    phi * (1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4))),
  ];
}

const rad = Math.PI / 180;
const scale = width / (2 * naturalEarth(Math.PI, 0)[0]);
const top = naturalEarth(0, north * rad)[1];
const height = Math.ceil(scale * (top - naturalEarth(0, south * rad)[1]));

function project(lon, lat) {
  return plane(Math.max(-180, Math.min(180, lon)), lat);
}

// plane is project without the bounds on longitude, for measuring
// distances along lines that go past ±180 before they are cut there.
function plane(lon, lat) {
  lat = Math.max(south, Math.min(north, lat));
  const [x, y] = naturalEarth(lon * rad, lat * rad);
  return [width / 2 + scale * x, scale * (top - y)];
}

function round(v) {
  return Math.round(v / grid) * grid;
}

// simplify is Douglas-Peucker on one arc; it keeps both ends, so that
// neighbouring countries, which share their border arcs, keep the same
// border.
function simplify(pts) {
  const keep = new Array(pts.length).fill(false);
  keep[0] = keep[pts.length - 1] = true;
  const stack = [[0, pts.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop();
    let worst = -1;
    let at = -1;
    for (let i = a + 1; i < b; i++) {
      const d = distance(pts[i], pts[a], pts[b]);
      if (d > worst) {
        worst = d;
        at = i;
      }
    }
    if (worst > tolerance) {
      keep[at] = true;
      stack.push([a, at], [at, b]);
    }
  }
  return keep;
}

function distance(p, a, b) {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  if (len2 === 0) return Math.hypot(p[0] - a[0], p[1] - a[1]);
  const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

// unwrap shifts longitudes by whole turns so that no step of pts is
// longer than half a turn: a line that crosses the 180th meridian then
// goes on past ±180 instead of jumping across the map.
function unwrap(pts) {
  const out = [];
  let shift = 0;
  for (const [lon, lat] of pts) {
    if (out.length) {
      const step = lon + shift - out[out.length - 1][0];
      if (step > 180) shift -= 360;
      else if (step < -180) shift += 360;
    }
    out.push([lon + shift, lat]);
  }
  return out;
}

// clip returns the part of a ring on one side of a meridian, the side
// where inside(longitude) is true, Sutherland-Hodgman style.
function clip(ring, meridian, inside) {
  const out = [];
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % ring.length];
    const ina = inside(a[0]);
    const inb = inside(b[0]);
    if (ina) out.push(a);
    if (ina !== inb) {
      const t = (meridian - a[0]) / (b[0] - a[0]);
      out.push([meridian, a[1] + t * (b[1] - a[1])]);
    }
  }
  return out;
}

// split cuts a ring that crosses the 180th meridian (Russia's Chukotka,
// Wrangel Island and Fiji in the 110m data) into the parts on each side,
// each within -180..180.
function split(ring) {
  const open = unwrap(ring.slice(0, -1)); // without the closing point
  const lons = open.map((p) => p[0]);
  const lo = Math.min(...lons);
  const hi = Math.max(...lons);
  let parts = [open];
  if (hi > 180) {
    parts = [clip(open, 180, (x) => x <= 180), clip(open, 180, (x) => x >= 180).map(([x, y]) => [x - 360, y])];
  } else if (lo < -180) {
    parts = [clip(open, -180, (x) => x >= -180), clip(open, -180, (x) => x <= -180).map(([x, y]) => [x + 360, y])];
  }
  return parts.filter((p) => p.length >= 3);
}

// Decode the quantized, delta-encoded arcs and simplify them, measuring
// distances in the projected plane; topojson-client then assembles the
// countries from these arcs.
const [kx, ky] = world.transform.scale;
const [tx, ty] = world.transform.translate;
const arcs = world.arcs.map((arc) => {
  let qx = 0;
  let qy = 0;
  const lonlat = unwrap(
    arc.map(([dx, dy]) => {
      qx += dx;
      qy += dy;
      return [qx * kx + tx, qy * ky + ty];
    }),
  );
  const xy = lonlat.map(([lon, lat]) => plane(lon, lat));
  const keep = simplify(xy);
  return lonlat.filter((_, i) => keep[i]);
});
const topology = { type: 'Topology', objects: world.objects, arcs };

// area is the area of a ring without its closing point.
function area(ring) {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    s += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  }
  return Math.abs(s / 2);
}

// num writes a coordinate without its leading zero (.5, -.5), as SVG
// path data allows.
function num(v) {
  return String(Math.round(v / grid) * grid).replace(/^(-?)0\./, '$1.');
}

// ringPath writes a ring (without its closing point) as an absolute move
// then relative lines, which is shortest with coordinates this small.
function ringPath(pts) {
  let d = `M${num(pts[0][0])} ${num(pts[0][1])}l`;
  const parts = [];
  for (let i = 1; i < pts.length; i++) {
    const dx = pts[i][0] - pts[i - 1][0];
    const dy = pts[i][1] - pts[i - 1][1];
    if (Math.abs(dx) > width / 2) throw new Error('a ring crosses the antimeridian');
    parts.push(`${num(dx)} ${num(dy)}`);
  }
  // Negative numbers need no separator before their sign.
  d += parts.join(' ').replace(/ -/g, '-');
  return d + 'z';
}

const lines = [];
let rings = 0;
for (const g of world.objects.countries.geometries) {
  const name = g.properties.name;
  if (dropped.has(name)) continue;
  const f = topojson.feature(topology, g);
  if (!f.geometry) continue;
  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  let d = '';
  for (const poly of polys) {
    for (const lonlat of poly) {
      for (const part of split(lonlat)) {
        const ring = [];
        for (const [lon, lat] of part) {
          const [x, y] = project(lon, lat).map(round);
          if (x < 0 || x > width || y < 0 || y > height) throw new Error(`${name} leaves the map`);
          const last = ring[ring.length - 1];
          if (!last || last[0] !== x || last[1] !== y) ring.push([x, y]);
        }
        while (ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1]) ring.pop();
        if (ring.length < 3 || area(ring) < minArea) continue;
        d += ringPath(ring);
        rings++;
      }
    }
  }
  if (d) lines.push(`${g.id || '-'}\t${name}\t${d}`);
}
lines.sort();

const header = [
  `# Countries of Natural Earth 1:110m (public domain) from world-atlas ${require('world-atlas/package.json').version},`,
  `# in the Natural Earth projection, ${north}°N to ${-south}°S, viewBox 0 0 ${width} ${height}.`,
  '# One country a line: ISO 3166-1 numeric code (- if none), name, SVG path data.',
  '# Written by gen/gen.js: do not edit by hand.',
];
const dir = path.join(__dirname, '..');
fs.writeFileSync(path.join(dir, 'land.path'), header.concat(lines).join('\n') + '\n');

// The fixture for project_test.go: the projection of a few cities, unrounded.
const cities = [
  ['Paris', 48.8566, 2.3522],
  ['Tokyo', 35.6762, 139.6503],
  ['New-York', 40.7128, -74.006],
  ['Dakar', 14.7167, -17.4677],
  ['Mexico', 19.4326, -99.1332],
  ['Munich', 48.1351, 11.582],
  ['Sao-Paulo', -23.5505, -46.6333],
  ['Beijing', 39.9042, 116.4074],
  ['Mumbai', 19.076, 72.8777],
  ['Quebec', 46.8139, -71.208],
  ['Null-Island', 0, 0],
  ['North-Pole', 90, 0],
  ['South-Pole', -90, 180],
  ['Far-West', 0, -180],
];
const fixture = ['# name lat lon x y, from gen/gen.js'];
for (const [name, lat, lon] of cities) {
  const [x, y] = project(lon, lat);
  fixture.push(`${name} ${lat} ${lon} ${x} ${y}`);
}
fs.writeFileSync(path.join(dir, 'testdata', 'cities.txt'), fixture.join('\n') + '\n');

console.log(`viewBox 0 0 ${width} ${height}, ${lines.length} countries, ${rings} rings, scale ${scale}, top ${top}`);
