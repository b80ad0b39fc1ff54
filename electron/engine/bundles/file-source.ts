/** A bundle file as a ByteSource: positional reads, one open handle. */
import { open } from 'node:fs/promises';
import { CharterError } from '../../../shared/errors.ts';
import type { ByteSource } from '../../../shared/bundle/zip-reader.ts';

export interface FileSource extends ByteSource {
  close(): Promise<void>;
}

export async function openFileSource(path: string): Promise<FileSource> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new CharterError('not_found', `${path}: cannot open the bundle (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const { size } = await handle.stat();
  const h = handle;
  return {
    size,
    read: async (offset, length) => {
      const buffer = Buffer.allocUnsafe(length);
      const { bytesRead } = await h.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    },
    close: () => h.close(),
  };
}
