import fs from 'node:fs';
import {feature} from 'topojson-client';
import {geoCentroid, geoArea} from 'd3-geo';
const topo = JSON.parse(fs.readFileSync('node_modules/world-atlas/countries-50m.json'));
const fc = feature(topo, topo.objects.countries);
const rows = [];
for (const f of fc.features) {
  if (!f.id) continue;
  // The centroid of the largest polygon: a country's mainland, not the middle of its islands.
  let g = f.geometry;
  if (g.type === 'MultiPolygon') {
    let best = null, area = -1;
    for (const p of g.coordinates) { const a = geoArea({type:'Polygon', coordinates:p}); if (a > area) { area = a; best = p; } }
    g = {type:'Polygon', coordinates: best};
  }
  const [lon, lat] = geoCentroid({type:'Feature', geometry:g});
  rows.push(`${f.id},${lat.toFixed(2)},${lon.toFixed(2)},${f.properties.name}`);
}
rows.sort();
fs.writeFileSync('centroids.csv', 'm49,latitude,longitude,name\n' + rows.join('\n') + '\n');
console.log(rows.length);
