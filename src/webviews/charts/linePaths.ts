/// <reference lib="dom" />
/**
 * The path of a run's line, built for uPlot in one tight loop. uPlot's own `linear` builder goes through
 * several closures per point (position, rounding, orientation); with 100 runs of 1,000 points that was
 * most of the time of the first draw. The points come from the host already cut to the plot's pixel
 * columns (at most four per column), so every one is drawn, as `linear` draws them below its
 * decimation threshold: the same path, pixel for pixel (x to the right, y linear or log base 10,
 * positions rounded to whole canvas pixels, holes skipped with the line carried across them).
 */
import type uPlot from 'uplot';

export function straightLinePaths(u: uPlot, seriesIdx: number, idx0: number, idx1: number): uPlot.Series.Paths {
  const xs = u.data[0];
  const ys = u.data[seriesIdx];
  const scaleX = u.scales.x as uPlot.Scale & { _min: number; _max: number };
  const scaleY = u.scales[u.series[seriesIdx].scale ?? 'y'] as uPlot.Scale & { _min: number; _max: number };
  const { left, top, width, height } = u.bbox;
  // `_min` and `_max` are the scale's ends as uPlot positions with them (their log10 on a log scale); each position is
  // computed by uPlot's own formula, so each rounds to the same pixel.
  const x0 = scaleX._min;
  const xSpan = scaleX._max - x0;
  const y0 = scaleY._min;
  const ySpan = scaleY._max - y0;
  const log = scaleY.distr === 3;
  const stroke = new Path2D();
  let started = false;
  for (let i = idx0; i <= idx1; i++) {
    const value = ys[i];
    if (value == null) continue;
    const px = Math.round(left + width * ((xs[i] - x0) / xSpan));
    const py = Math.round(top + height * (1 - ((log ? Math.log10(value) : value) - y0) / ySpan));
    if (started) stroke.lineTo(px, py);
    else {
      stroke.moveTo(px, py);
      started = true;
    }
  }
  return { stroke, fill: null, clip: null, band: null, flags: 0 };
}
