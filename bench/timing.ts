/** Timing helpers shared by the store benches (sqlite, sqlServers): a figure and its floor, measured alike. */

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Medians of `a` and `b`, measured alternately so that a busy machine slows both alike. */
export async function timePair(a: () => Promise<unknown> | unknown, b: () => Promise<unknown> | unknown, n = 15): Promise<[number, number]> {
  await a();
  await b();
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    let t = performance.now();
    await a();
    xs.push(performance.now() - t);
    t = performance.now();
    await b();
    ys.push(performance.now() - t);
  }
  return [median(xs), median(ys)];
}
