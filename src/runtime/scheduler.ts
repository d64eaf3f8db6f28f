// Runs planned requests with bounded concurrency while keeping per-identity order: a job never
// starts while an earlier-submitted job sharing one of its keys is waiting or in flight (retries included).

/** A bounded, order-preserving job runner. */
export class Scheduler<T> {
  private seq = 0;
  private running = 0;
  private readonly waiting: Array<{ seq: number; keys: string[]; job: T }> = [];
  /** key → seqs of submitted, unfinished jobs holding that key, ascending. */
  private readonly keyQueues = new Map<string, number[]>();
  private listeners: Array<() => void> = [];
  private failure: unknown;

  constructor(
    private readonly concurrency: number,
    private readonly run: (job: T) => Promise<void>,
  ) {}

  /** Jobs submitted and not finished (waiting + running). */
  get size(): number {
    return this.waiting.length + this.running;
  }

  /** Queues `job`; it starts when a slot is free and no earlier job with a shared key is unfinished. */
  submit(job: T, keys: Iterable<string>): void {
    const seq = this.seq++;
    const unique = [...new Set(keys)];
    for (const k of unique) {
      const q = this.keyQueues.get(k);
      if (q === undefined) this.keyQueues.set(k, [seq]);
      else q.push(seq);
    }
    this.waiting.push({ seq, keys: unique, job });
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
    for (let i = 0; i < this.waiting.length && this.running < this.concurrency; i++) {
      const w = this.waiting[i]!;
      if (!w.keys.every((k) => this.keyQueues.get(k)?.[0] === w.seq)) continue;
      this.waiting.splice(i, 1);
      i--;
      this.start(w);
    }
  }

  private start(w: { seq: number; keys: string[]; job: T }): void {
    this.running++;
    // Deferred so a synchronous throw in `run` is caught like a rejection.
    Promise.resolve()
      .then(() => this.run(w.job))
      .catch((err: unknown) => {
        if (this.failure === undefined) this.failure = err;
      })
      .finally(() => {
        this.running--;
        for (const k of w.keys) {
          const q = this.keyQueues.get(k);
          if (q === undefined) continue;
          q.shift(); // w is the head: it could only start as the head of all its keys
          if (q.length === 0) this.keyQueues.delete(k);
        }
        this.pump();
        const ls = this.listeners;
        this.listeners = [];
        for (const l of ls) l();
      });
  }
}
