/**
 * The project as the runner sees it: files on disk, parsed when a rule asks about their exports,
 * facts distilled once per file version and kept while syntax trees are dropped, shared between
 * threads, and the files each result depends on recorded for the result cache.
 *
 * Import cycles: a file whose facts are being computed answers null to the files it reaches. An
 * answer computed on that assumption is only valid for the stack it was computed on, so it is
 * never stored as final (it would make the answer for a file depend on which file a run reached
 * first). What is stored:
 * - final facts, from a computation that met no unfinished file (any caller may use them);
 * - facts of a file asked with nothing unfinished, whose computation met only itself: what any
 *   later question asked the same way gets, so they serve such questions only;
 * - provisional facts, for the rest of the current outermost question only.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  attachProject,
  exportedDefinitions,
  type Dependencies,
  type FactKind,
  type IndexedModule,
  type PackageFacts,
  type ProjectFacts,
} from '../analysis/index.js';
import type { SourceCode } from '../types.js';
import { fileStamp, resolutionFolders, resolveRelativeModule } from './file-versions.js';
import { loadIndexedModule } from './modules.js';
import { importersDependency, importersWithin } from './importers.js';
import { packageFactsFor, workspaceFilesFor } from './package-manifests.js';
import { workspacePackageNamed } from './workspace.js';

/** Facts in a form that crosses threads: kind id, file, file version, and the facts as entries. */
export type SharedFacts = [kind: string, file: string, stamp: string, facts: [string, unknown][]];

interface StoredFacts {
  stamp: string;
  facts: Map<string, unknown>;
}

/** A computation under way: how deep it is, and the shallowest unfinished file it met. */
interface Frame {
  key: string;
  depth: number;
  metUnfinished: number;
}

interface ProvisionalFacts {
  facts: Map<string, unknown>;
  /** The depth of the unfinished computation they assumed; dropped when it finishes. */
  assumes: number;
}

const factKey = (kindId: string, file: string) => `${kindId}\0${file}`;

export class DiskProject implements ProjectFacts {
  /** Kind id to file to facts. */
  private readonly finalFacts = new Map<string, Map<string, StoredFacts>>();
  private readonly outermostFacts = new Map<string, StoredFacts>();
  private readonly provisional = new Map<string, ProvisionalFacts>();
  private readonly frames: Frame[] = [];
  private readonly kindsAsked = new Map<string, FactKind<unknown>>();
  private looksByKey = new WeakMap<object, Map<string, { stamp: string; value: unknown }>>();
  /** Facts computed here since they were last handed out (takeNewFacts); null when not shared. */
  private newFacts: SharedFacts[] | null = null;
  private dependencyRecorder: Dependencies | null = null;

  /** Outside any computation of facts, the project; inside one, the computation under way. */
  /**
   * Forgets every fact and look: a run of the CLI called in-process (tests, API users) starts as
   * a new process would, so its findings cannot depend on what ran before it.
   */
  forgetEverything(): void {
    this.finalFacts.clear();
    this.outermostFacts.clear();
    this.provisional.clear();
    this.kindsAsked.clear();
    this.looksByKey = new WeakMap();
    this.newFacts = null;
    this.dependencyRecorder = null;
  }

  memoScope(): object {
    return this.frames.at(-1) ?? this;
  }

  resolveModule(fromFile: string, specifier: string): string | null {
    const resolved = resolveRelativeModule(fromFile, specifier);
    // Where a specifier leads depends on which candidates exist, the missing ones included (one
    // that appears would be chosen), and on the file found staying there.
    if (this.dependencyRecorder) {
      for (const folder of resolutionFolders(fromFile, specifier, resolved))
        this.recordDependency(folder, fileStamp(folder));
      if (resolved !== null) this.recordDependency(resolved, fileStamp(resolved));
    }
    return resolved;
  }

  workspacePackage(fromFile: string, name: string): string | null {
    const found = workspacePackageNamed(path.dirname(path.resolve(fromFile)), name);
    for (const file of found.drawnFrom) this.recordDependency(file, fileStamp(file));
    return found.directory;
  }

  packageFacts(filePath: string): PackageFacts | null {
    const facts = packageFactsFor(filePath);
    if (facts) {
      // The manifest says where the file's code runs (`bin`, `scripts`, `private`, `files`).
      const manifest = path.join(facts.directory, 'package.json');
      this.recordDependency(manifest, fileStamp(manifest));
      // Which packages of the workspace use this one is read from every manifest of the workspace.
      for (const file of workspaceFilesFor(facts)) this.recordDependency(file, fileStamp(file));
    }
    return facts;
  }

  importersOf(file: string): readonly string[] {
    const root = packageFactsFor(file)?.directory;
    if (!root) return [];
    const importers = importersWithin(root, file);
    this.recordDependency(...importersDependency(root, file, importers));
    return importers;
  }

  knownExportFacts<T>(file: string, kind: FactKind<T>): Map<string, T> | undefined {
    this.noteKind(kind);
    const stamp = fileStamp(file);
    const known = this.finalFacts.get(kind.id)?.get(file);
    if (stamp === null || known === undefined || known.stamp !== stamp) return undefined;
    this.recordDependency(file, stamp);
    return known.facts as Map<string, T>;
  }

  exportFacts<T>(file: string, kind: FactKind<T>): Map<string, T> | null {
    this.noteKind(kind);
    const stamp = fileStamp(file);
    this.recordDependency(file, stamp);
    if (stamp === null) return null;
    const reused = this.reusableFacts(file, kind.id, stamp);
    if (reused !== undefined) return reused as Map<string, T> | null;
    return this.computeFacts(file, kind, stamp, () => loadIndexedModule(file)) as Map<string, T>;
  }

  /**
   * A file was just linted from disk: distil its facts for every kind asked so far from the same
   * parse, so files importing it later never parse it again.
   */
  provideExportFacts(file: string, sourceCode: SourceCode): void {
    if (this.kindsAsked.size === 0 || this.frames.length > 0) return;
    const stamp = fileStamp(file);
    if (stamp === null) return;
    let module: IndexedModule | null = null;
    for (const [id, kind] of this.kindsAsked) {
      if (this.reusableFacts(file, id, stamp) !== undefined) continue;
      // A file with no exports of its own too: a barrel (`export { a } from './a.js'`) has facts
      // (its re-exports, none of its own) that importers ask, and would be parsed again for them.
      module ??= { file, sourceCode, exports: exportedDefinitions(sourceCode.ast) };
      this.computeFacts(file, kind, stamp, () => module);
    }
  }

  lookAtText<T>(file: string, key: object, look: (text: string) => T): T | null {
    const stamp = fileStamp(file);
    this.recordDependency(file, stamp);
    if (stamp === null) return null;
    let perFile = this.looksByKey.get(key);
    if (!perFile) this.looksByKey.set(key, (perFile = new Map()));
    const known = perFile.get(file);
    if (known && known.stamp === stamp) return known.value as T;
    let value: T | null;
    try {
      value = look(readFileSync(file, 'utf8'));
    } catch {
      value = null;
    }
    if (value !== null) perFile.set(file, { stamp, value });
    return value;
  }

  /** Facts already known for this question; null inside a cycle; undefined when they must be computed. */
  private reusableFacts(file: string, kindId: string, stamp: string): Map<string, unknown> | null | undefined {
    const key = factKey(kindId, file);
    const final = this.finalFacts.get(kindId)?.get(file);
    if (final && final.stamp === stamp) return final.facts;
    const current = this.frames.at(-1);
    const unfinished = this.frames.find((frame) => frame.key === key);
    if (unfinished) {
      if (current) current.metUnfinished = Math.min(current.metUnfinished, unfinished.depth);
      return null;
    }
    const provisional = this.provisional.get(key);
    if (provisional) {
      if (current) current.metUnfinished = Math.min(current.metUnfinished, provisional.assumes);
      return provisional.facts;
    }
    const outermost = this.frames.length === 0 ? this.outermostFacts.get(key) : undefined;
    if (outermost && outermost.stamp === stamp) return outermost.facts;
    return undefined;
  }

  private computeFacts(
    file: string,
    kind: FactKind<unknown>,
    stamp: string,
    load: () => IndexedModule | null,
  ): Map<string, unknown> {
    const key = factKey(kind.id, file);
    const frame: Frame = { key, depth: this.frames.length, metUnfinished: Infinity };
    this.frames.push(frame);
    let facts: Map<string, unknown>;
    try {
      const module = load();
      if (module) attachProject(module.sourceCode, this);
      facts = module ? kind.compute(module) : new Map();
    } finally {
      this.frames.pop();
      // What assumed this computation unfinished no longer holds.
      for (const [other, provisional] of this.provisional)
        if (provisional.assumes >= frame.depth) this.provisional.delete(other);
    }
    const caller = this.frames.at(-1);
    if (frame.metUnfinished === Infinity) this.storeFinal(kind.id, file, stamp, facts);
    else if (frame.metUnfinished < frame.depth) {
      this.provisional.set(key, { facts, assumes: frame.metUnfinished });
      if (caller) caller.metUnfinished = Math.min(caller.metUnfinished, frame.metUnfinished);
    } else if (frame.depth === 0) this.outermostFacts.set(key, { stamp, facts });
    return facts;
  }

  private storeFinal(kindId: string, file: string, stamp: string, facts: Map<string, unknown>): void {
    let perFile = this.finalFacts.get(kindId);
    if (!perFile) this.finalFacts.set(kindId, (perFile = new Map()));
    perFile.set(file, { stamp, facts });
    this.newFacts?.push([kindId, file, stamp, [...facts]]);
  }

  private noteKind(kind: FactKind<unknown>): void {
    // Asking registers the kind: files linted from now on provide it (provideExportFacts).
    if (!kind.onlyWhenAsked && !this.kindsAsked.has(kind.id)) this.kindsAsked.set(kind.id, kind);
  }

  /** From now on, facts computed here are kept for takeNewFacts (a worker shares them). */
  shareNewFacts(): void {
    this.newFacts ??= [];
  }

  stopSharingFacts(): void {
    this.newFacts = null;
  }

  /** The facts computed here since the last call, to share with other threads. */
  takeNewFacts(): SharedFacts[] {
    const taken = this.newFacts ?? [];
    if (this.newFacts) this.newFacts = [];
    return taken;
  }

  /** Facts another thread computed; a version this thread already knows is kept. */
  addSharedFacts(shared: readonly SharedFacts[]): void {
    for (const [kind, file, stamp, entries] of shared) {
      let perFile = this.finalFacts.get(kind);
      if (!perFile) this.finalFacts.set(kind, (perFile = new Map()));
      if (perFile.get(file)?.stamp === stamp) continue;
      perFile.set(file, { stamp, facts: new Map(entries) });
    }
  }

  private recordDependency(file: string, stamp: string | null): void {
    this.dependencyRecorder?.set(file, stamp);
  }

  noteDependencies(dependencies: ReadonlyMap<string, string | null>): void {
    if (this.dependencyRecorder) for (const [file, stamp] of dependencies) this.dependencyRecorder.set(file, stamp);
  }

  recordDependencies<T>(
    work: () => T,
    { propagate = true }: { propagate?: boolean } = {},
  ): { value: T; dependencies: Dependencies } {
    const outer = this.dependencyRecorder;
    const recorded: Dependencies = new Map();
    this.dependencyRecorder = recorded;
    try {
      return { value: work(), dependencies: recorded };
    } finally {
      if (outer && propagate) for (const [file, stamp] of recorded) outer.set(file, stamp);
      this.dependencyRecorder = outer;
    }
  }
}
