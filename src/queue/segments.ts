// Journal segment files: the on-disk form of queued events, and the scan that recovers them.
// Each segment `<first seq, 16 digits>.seg` holds one record per line:
//   `<crc32 hex8> <seq> <received ms> <event JSON>\n`     (the checksum covers everything after it)
// Only the newest segment is ever appended to; a record torn by a crash (bad checksum, no newline)
// was never acknowledged (append resolves after fsync) and is ignored; a torn tail is cut off.

import { readdir, readFile, truncate, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

export const SEGMENT_SUFFIX = '.seg';

export function segmentName(first: number): string {
  return `${String(first).padStart(16, '0')}${SEGMENT_SUFFIX}`;
}

/** One record line (with its newline) for an event already serialized as JSON. */
export function encodeRecord(seq: number, ms: number, json: string): string {
  const payload = `${seq} ${ms} ${json}`;
  return `${crc32(payload).toString(16).padStart(8, '0')} ${payload}\n`;
}

export interface ScannedRecord {
  seq: number;
  ms: number;
  json: string;
}

/** Parses one line; undefined when damaged. */
export function decodeRecord(line: string): ScannedRecord | undefined {
  if (line.length < 14 || line[8] !== ' ') return undefined;
  const payload = line.slice(9);
  if (crc32(payload).toString(16).padStart(8, '0') !== line.slice(0, 8)) return undefined;
  const a = payload.indexOf(' ');
  const b = payload.indexOf(' ', a + 1);
  if (a < 1 || b < 0) return undefined;
  const seq = Number(payload.slice(0, a));
  const ms = Number(payload.slice(a + 1, b));
  if (!Number.isSafeInteger(seq) || seq < 0 || !Number.isFinite(ms)) return undefined;
  return { seq, ms, json: payload.slice(b + 1) };
}

export interface ScannedSegment {
  first: number;
  path: string;
  records: ScannedRecord[];
  /** Damaged lines skipped (a torn tail included). */
  damaged: number;
}

/** Reads every segment of `dir`, oldest first; cuts a torn tail off the newest one. */
export async function scanSegments(dir: string): Promise<ScannedSegment[]> {
  const names = (await readdir(dir)).filter((n) => /^\d{16}\.seg$/.test(n)).sort();
  const out: ScannedSegment[] = [];
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const path = join(dir, name);
    const text = (await readFile(path)).toString('utf8');
    const seg: ScannedSegment = { first: Number(name.slice(0, 16)), path, records: [], damaged: 0 };
    const end = text.lastIndexOf('\n') + 1;
    if (end < text.length) {
      seg.damaged++;
      if (i === names.length - 1) await truncate(path, Buffer.byteLength(text.slice(0, end)));
    }
    let start = 0;
    while (start < end) {
      const nl = text.indexOf('\n', start);
      const rec = decodeRecord(text.slice(start, nl));
      start = nl + 1;
      if (rec === undefined) seg.damaged++;
      else seg.records.push(rec);
    }
    out.push(seg);
  }
  return out;
}

export async function removeFile(path: string): Promise<void> {
  await unlink(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}

export { syncDir } from './files.js';
