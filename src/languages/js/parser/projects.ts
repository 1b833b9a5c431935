/**
 * Which program answers for which file in a type-aware run.
 *
 * - one tsconfig (`--project <tsconfig>`): every file uses its program; a file outside it has no
 *   type information;
 * - the nearest tsconfig (`--project-service`, as typescript-eslint's project service and the
 *   editor find it): walking up from the file, the first tsconfig.json (or jsconfig.json) whose
 *   `files` / `include`, or one of whose project references, covers the file. A tsconfig that
 *   does not cover it does not count (a root tsconfig with `include: ["src"]` is not the owner of
 *   `test/a.test.ts`), and the walk goes on. One program per tsconfig, built when its first file
 *   is linted and shared by all of them.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { timed } from '../../../timing.js';
import {
  createTypeScriptProgram,
  jsDocParsingModeOf,
  readTsconfig,
  releaseDocuments,
  type ReadTsconfig,
  type TypeScriptProgram,
} from './program.js';
import type { DocumentRegistry } from 'typescript';
import type { ChosenTypeScript } from './typescript.js';

const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];

interface Project {
  tsconfig: ReadTsconfig;
  /** Root files, resolved as the runner names files. */
  files: Set<string>;
  program?: TypeScriptProgram;
  /** Files of the planned run this project still has to give a program to; undefined: no plan (see plan). */
  remaining?: number;
}

export interface TypeScriptProjectsOptions {
  /** The one tsconfig of `--project <tsconfig>`; without it, each file's nearest one. */
  tsconfig?: string;
  /** Told once per program which tsconfig and TypeScript it is built from (for `--debug`). */
  onProgramBuilt?: (tsconfigPath: string, typescript: ChosenTypeScript) => void;
}

export class TypeScriptProjects {
  private readonly projects = new Map<string, Project>();
  private readonly ownerByFile = new Map<string, Project | null>();
  private readonly configsByDirectory = new Map<string, string[]>();
  /** Per run, so a later run in the same process reads changed files afresh. */
  private readonly documentsByCompiler = new Map<object, DocumentRegistry>();
  private readonly forced: Project | undefined;
  /** Files asked about that no program covers: they were linted on syntax alone. */
  readonly filesWithoutTypes = new Set<string>();

  /** A forced tsconfig is read now, so a broken one stops the run before any file is linted. */
  constructor(private readonly options: TypeScriptProjectsOptions = {}) {
    if (options.tsconfig) this.forced = this.project(path.resolve(options.tsconfig), false);
  }

  /**
   * The run's files in the order to lint them: each tsconfig's files together, tsconfigs in the
   * order their first file comes. Counting each project's files lets its program go once its last
   * file is linted (see programOf), so a run holds one program at a time, not one per tsconfig.
   */
  plan(files: readonly string[]): string[] {
    const groups = new Map<Project | undefined, string[]>();
    for (const project of this.projects.values()) project.remaining = 0;
    for (const file of files) {
      const owner = this.ownerOf(path.resolve(file));
      if (owner) owner.remaining = (owner.remaining ?? 0) + 1;
      const group = groups.get(owner);
      if (group) group.push(file);
      else groups.set(owner, [file]);
    }
    return [...groups.values()].flat();
  }

  /** The tsconfig that gives `filePath` its types; undefined when none covers it. */
  tsconfigFor(filePath: string): string | undefined {
    return this.ownerOf(path.resolve(filePath))?.tsconfig.tsconfigPath;
  }

  /** The program for `filePath`, built on first use; undefined when no tsconfig covers the file. */
  programFor(filePath: string): TypeScriptProgram | undefined {
    const absolute = path.resolve(filePath);
    const owner = this.ownerOf(absolute);
    const program = owner && this.programOf(owner);
    if (owner?.remaining !== undefined) owner.remaining--;
    // With one forced tsconfig, a file its program reached through an import has types too.
    const covered = program && (owner !== this.forced || program.getSourceFile(absolute) !== undefined);
    if (covered) return program;
    this.filesWithoutTypes.add(absolute);
    return undefined;
  }

  /** The programs built so far. */
  builtPrograms(): TypeScriptProgram[] {
    return [...this.projects.values()].flatMap((project) => (project.program ? [project.program] : []));
  }

  private programOf(project: Project): TypeScriptProgram {
    if (!project.program) {
      this.releaseFinishedPrograms();
      this.options.onProgramBuilt?.(project.tsconfig.tsconfigPath, project.tsconfig.typescript);
      const { ts } = project.tsconfig.typescript;
      let documents = this.documentsByCompiler.get(ts);
      if (!documents)
        this.documentsByCompiler.set(
          ts,
          (documents = ts.createDocumentRegistry(undefined, undefined, jsDocParsingModeOf(ts))),
        );
      project.program = timed('type program', () => createTypeScriptProgram(project.tsconfig, { documents }));
    }
    return project.program;
  }

  /**
   * Lets go of the programs whose files have all been given theirs, before another is built: a
   * program and its checker's types are most of a typed run's memory. Only then, not as the last
   * file is asked for, since that file may be linted again (--fix passes). A program asked for
   * after all is built again. Its own sources leave the document registry unless another program
   * still holds them.
   */
  private releaseFinishedPrograms(): void {
    for (const project of this.projects.values()) {
      const { program } = project;
      if (!program || project === this.forced || project.remaining === undefined || project.remaining > 0) continue;
      project.program = undefined;
      const documents = this.documentsByCompiler.get(project.tsconfig.typescript.ts);
      if (documents) releaseDocuments(program, documents);
    }
  }

  private ownerOf(absolute: string): Project | undefined {
    if (this.forced) return this.forced;
    let owner = this.ownerByFile.get(absolute);
    if (owner === undefined) this.ownerByFile.set(absolute, (owner = this.findNearestOwner(absolute) ?? null));
    return owner ?? undefined;
  }

  private findNearestOwner(absolute: string): Project | undefined {
    for (let directory = path.dirname(absolute); ; directory = path.dirname(directory)) {
      for (const tsconfigPath of this.configsIn(directory)) {
        const owner = this.coveringProject(tsconfigPath, absolute, new Set());
        if (owner) return owner;
      }
      if (path.dirname(directory) === directory) return undefined;
    }
  }

  /** The project of `tsconfigPath`, or of one of its references (depth first), that covers the file. */
  private coveringProject(tsconfigPath: string, absolute: string, visited: Set<string>): Project | undefined {
    if (visited.has(tsconfigPath)) return undefined;
    visited.add(tsconfigPath);
    const project = this.project(tsconfigPath, true);
    if (project.files.has(absolute)) return project;
    const { ts } = project.tsconfig.typescript;
    for (const reference of project.tsconfig.parsed.projectReferences ?? []) {
      const referenced = path.resolve(ts.resolveProjectReferencePath(reference));
      if (!existsSync(referenced)) continue;
      const owner = this.coveringProject(referenced, absolute, visited);
      if (owner) return owner;
    }
    return undefined;
  }

  private project(tsconfigPath: string, coversNothingIsFine: boolean): Project {
    let project = this.projects.get(tsconfigPath);
    if (!project) {
      const tsconfig = readTsconfig(tsconfigPath, { coversNothingIsFine });
      const files = new Set(tsconfig.parsed.fileNames.map((file) => path.resolve(file)));
      project = { tsconfig, files };
      this.projects.set(tsconfigPath, project);
    }
    return project;
  }

  private configsIn(directory: string): string[] {
    let found = this.configsByDirectory.get(directory);
    if (!found) {
      found = CONFIG_NAMES.map((name) => path.join(directory, name)).filter((candidate) =>
        statSync(candidate, { throwIfNoEntry: false })?.isFile(),
      );
      this.configsByDirectory.set(directory, found);
    }
    return found;
  }
}
