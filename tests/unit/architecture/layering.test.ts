/**
 * The layering rules, enforced on the source: only electron/main, preload and ipc import
 * 'electron'; the renderer imports no Node module, no database and no Electron; the engine and
 * shared/ import no React.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SKIP = new Set(['node_modules', 'dist', '.git', 'test-results', 'playwright-report', '.tmp', 'release', 'out', 'coverage']);

function sources(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...sources(path));
    else if (/\.(ts|tsx|mts|mjs|js)$/.test(entry.name)) found.push(path);
  }
  return found;
}

/** Every module specifier a file imports or re-exports (static and dynamic). */
export function importsOf(text: string): string[] {
  // Comments may mention modules ("found without require('electron')"); only code counts.
  const source = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');
  const specifiers: string[] = [];
  const patterns = [/\bimport\s+(?:type\s+)?(?:[\w*{}\s,]+\s+from\s+)?['"]([^'"]+)['"]/g, /\bexport\s+(?:type\s+)?[\w*{}\s,]+\s+from\s+['"]([^'"]+)['"]/g, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) specifiers.push(match[1] as string);
  return specifiers;
}

const ELECTRON_ALLOWED = new Set(['electron/main.ts', 'electron/preload.ts', 'electron/ipc.ts']);
const NODE_MODULES = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const RENDERER_FORBIDDEN = (spec: string) => NODE_MODULES.has(spec) || spec.startsWith('node:') || ['better-sqlite3', 'kysely', 'electron', 'ws', 'fastify'].some((m) => spec === m || spec.startsWith(`${m}/`));

const all = ['electron', 'renderer', 'shared', 'server', 'migrations', 'bin', 'tests'].flatMap((dir) => {
  try {
    return sources(dir);
  } catch {
    return [];
  }
});
const files = all.map((file) => ({ file: relative('.', file).split('\\').join('/'), imports: importsOf(readFileSync(join(ROOT, file), 'utf8')) }));

describe('layering', () => {
  it('finds the source to check', () => {
    expect(files.some((f) => f.file === 'electron/main.ts')).toBe(true);
    expect(files.some((f) => f.file.startsWith('renderer/'))).toBe(true);
  });

  it("only electron/main, preload and ipc import 'electron'", () => {
    const offenders = files
      .filter((f) => !f.file.startsWith('tests/') && !ELECTRON_ALLOWED.has(f.file) && f.imports.some((s) => s === 'electron' || s.startsWith('electron/')))
      .map((f) => f.file);
    expect(offenders).toEqual([]);
  });

  it('the renderer imports no Node module, database or Electron, directly or through shared code', () => {
    // Follow relative imports from renderer/ so a shared module pulling in node:fs is caught too.
    const byFile = new Map(files.map((f) => [f.file, f.imports]));
    const offenders: string[] = [];
    const seen = new Set<string>();
    const visit = (file: string, via: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of byFile.get(file) ?? []) {
        if (spec.startsWith('.')) {
          const target = join(file, '..', spec).split('\\').join('/');
          visit(target, `${via} → ${target}`);
        } else if (RENDERER_FORBIDDEN(spec)) offenders.push(`${via} imports ${spec}`);
      }
    };
    for (const f of files) if (f.file.startsWith('renderer/')) visit(f.file, f.file);
    expect(offenders).toEqual([]);
  });

  it('the engine and shared/ import no React', () => {
    const offenders = files
      .filter((f) => f.file.startsWith('electron/engine/') || f.file.startsWith('shared/'))
      .filter((f) => f.imports.some((s) => s === 'react' || s.startsWith('react/') || s === 'react-dom' || s.startsWith('react-dom/') || s === 'zustand'))
      .map((f) => f.file);
    expect(offenders).toEqual([]);
  });

  it('recognises the import forms it polices', () => {
    expect(importsOf("// not require('fs')\n/* import 'x' */\nconst url = 'http://a';\n")).toEqual([]);
    expect(importsOf("import { app } from 'electron';\nimport type { X } from \"node:fs\";\nexport { y } from './y.ts';\nconst z = await import('kysely');")).toEqual(['electron', 'node:fs', './y.ts', 'kysely']);
  });
});
