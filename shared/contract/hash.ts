/** The content hash of a contract version: SHA-256 (hex) of its exact UTF-8 source bytes. */
import { createHash } from 'node:crypto';

export function contractHash(source: string | Uint8Array): string {
  const hash = createHash('sha256');
  if (typeof source === 'string') hash.update(source, 'utf8');
  else hash.update(source);
  return hash.digest('hex');
}
