// Input encodings: UTF-16 (LE/BE, with or without a byte order mark) is decoded, UTF-32 is refused
// once with the encoding named, instead of every line failing with `Unexpected token '\u0000'`.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLines, sniffEncoding } from '../../src/cli/ndjson.js';
import { cli, ndjson, tempDir } from './helpers.js';

const TEXT = '{"type":"track","event":"Clicked ✓ 😀","userId":"u1","messageId":"m1"}\r\n\n{"type":"identify","userId":"u2","messageId":"m2"}\n';

function utf16be(s: string): Buffer {
  const le = Buffer.from(s, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
}

function utf32le(s: string): Buffer {
  const cps = [...s].map((c) => c.codePointAt(0)!);
  const b = Buffer.alloc(cps.length * 4);
  cps.forEach((cp, i) => b.writeUInt32LE(cp, i * 4));
  return b;
}

async function lines(chunks: Buffer[]): Promise<string[]> {
  async function* src() {
    for (const c of chunks) yield c;
  }
  const out: string[] = [];
  for await (const l of readLines(src())) out.push(l.text ?? '<too long>');
  return out;
}

const cases: Array<[string, Buffer]> = [
  ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')])],
  ['UTF-16BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(TEXT)])],
  ['UTF-16LE without BOM', Buffer.from(TEXT, 'utf16le')],
  ['UTF-16BE without BOM', utf16be(TEXT)],
  ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, 'utf8')])],
];

describe('input encodings', () => {
  for (const [name, bytes] of cases) {
    it(`${name} is decoded, also when split at odd byte positions`, async () => {
      const expected = TEXT.split('\n').slice(0, 3).map((l) => l.replace(/\r$/, ''));
      expect(await lines([bytes])).toEqual(expected);
      // chunks of 1, 3 and 7 bytes: a BOM, a code unit and a surrogate pair cut in two
      for (const size of [1, 3, 7]) {
        const chunks: Buffer[] = [];
        for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
        expect(await lines(chunks)).toEqual(expected);
      }
    });
  }

  it('names UTF-32 (with and without BOM)', () => {
    expect(sniffEncoding(Buffer.from([0xff, 0xfe, 0, 0]))).toBe('UTF-32LE (BOM)');
    expect(sniffEncoding(Buffer.from([0, 0, 0xfe, 0xff]))).toBe('UTF-32BE (BOM)');
    expect(sniffEncoding(utf32le('{}'))).toBe('UTF-32LE');
    expect(sniffEncoding(Buffer.from('{"a":1}'))).toBeUndefined();
  });

  it('run: a UTF-16 file gives the same requests as its UTF-8 original; UTF-32 is refused once (exit 2)', async () => {
    const dir = tempDir();
    const u8 = path.join(dir, 'u8.ndjson');
    const u16 = path.join(dir, 'u16.ndjson');
    const u32 = path.join(dir, 'u32.ndjson');
    writeFileSync(u8, TEXT);
    writeFileSync(u16, cases[0]![1]);
    writeFileSync(u32, Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), utf32le(TEXT)]));
    const env = { CUSTOMERIO_SITE_ID: 's', CUSTOMERIO_API_KEY: 'k' };
    const a = await cli(['run', u8, '--presets', 'quick'], { env });
    const b = await cli(['run', u16, '--presets', 'quick'], { env });
    expect(b.code).toBe(0);
    expect(ndjson(b.stdout)).toEqual(ndjson(a.stdout));
    const c = await cli(['run', u32, '--presets', 'quick'], { env });
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('the input is UTF-32LE (BOM) (by its byte order mark); save it as UTF-8');
    expect(c.stderr.match(/UTF-32/g)).toHaveLength(1);
    expect(c.stdout).toBe('');
  });
});
