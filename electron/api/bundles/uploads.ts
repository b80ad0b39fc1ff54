/**
 * Bundles uploaded to `charter web` to be verified: the bridge streams the request body here
 * (bounded, spooled to a private temporary folder, never held whole in memory) and hands the
 * operation a random upload id, never a path. `bundles.open` takes the file by that id.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CharterError } from '../../../shared/errors.ts';

/** The largest bundle the bridge accepts for verification (JSON API calls stay at 1 MiB). */
export const MAX_BUNDLE_UPLOAD = 256 * 1024 * 1024;
/** Uploads not taken by `bundles.open` within this time are removed. */
const UNCLAIMED_MS = 5 * 60_000;

export interface Upload {
  readonly path: string;
  readonly fileName: string;
  readonly bytes: number;
}

export class UploadSpool {
  #dir: string | null = null;
  readonly #pending = new Map<string, Upload & { readonly at: number }>();

  /** Writes the body to a new file; throws `too_large` past `limit` (the partial file is removed). */
  async receive(body: AsyncIterable<Uint8Array>, fileName: string, limit: number = MAX_BUNDLE_UPLOAD): Promise<string> {
    this.#sweep();
    this.#dir ??= mkdtempSync(join(tmpdir(), 'charter-uploads-'));
    const id = randomBytes(16).toString('base64url');
    const path = join(this.#dir, `${id}.charter`);
    const file = await open(path, 'wx', 0o600);
    let bytes = 0;
    try {
      for await (const chunk of body) {
        bytes += chunk.length;
        if (bytes > limit) throw new CharterError('too_large', `The bundle is over ${Math.round(limit / 1024 / 1024)} MiB, the most Charter web accepts for upload. Verify it with "charter bundle verify" instead.`);
        await file.write(chunk);
      }
    } catch (error) {
      await file.close();
      rmSync(path, { force: true });
      throw error;
    }
    await file.close();
    this.#pending.set(id, { path, fileName: displayName(fileName), bytes, at: Date.now() });
    return id;
  }

  /** The upload, now owned by the caller (who removes the file); undefined when unknown. */
  take(id: string): Upload | undefined {
    const upload = this.#pending.get(id);
    this.#pending.delete(id);
    return upload;
  }

  dispose(): void {
    this.#pending.clear();
    if (this.#dir) rmSync(this.#dir, { recursive: true, force: true });
    this.#dir = null;
  }

  #sweep(): void {
    const now = Date.now();
    for (const [id, upload] of this.#pending) {
      if (now - upload.at > UNCLAIMED_MS) {
        rmSync(upload.path, { force: true });
        this.#pending.delete(id);
      }
    }
  }
}

/** A file name for display only: no folders, no control characters, bounded. */
export function displayName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200);
  return clean || 'bundle.charter';
}

/**
 * The bridge route for `bundles.open` with a binary body (Content-Type application/octet-stream,
 * `?operationId=…&fileName=…`): spools it and returns the operation's arguments.
 */
export function bundleUploadRoute(spool: UploadSpool, limit: number = MAX_BUNDLE_UPLOAD) {
  return {
    limit,
    receive: async (body: AsyncIterable<Uint8Array>, query: URLSearchParams): Promise<unknown> => {
      const fileName = query.get('fileName') ?? 'bundle.charter';
      const upload = await spool.receive(body, fileName, limit);
      const operationId = query.get('operationId');
      return { ...(operationId === null ? {} : { operationId }), upload };
    },
  };
}
