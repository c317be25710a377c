// Charts are Vega-Lite specifications, compiled to Vega and rendered headless to SVG by Vega's own
// scenegraph renderer; resvg rasterizes the SVG to PNG. No canvas and no browser are involved.
import { writeFile } from 'node:fs/promises';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** PNGs are drawn at twice the SVG's size, for sharp text on high-density screens. */
const PNG_ZOOM = 2;
/** A font every Debian-based machine has; resvg falls back to any system font without it. */
const FONT = 'DejaVu Sans';

/** Shared look of every chart. */
export const CHART_CONFIG = {
  background: 'white',
  font: FONT,
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eee' },
  title: { fontSize: 14, anchor: 'start' as const },
};

/**
 * Renders a Vega-Lite spec to SVG text.
 * @param spec - a Vega-Lite specification with inline data
 * @returns the SVG document
 */
export async function toSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = compile({ ...spec, config: { ...CHART_CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Rasterizes SVG text to PNG bytes.
 * @param svg - an SVG document
 */
export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: PNG_ZOOM },
    font: { loadSystemFonts: true, defaultFontFamily: FONT, sansSerifFamily: FONT },
  });
  return resvg.render().asPng();
}

/**
 * Writes `<base>.svg` and `<base>.png`.
 * @param spec - the chart
 * @param base - path without extension
 * @returns the two paths written
 */
export async function writeChart(spec: TopLevelSpec, base: string): Promise<string[]> {
  const svg = await toSvg(spec);
  await writeFile(`${base}.svg`, svg);
  await writeFile(`${base}.png`, svgToPng(svg));
  return [`${base}.svg`, `${base}.png`];
}
