/**
 * "One running, one queued": at most one piece of work runs; requests that arrive
 * meanwhile are merged into one queued request, which runs once the current work ends.
 * Each caller's promise settles when the work that covers its request has run, so a
 * request made during a run is never answered by that run. Plain module: no `vscode` import.
 */
export class CoalescingRunner<Request> {
  private active = false;
  private queued: Batch<Request> | undefined;

  /** `merge` folds a new request into the queued one (a union of sessions, for instance). */
  constructor(
    private readonly work: (request: Request) => Promise<void>,
    private readonly merge: (queued: Request, next: Request) => Request,
  ) {}

  /** True while work runs (queued work included). */
  get busy(): boolean {
    return this.active;
  }

  run(request: Request): Promise<void> {
    if (this.queued) {
      this.queued.request = this.merge(this.queued.request, request);
      return this.queued.done;
    }
    const batch = newBatch(request);
    if (this.active) this.queued = batch;
    else void this.drain(batch);
    return batch.done;
  }

  private async drain(first: Batch<Request>): Promise<void> {
    this.active = true;
    for (let batch: Batch<Request> | undefined = first; batch; batch = this.takeQueued()) {
      try {
        await this.work(batch.request);
        batch.resolve();
      } catch (error) {
        batch.reject(error);
      }
    }
    this.active = false;
  }

  private takeQueued(): Batch<Request> | undefined {
    const next = this.queued;
    this.queued = undefined;
    return next;
  }
}

interface Batch<Request> {
  request: Request;
  done: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function newBatch<Request>(request: Request): Batch<Request> {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { request, done, resolve, reject };
}
