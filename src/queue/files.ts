// The durable-file primitives of the queue: fsync a directory (so a create, rename or unlink
// survives a crash) and replace a file atomically (temp file, fsync, rename, fsync the directory).

import { open, rename } from 'node:fs/promises';

/** Makes the directory's entries durable (a created, renamed or removed file survives a crash). */
export async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

/** Replaces `path` (in `dir`) with `text` so that a crash leaves either the old or the new file, whole. */
export async function writeFileAtomic(dir: string, path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp`;
  const t = await open(tmp, 'w');
  try {
    await t.writeFile(text);
    await t.sync();
  } finally {
    await t.close();
  }
  await rename(tmp, path);
  await syncDir(dir);
}
