// A bounded async hand-off between the per-partition pull loops and the single reader (`read`):
// `push` waits while it is full, so a slow delivery pipeline stops the pulling (backpressure).

export class Channel<T> {
  private readonly items: T[] = [];
  private readonly spaceWaiters: Array<() => void> = [];
  private itemWaiter: (() => void) | undefined;
  private closed = false;

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.items.length;
  }

  /** Waits for room; returns false (item not taken) once the channel is closed. */
  async push(item: T): Promise<boolean> {
    while (!this.closed && this.items.length >= this.capacity) await new Promise<void>((r) => this.spaceWaiters.push(r));
    if (this.closed) return false;
    this.items.push(item);
    const w = this.itemWaiter;
    this.itemWaiter = undefined;
    w?.();
    return true;
  }

  /** The next item, or undefined once closed and empty. */
  async take(signal?: AbortSignal): Promise<T | undefined> {
    while (this.items.length === 0) {
      if (this.closed || signal?.aborted) return undefined;
      await new Promise<void>((resolve) => {
        const onAbort = () => resolve();
        this.itemWaiter = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
    const item = this.items.shift()!;
    this.spaceWaiters.shift()?.();
    return item;
  }

  /** Removes and returns the items matching `pred` (a partition handed over). */
  remove(pred: (item: T) => boolean): T[] {
    const out: T[] = [];
    for (let i = this.items.length - 1; i >= 0; i--) if (pred(this.items[i]!)) out.unshift(...this.items.splice(i, 1));
    for (let i = 0; i < out.length; i++) this.spaceWaiters.shift()?.();
    return out;
  }

  /** Ends the channel: pushes fail, `take` drains what is left then ends; returns what was left unread. */
  close(): T[] {
    this.closed = true;
    const left = this.items.splice(0);
    for (const w of this.spaceWaiters.splice(0)) w();
    this.itemWaiter?.();
    this.itemWaiter = undefined;
    return left;
  }
}
