// Runs planned requests with bounded concurrency while keeping per-identity order: a job never
// starts while an earlier-submitted job sharing one of its keys is waiting or in flight (retries included).

interface Entry<T> {
  job: T;
  keys: string[];
  /** Keys for which an earlier unfinished job is ahead of this one; 0 = ready to start. */
  blockers: number;
}

/**
 * A bounded, order-preserving job runner. Each key has a FIFO of unfinished jobs; a job is ready
 * when it heads all its FIFOs. Readiness is tracked by counting, so submitting and finishing cost
 * O(keys), never a scan of the waiting jobs.
 */
export class Scheduler<T> {
  private running = 0;
  private waiting = 0;
  /** Ready jobs in the order they became ready (a queue with a moving head). */
  private ready: Array<Entry<T> | undefined> = [];
  private readyHead = 0;
  /** key → unfinished jobs holding that key, oldest first. */
  private readonly keyQueues = new Map<string, Array<Entry<T>>>();
  private listeners: Array<() => void> = [];
  private failure: unknown;

  constructor(
    private readonly concurrency: number,
    private readonly run: (job: T) => Promise<void>,
  ) {}

  /** Jobs submitted and not finished (waiting + running). */
  get size(): number {
    return this.waiting + this.running;
  }

  /** Queues `job`; it starts when a slot is free and no earlier job with a shared key is unfinished. */
  submit(job: T, keys: Iterable<string>): void {
    const entry: Entry<T> = { job, keys: [...new Set(keys)], blockers: 0 };
    for (const k of entry.keys) {
      const q = this.keyQueues.get(k);
      if (q === undefined) this.keyQueues.set(k, [entry]);
      else {
        q.push(entry);
        entry.blockers++;
      }
    }
    this.waiting++;
    if (entry.blockers === 0) this.ready.push(entry);
    this.pump();
  }

  /** Resolves at the next job completion (or at once when nothing is pending). */
  progress(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.listeners.push(resolve));
  }

  /** Resolves when every submitted job has finished; rejects with the first job error, if any. */
  async idle(): Promise<void> {
    while (this.size > 0) await this.progress();
    if (this.failure !== undefined) throw this.failure;
  }

  private pump(): void {
    while (this.running < this.concurrency && this.readyHead < this.ready.length) {
      const entry = this.ready[this.readyHead]!;
      // Drop the slot's reference at once: a started job (and its items' bodies) must not stay
      // reachable from the queue after it finishes.
      this.ready[this.readyHead++] = undefined;
      if (this.readyHead === this.ready.length) {
        this.ready = [];
        this.readyHead = 0;
      } else if (this.readyHead > 1024 && this.readyHead * 2 > this.ready.length) {
        this.ready = this.ready.slice(this.readyHead); // compact now and then: amortised O(1)
        this.readyHead = 0;
      }
      this.start(entry);
    }
  }

  private start(entry: Entry<T>): void {
    this.waiting--;
    this.running++;
    // Deferred so a synchronous throw in `run` is caught like a rejection.
    Promise.resolve()
      .then(() => this.run(entry.job))
      .catch((err: unknown) => {
        if (this.failure === undefined) this.failure = err;
      })
      .finally(() => {
        this.running--;
        for (const k of entry.keys) {
          const q = this.keyQueues.get(k);
          if (q === undefined) continue;
          q.shift(); // entry is the head: it could only start as the head of all its keys
          const next = q[0];
          if (next === undefined) this.keyQueues.delete(k);
          else if (--next.blockers === 0) this.ready.push(next);
        }
        this.pump();
        const ls = this.listeners;
        this.listeners = [];
        for (const l of ls) l();
      });
  }
}
