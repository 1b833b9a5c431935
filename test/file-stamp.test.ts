/**
 * How long a file's version and a specifier's resolution are reused: a second in a process that
 * lints file by file (an editor's), the whole run in a run over files (holdingVersionsForRun),
 * and never past forgetRecentStamps (what --watch calls before each round).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fileStamp, forgetRecentStamps, holdingVersionsForRun, isReusable, STAMP_REUSE_MS } from '../src/file-stamp.js';
import { forgetRecentStampsAndResolutions, resolveRelativeModule } from '../src/languages/js/project/file-versions.js';

let clock = 0;
const folders: string[] = [];

function scratch(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'asynclint-stamp-'));
  folders.push(folder);
  return folder;
}

afterEach(() => {
  vi.restoreAllMocks();
  forgetRecentStampsAndResolutions();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function useClock(): void {
  clock = 1_000_000;
  vi.spyOn(performance, 'now').mockImplementation(() => clock);
}

describe('fileStamp reuse', () => {
  it('sees an edit once a second has passed, outside a run over files', () => {
    useClock();
    const file = path.join(scratch(), 'a.ts');
    writeFileSync(file, 'export const a = 1;\n');
    const first = fileStamp(file);
    writeFileSync(file, 'export const a = 22;\n');
    expect(fileStamp(file)).toBe(first);
    clock += STAMP_REUSE_MS + 1;
    expect(fileStamp(file)).not.toBe(first);
  });

  it('keeps the first version for the whole of a run over files, until forgotten', async () => {
    useClock();
    const file = path.join(scratch(), 'a.ts');
    writeFileSync(file, 'export const a = 1;\n');
    await holdingVersionsForRun(async () => {
      const first = fileStamp(file);
      writeFileSync(file, 'export const a = 22;\n');
      clock += 20 * STAMP_REUSE_MS;
      expect(fileStamp(file)).toBe(first);
      forgetRecentStamps();
      expect(fileStamp(file)).not.toBe(first);
    });
    expect(isReusable(clock - STAMP_REUSE_MS - 1, clock)).toBe(false);
  });

  it('keeps resolutions for the whole of a run over files', async () => {
    useClock();
    const folder = scratch();
    const importer = path.join(folder, 'main.ts');
    writeFileSync(importer, "import './lib';\n");
    await holdingVersionsForRun(async () => {
      expect(resolveRelativeModule(importer, './lib')).toBeNull();
      mkdirSync(path.join(folder, 'lib'));
      writeFileSync(path.join(folder, 'lib', 'index.ts'), 'export {};\n');
      clock += 20 * STAMP_REUSE_MS;
      expect(resolveRelativeModule(importer, './lib')).toBeNull();
    });
    // Outside the run, a resolution older than a second is looked up again.
    expect(resolveRelativeModule(importer, './lib')).toBe(path.join(folder, 'lib', 'index.ts'));
  });
});
