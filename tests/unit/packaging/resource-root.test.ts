import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../../electron/engine/catalog.ts';
import { findResourceRoot, resourcePath, resourceRoot } from '../../../electron/engine/resource-root.ts';
import { WORKBENCH_MIGRATIONS } from '../../../electron/engine/store/workbench-migrations.ts';
import { migrationChecksums } from '../../../electron/engine/store/migration-checksums.ts';
import { DEFAULT_CONTRACT_FILE } from '../../../electron/engine/testing/run-suites.ts';
import { DEFAULT_CONTRACT_PATH } from '../../../electron/engine/workspace/seed-defaults.ts';

const checkout = fileURLToPath(new URL('../../../', import.meta.url)).replace(/[\\/]$/, '');
const scratch = mkdtempSync(join(tmpdir(), 'charter-resource-root-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('resource root', () => {
  it('is the checkout when running from source', () => {
    expect(resourceRoot()).toBe(checkout);
    expect(resourcePath('policies', 'catalog.yaml')).toBe(join(checkout, 'policies', 'catalog.yaml'));
  });

  it('is the app folder for code bundled into dist/electron (the packaged layout)', () => {
    const app = join(scratch, 'resources', 'app.asar');
    mkdirSync(join(app, 'dist', 'electron'), { recursive: true });
    mkdirSync(join(app, 'policies'), { recursive: true });
    writeFileSync(join(app, 'policies', 'catalog.yaml'), 'actions: {}\n');
    expect(findResourceRoot(join(app, 'dist', 'electron'))).toBe(app);
  });

  it('finds nothing where no policies/catalog.yaml is above', () => {
    const lonely = join(scratch, 'lonely', 'dist', 'electron');
    mkdirSync(lonely, { recursive: true });
    // The walk may reach a policies/ folder above the temporary directory on odd machines;
    // it must never answer a folder inside the one we made.
    const found = findResourceRoot(lonely);
    expect(found === undefined || !found.startsWith(join(scratch, 'lonely'))).toBe(true);
  });

  it('locates the catalog, the default contract and the migration files through it', async () => {
    expect(builtinCatalog().actions.has('stream_chat')).toBe(true);
    expect(DEFAULT_CONTRACT_PATH).toBe(join(checkout, 'policies', 'default', 'chat-assistant.yaml'));
    expect(DEFAULT_CONTRACT_FILE).toBe(DEFAULT_CONTRACT_PATH);
    const checksums = await migrationChecksums(WORKBENCH_MIGRATIONS);
    // A file checksum, not the bundled-build fallback over the compiled functions.
    for (const m of WORKBENCH_MIGRATIONS) expect(checksums.get(m.name)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
