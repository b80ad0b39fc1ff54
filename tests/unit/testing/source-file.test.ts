import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSourceFile } from '../../../electron/engine/testing/source-file.ts';
import { CharterError, formatDiagnostic } from '../../../shared/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'charter-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function failure(path: string, options = {}): { code: string; lines: string[] } {
  try {
    readSourceFile(path, options);
  } catch (error) {
    if (!(error instanceof CharterError)) throw error;
    return { code: error.code, lines: error.diagnostics.map(formatDiagnostic) };
  }
  throw new Error('expected a failure');
}

describe('readSourceFile', () => {
  it('reads UTF-8 text and drops a byte-order mark', () => {
    const path = join(dir, 'ok.yaml');
    writeFileSync(path, '\uFEFFname: café\n');
    expect(readSourceFile(path)).toBe('name: café\n');
  });

  it('refuses a 50 MB file from its size alone, before reading it', () => {
    const path = join(dir, 'huge.yaml');
    writeFileSync(path, '');
    truncateSync(path, 50 * 1024 * 1024); // sparse: no 50 MB actually written
    const started = performance.now();
    const { code, lines } = failure(path, { kind: 'contract' });
    expect(performance.now() - started).toBeLessThan(200);
    expect(code).toBe('too_large');
    expect(lines).toEqual([`${path}:1:1: error: contract is 50.0 MiB; the limit is 1.0 MiB [file.too-large]`]);
  });

  it('refuses binary data, locating the first NUL byte', () => {
    const path = join(dir, 'binary.yaml');
    writeFileSync(path, Buffer.from([0x61, 0x3a, 0x20, 0x31, 0x0a, 0x62, 0x00, 0xff]));
    expect(failure(path).lines).toEqual([`${path}:2:2: error: file looks binary (NUL byte at offset 6); expected YAML text [file.binary]`]);
  });

  it('refuses invalid UTF-8, locating the bad byte', () => {
    const path = join(dir, 'latin1.yaml');
    writeFileSync(path, Buffer.concat([Buffer.from('a: ok\nb: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    expect(failure(path).lines).toEqual([`${path}:2:7: error: file is not valid UTF-8 (bad byte at offset 12) [file.encoding]`]);
  });

  it('says plainly when the file is missing or is a directory', () => {
    expect(failure(join(dir, 'missing.yaml')).lines[0]).toContain('cannot read file: no such file');
    expect(failure(dir).lines[0]).toContain('it is a directory');
  });
});
