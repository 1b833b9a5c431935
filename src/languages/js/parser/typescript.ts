/**
 * Which TypeScript a type-aware run uses: the project's own when it has the compiler's JS API
 * (5.x, 6.x), so types and tsconfig options mean what the project's `tsc` says they mean; the
 * one bundled with asynclint otherwise. TypeScript 7 (the Go port) ships no JS API: its package
 * exports only its version, so it is never loaded as a compiler.
 *
 * Only this instance ever sees the program's nodes. The typed CLI path does not go through
 * typescript-estree or ts-api-utils (the tree comes from oxc, nodes are mapped by position), and
 * those resolve `typescript` with a plain `require` from their own folder, which no option can
 * redirect: if they were loaded here, they would load whatever TypeScript is hoisted beside them.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../../errors.js';

export type TypeScriptModule = typeof import('typescript');

export interface ChosenTypeScript {
  ts: TypeScriptModule;
  version: string;
  /** Where the compiler was loaded from (its package folder). */
  packageDirectory: string;
  origin: 'project' | 'bundled';
  /** Why the project's own TypeScript was not used, when there is one. */
  fallbackReason?: string;
}

/** A TypeScript that is unusable for type-aware mode, with the reason on one line. */
export class TypeScriptUnavailableError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'TypeScriptUnavailableError';
  }
}

const requireHere = createRequire(import.meta.url);

/** What type-aware mode calls on the compiler module; TypeScript 7's package has none of it. */
const REQUIRED_FUNCTIONS = [
  'createProgram',
  'createCompilerHost',
  'createSourceFile',
  'parseJsonText',
  'parseJsonSourceFileConfigFileContent',
  'flattenDiagnosticMessageText',
  'forEachChild',
] as const;

function missingApi(candidate: unknown): string | undefined {
  if (typeof candidate !== 'object' || candidate === null) return 'createProgram';
  const module = candidate as Record<string, unknown>;
  const missing = REQUIRED_FUNCTIONS.find((name) => typeof module[name] !== 'function');
  if (missing) return missing;
  return typeof module.sys === 'object' && module.sys !== null ? undefined : 'sys';
}

function packageDirectoryOf(resolvedEntry: string): string {
  let directory = path.dirname(resolvedEntry);
  while (path.basename(directory) !== 'typescript' && path.dirname(directory) !== directory)
    directory = path.dirname(directory);
  return directory;
}

/** The version in the package's package.json: readable even when the entry point is not a compiler. */
function declaredVersion(packageDirectory: string): string {
  try {
    const manifest = JSON.parse(readFileSync(path.join(packageDirectory, 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof manifest.version === 'string' ? manifest.version : 'unknown version';
  } catch {
    return 'unknown version';
  }
}

let bundled: ChosenTypeScript | undefined;

function loadBundled(): ChosenTypeScript {
  if (bundled) return bundled;
  const entry = requireHere.resolve('typescript');
  const packageDirectory = packageDirectoryOf(entry);
  // npm `overrides` (or a package manager's resolutions) can replace even asynclint's own copy.
  const ts = requireHere(entry) as unknown;
  const missing = missingApi(ts);
  if (missing) {
    const version = declaredVersion(packageDirectory);
    throw new TypeScriptUnavailableError(
      `type-aware mode needs TypeScript's JS API (TypeScript 5 or 6), but the TypeScript asynclint resolves (${version} at ${packageDirectory}) has no ${missing}; install typescript@5 or @6 for asynclint`,
    );
  }
  return (bundled = {
    ts: ts as TypeScriptModule,
    version: (ts as TypeScriptModule).version,
    packageDirectory,
    origin: 'bundled',
  });
}

const chosenByEntry = new Map<string, ChosenTypeScript>();

/** The project's entry point of `typescript` as seen from `directory`, or undefined when none resolves. */
function resolveProjectTypeScript(directory: string): string | undefined {
  try {
    return createRequire(path.join(directory, 'noop.js')).resolve('typescript');
  } catch {
    return undefined;
  }
}

/**
 * The TypeScript for a tsconfig in `directory`, resolved as the project's own code resolves it.
 * Loading a compiler costs hundreds of milliseconds, so each is loaded once per process.
 */
export function chooseTypeScript(directory: string): ChosenTypeScript {
  const entry = resolveProjectTypeScript(directory);
  const ours = loadBundled();
  if (entry === undefined) return ours;
  const known = chosenByEntry.get(entry);
  if (known) return known;
  const packageDirectory = packageDirectoryOf(entry);
  let chosen: ChosenTypeScript;
  if (packageDirectory === ours.packageDirectory) chosen = ours;
  else {
    const version = declaredVersion(packageDirectory);
    const where = path.relative(process.cwd(), packageDirectory) || packageDirectory;
    const fallback = (why: string): ChosenTypeScript => ({
      ...ours,
      fallbackReason: `the project's TypeScript ${version} at ${where} ${why}`,
    });
    let candidate: unknown;
    try {
      candidate = requireHere(entry);
    } catch (error) {
      candidate = error instanceof Error ? error : new Error(String(error));
    }
    if (candidate instanceof Error) chosen = fallback(`could not be loaded: ${candidate.message.split('\n')[0]}`);
    else {
      const missing = missingApi(candidate);
      const ts = candidate as TypeScriptModule;
      chosen = missing
        ? fallback(`has no JS API (no ${missing})`)
        : { ts, version: ts.version, packageDirectory, origin: 'project' };
    }
  }
  chosenByEntry.set(entry, chosen);
  return chosen;
}

/** Which compiler read a tsconfig, for tsconfig errors: "TypeScript 5.9.3, bundled with asynclint". */
export function describeTypeScript(chosen: ChosenTypeScript): string {
  return `TypeScript ${chosen.version}, ${chosen.origin === 'project' ? "the project's" : 'bundled with asynclint'}`;
}
