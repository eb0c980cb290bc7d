/**
 * A list that loads in pages on demand ("Load more"), with at most one request in
 * flight and a reload that fetches as many items as were shown. Plain module.
 *
 * Page tokens are offsets (MLflow's file, SQL and REST stores alike), so a run created or
 * removed between two pages shifts the next one: a new run at the top repeats the last run
 * of the page before. An item whose key is already listed is therefore not appended again;
 * the reload that the change itself triggers (watcher, poll) brings the list back in line.
 */

export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}

export type PageFetcher<T> = (pageToken: string | undefined, pageSize: number) => Promise<Page<T>>;

export class PagedList<T> {
  private loaded: T[] = [];
  private token: string | undefined;
  private started = false;
  private inFlight: Promise<void> | undefined;
  private generation = 0;

  constructor(
    private readonly fetch: PageFetcher<T>,
    readonly pageSize: number,
    private readonly keyOf: (item: T) => string,
  ) {}

  get items(): readonly T[] {
    return this.loaded;
  }

  /** True once the first page has arrived. */
  get isLoaded(): boolean {
    return this.started && this.inFlight === undefined;
  }

  get hasMore(): boolean {
    return !this.started || this.token !== undefined;
  }

  /** Loads the first page if nothing has been loaded yet. */
  ensureLoaded(): Promise<void> {
    if (this.started && !this.inFlight) return Promise.resolve();
    return this.inFlight ?? this.loadMore();
  }

  /** Appends the next page; joins the request already in flight instead of sending a second one. */
  loadMore(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (this.started && this.token === undefined) return Promise.resolve();
    const generation = this.generation;
    const token = this.token;
    this.inFlight = this.fetch(token, this.pageSize)
      .then((page) => {
        if (generation !== this.generation) return;
        this.started = true;
        this.loaded = appendNew(this.loaded, page.items, this.keyOf);
        this.token = page.nextPageToken || undefined;
      })
      .finally(() => {
        if (generation === this.generation) this.inFlight = undefined;
      });
    return this.inFlight;
  }

  /**
   * Fetches again from the first page, as many pages as it takes to show at least as
   * many items as before (so a refresh keeps what the user had loaded), then swaps
   * the result in at once: the view never shows a half-reloaded list.
   */
  async reload(): Promise<void> {
    const wanted = Math.max(this.loaded.length, 1);
    const generation = ++this.generation;
    const reloading = (async () => {
      let items: T[] = [];
      let token: string | undefined;
      do {
        const page = await this.fetch(token, this.pageSize);
        items = appendNew(items, page.items, this.keyOf);
        token = page.nextPageToken || undefined;
      } while (token !== undefined && items.length < wanted);
      if (generation !== this.generation) return;
      this.loaded = items;
      this.token = token;
      this.started = true;
    })();
    this.inFlight = reloading.finally(() => {
      if (generation === this.generation) this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Forgets everything; the next `ensureLoaded` starts over. */
  reset(): void {
    this.generation++;
    this.loaded = [];
    this.token = undefined;
    this.started = false;
    this.inFlight = undefined;
  }
}

/** `items` followed by those of `more` whose key is not among them yet (nor earlier in `more`). */
function appendNew<T>(items: T[], more: T[], keyOf: (item: T) => string): T[] {
  const seen = new Set(items.map(keyOf));
  const out = items.slice();
  for (const item of more) {
    const key = keyOf(item);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}
