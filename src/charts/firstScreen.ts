/**
 * What the first screen of a charts page needs, answered without being asked: the page says in
 * its `ready` how wide its plots are and how many charts fit its window, and the host sends
 * those charts' series right after `init`, bucketed for that width (one round trip fewer before
 * the first frame). The page asks for any other chart, or again when its width or settings differ.
 */
import type { ChartSettings, FirstScreen, SeriesRequest } from '../protocol/chartsPanel';

/** Substring (case-insensitive), or a `/regex/flags`; an invalid regex matches as text. */
export function metricFilter(filter: string): (key: string) => boolean {
  const trimmed = filter.trim();
  if (!trimmed) return () => true;
  const regex = /^\/(.+)\/([a-z]*)$/.exec(trimmed);
  if (regex) {
    try {
      const re = new RegExp(regex[1], regex[2]);
      return (key) => re.test(key);
    } catch {
      // fall through: searched as text
    }
  }
  const needle = trimmed.toLowerCase();
  return (key) => key.toLowerCase().includes(needle);
}

/** The requests the page would make for its first screen, with request id 0 (the page knows them by it). */
export function firstScreenRequests(settings: ChartSettings, metrics: readonly string[], runIds: readonly string[], screen: FirstScreen): SeriesRequest[] {
  const match = metricFilter(settings.filter);
  const shown = new Set(runIds);
  return metrics
    .filter(match)
    .slice(0, Math.max(0, Math.min(screen.charts, MAX_PUSHED)))
    .map((metric) => ({
      type: 'requestSeries',
      requestId: 0,
      metric,
      xAxis: settings.xAxis,
      range: null,
      columns: screen.columns,
      smoothing: settings.smoothing,
      ignoreOutliers: settings.ignoreOutliers,
      withStats: settings.tables.includes(metric),
      hiddenRuns: settings.hiddenRuns.filter((id) => shown.has(id)),
      ...(settings.groupBy ? { groupBy: settings.groupBy } : {}),
    }));
}

/** However tall the window, no more than this many charts are answered unasked. */
const MAX_PUSHED = 24;
