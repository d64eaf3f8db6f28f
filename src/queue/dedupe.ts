// The journal's messageId window: a client retry of an event already accepted within `windowMs`
// is acknowledged without being queued again. Ids of live segments are recovered from the segments
// themselves; before a finished segment is deleted, its ids still inside the window are appended
// (fsync'd) to `dedupe.ids`, so the window survives a restart. Memory is bounded by `maxIds`.

import { open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { writeFileAtomic } from './files.js';

interface Entry {
  ms: number;
  /** Settles when the event carrying this id is durable (rejects when its write failed). */
  durable: Promise<void> | undefined;
}

const FILE = 'dedupe.ids';

function line(id: string, ms: number): string {
  const payload = `${ms} ${JSON.stringify(id)}`;
  return `${crc32(payload).toString(16).padStart(8, '0')} ${payload}\n`;
}

export class DedupeWindow {
  private readonly ids = new Map<string, Entry>();
  private handle: FileHandle | undefined;
  private fileBytes = 0;

  constructor(
    private readonly dir: string,
    readonly windowMs: number,
    private readonly maxIds: number,
  ) {}

  get size(): number {
    return this.ids.size;
  }

  /** Loads `dedupe.ids` (damaged lines are ignored: they can only let a retry through). */
  async open(now: number): Promise<void> {
    if (this.windowMs <= 0) return;
    const path = join(this.dir, FILE);
    const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    });
    for (const l of text.split('\n')) {
      const payload = l.slice(9);
      if (l.length < 12 || crc32(payload).toString(16).padStart(8, '0') !== l.slice(0, 8)) continue;
      const sp = payload.indexOf(' ');
      const ms = Number(payload.slice(0, sp));
      let id: unknown;
      try {
        id = JSON.parse(payload.slice(sp + 1));
      } catch {
        continue;
      }
      if (typeof id === 'string' && Number.isFinite(ms)) this.remember(id, ms, undefined);
    }
    this.expire(now);
    await this.rewrite(now); // starts a fresh file holding only what is inside the window
  }

  /** The live entry for `id`, if the window holds one. */
  seen(id: string, now: number): Entry | undefined {
    const e = this.ids.get(id);
    return e !== undefined && e.ms > now - this.windowMs ? e : undefined;
  }

  remember(id: string, ms: number, durable: Promise<void> | undefined): void {
    if (this.windowMs <= 0) return;
    this.ids.delete(id); // re-insert at the back: the Map's order is the expiry order
    this.ids.set(id, { ms, durable });
  }

  forget(id: string): void {
    this.ids.delete(id);
  }

  /** Drops entries past the window, and the oldest ones beyond `maxIds`. */
  expire(now: number): void {
    const cutoff = now - this.windowMs;
    for (const [id, e] of this.ids) {
      if (e.ms > cutoff && this.ids.size <= this.maxIds) break;
      this.ids.delete(id);
    }
  }

  /** Makes the ids of a segment about to be deleted durable, for the rest of their window. */
  async persist(entries: ReadonlyArray<readonly [string, number]>, now: number): Promise<void> {
    if (this.windowMs <= 0 || this.handle === undefined) return;
    const cutoff = now - this.windowMs;
    const text = entries.filter(([id, ms]) => ms > cutoff && this.ids.has(id)).map(([id, ms]) => line(id, ms)).join('');
    if (text === '') return;
    await this.handle.appendFile(text);
    await this.handle.sync();
    this.fileBytes += Buffer.byteLength(text);
    if (this.fileBytes > 4 * 1024 * 1024 && this.fileBytes > 64 * this.ids.size) await this.rewrite(now);
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }

  private async rewrite(now: number): Promise<void> {
    this.expire(now);
    let text = '';
    for (const [id, e] of this.ids) text += line(id, e.ms);
    const path = join(this.dir, FILE);
    await writeFileAtomic(this.dir, path, text);
    await this.handle?.close();
    this.handle = await open(path, 'a');
    this.fileBytes = Buffer.byteLength(text);
  }
}
