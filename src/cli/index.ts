/**
 * commander -> runner -> formatter -> exit code.
 * 0: nothing at error level (and warnings within --max-warnings); 1: problems found;
 * 2: usage, config or internal error. User errors are one line on stderr, never a stack trace.
 *
 * This module parses the command line and nothing more: `--version` and `--help` end here,
 * before the config, the languages, their parsers and the formatters are loaded (run.ts).
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../errors.js';
import { BUILTIN_FORMATTER_NAMES } from '../formatters/builtin.js';
import { CACHE_STRATEGIES, DEFAULT_CACHE_LOCATION, type CacheStrategy } from '../runner/cache.js';
import { VERSION } from '../version.js';
import { GuardedOutput } from './output.js';
import { WriteError } from '../write-file.js';
import { addCiOptions, type CiOptions } from './ci-options.js';

export interface CliOptions extends CiOptions {
  format: string;
  outputFile?: string;
  maxWarnings?: number;
  quiet?: boolean;
  rule: string[];
  config?: string | false;
  stdin?: boolean;
  stdinFilename?: string;
  listRules?: boolean;
  explain?: string;
  color?: boolean;
  inlineConfig: boolean;
  reportUnusedDisableDirectives?: boolean;
  stats?: boolean;
  init?: boolean;
  debug?: boolean;
  maxFileSize?: number;
  project?: string | true;
  projectService?: boolean;
  fix?: boolean;
  fixDryRun?: boolean;
  fixSuggestions?: boolean;
  /** Both `--cache` and `--no-cache` exist, so commander leaves it unset unless one is given. */
  cache?: boolean;
  cacheLocation?: string;
  cacheStrategy: CacheStrategy;
  ignorePattern: string[];
  watch?: boolean;
  lsp?: boolean;
  threads?: number;
  printConfig?: string;
}

export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  readStdin(): Promise<string>;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

const EXAMPLES = `
Examples:
  $ asynclint                              lint the current folder with the recommended rules
  $ asynclint src "test/**/*.ts"           lint a folder and a glob
  $ asynclint -f sarif -o asynclint.sarif  SARIF for code scanning
  $ asynclint -f github                    annotations in a GitHub Actions job
  $ asynclint --rule sequential-await:warn --max-warnings 0 src
  $ cat file.ts | asynclint --stdin --stdin-filename file.ts
  $ asynclint --project tsconfig.json src  type-aware: exact floating-promise findings
  $ asynclint --project-service .          type-aware, each file with its nearest tsconfig (test/, packages/*)
  $ asynclint --explain await-in-loop      print a rule's documentation

Exit codes: 0 no errors (and warnings within --max-warnings), 1 problems found, 2 usage, config or internal error.
`;

function parseNonNegativeInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new InvalidArgumentError('expected a whole number of 0 or more.');
  return number;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function buildProgram(): Command {
  const program = new Command()
    .name('asynclint')
    .description(
      'A concurrency linter for JavaScript and TypeScript: sequential awaits, blocking calls, floating promises and sync/async mix-ups.',
    )
    .version(VERSION, '-v, --version')
    .argument('[paths...]', 'files, folders or globs to lint', ['.'])
    .option(
      '-f, --format <name>',
      `output format: ${BUILTIN_FORMATTER_NAMES.join(', ')}, a module path, or an eslint-formatter-* package`,
      'stylish',
    )
    .option('-o, --output-file <path>', 'write the report to a file instead of standard output')
    .option('--max-warnings <n>', 'exit 1 when there are more than this many warnings', parseNonNegativeInteger)
    .option('--quiet', 'report errors only')
    .option(
      '-j, --threads <n>',
      'threads for large runs, this one and n-1 workers (default: the available cores; from 500 files per thread)',
      parseNonNegativeInteger,
    )
    .option('--cache', 'reuse results for unchanged files (the default)')
    .option('--no-cache', 'lint every file again instead of reusing results for unchanged files')
    .option('--cache-location <path>', `where to keep the result cache (default ${DEFAULT_CACHE_LOCATION})`)
    .addOption(
      new Option(
        '--cache-strategy <strategy>',
        'how the cache sees a changed file: by its content, or by size and modification time',
      )
        .choices(CACHE_STRATEGIES)
        .default('content'),
    )
    .option(
      '--fix',
      'apply safe autofixes to the files (written atomically; a fix whose result does not parse is refused)',
    )
    .option('--fix-dry-run', 'compute the fixes and show them in the report (json: "output"), without writing files')
    .option(
      '--fix-suggestions',
      "also apply each finding's first suggestion, which may change what the code does (with --fix, or alone)",
    )
    .option(
      '--ignore-pattern <glob>',
      'do not lint files matching this glob, relative to the working directory (repeatable; !glob takes files back)',
      collect,
      [],
    )
    .option('--watch', 'lint, then lint again whenever a file or the config changes')
    .option('--lsp', 'run as a language server over standard input and output (for editors)')
    .option('--rule <id:severity>', "set a rule's severity, over the config (repeatable)", collect, [])
    .option('-c, --config <path>', 'use this config file instead of looking for one')
    .option('--no-config', 'ignore config files and use the recommended rules')
    .option('--stdin', 'lint code read from standard input')
    .option('--stdin-filename <name>', 'the file name to assume for --stdin (picks JS/TS/JSX parsing)')
    .option('--list-rules', 'list the rules with their presets and exit')
    .option('--explain <rule>', "print a rule's documentation and exit")
    .option(
      '--print-config <file>',
      'print the config that applies to a file, and where its code runs (request, library, one-shot, tooling, bench or test) and why, then exit',
    )
    .addOption(new Option('--color', 'force colour output'))
    .addOption(new Option('--no-color', 'disable colour output'))
    .option('--no-inline-config', 'ignore asynclint-disable comments')
    .option('--report-unused-disable-directives', 'report asynclint-disable comments that suppress nothing')
    .option('--stats', 'print where time went (per phase and per rule), files and findings, to standard error')
    .option('--max-file-size <bytes>', 'skip files larger than this (default 2 MB)', parseNonNegativeInteger)
    .option(
      '-p, --project [tsconfig]',
      'type-aware mode with one TypeScript program, from this tsconfig (default ./tsconfig.json), for every file',
    )
    .option(
      '--project-service',
      "type-aware mode: each file gets the program of its nearest tsconfig that includes it (as typescript-eslint's projectService)",
    )
    .option('--no-project-service', "turn off the config's projectService")
    .option('--init', 'write a starter asynclint.config.json and exit')
    .option('--debug', 'print stack traces for internal errors');
  return addCiOptions(program)
    .addHelpText('after', EXAMPLES)
    .showHelpAfterError('(run asynclint --help for usage)')
    .exitOverride();
}

/** `fresh`: forget what an earlier run in this process learnt (a --watch round keeps it). */
async function run(argv: readonly string[], io: CliIo, fresh: boolean): Promise<number> {
  const program = buildProgram();
  program.configureOutput({
    writeOut: (text) => io.stdout.write(text),
    writeErr: (text) => io.stderr.write(text),
  });
  try {
    program.parse(argv as string[], { from: 'node' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  const options = program.opts<CliOptions>();
  const patterns = program.processedArgs[0] as string[];
  const cwd = io.cwd;
  // Caches of an earlier call in this process (tests, API users) must not change this run's
  // findings; a lint run forgets them itself (run.ts), the long-lived modes here.
  if (fresh && (options.lsp || options.watch)) (await import('../languages/index.js')).resetLanguages();
  // Loaded only when asked for, so that a plain run does not pay for the editor protocol.
  if (options.lsp) return (await import('../lsp/server.js')).runLanguageServer(cwd);
  if (options.watch) {
    if (options.stdin) throw new UsageError('--watch lints files as they change; it does not apply to --stdin.');
    const again = argv.filter((argument) => argument !== '--watch');
    return (await import('./watch.js')).watchAndLint({
      cwd,
      patterns,
      stderr: io.stderr,
      lintOnce: () => runReportingErrors(again, io, false),
    });
  }
  return (await import('./run.js')).lint(options, patterns, io, fresh);
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function main(argv: readonly string[], io?: Partial<CliIo>): Promise<number> {
  const stdout = io?.stdout ?? new GuardedOutput(process.stdout);
  // Nothing can be reported about a failing standard error; guarded, it cannot crash the run.
  const stderr = io?.stderr ?? new GuardedOutput(process.stderr);
  const fullIo: CliIo = {
    stdout,
    stderr,
    readStdin: io?.readStdin ?? readAllStdin,
    cwd: io?.cwd ?? process.cwd(),
    env: io?.env ?? process.env,
  };
  const code = await runReportingErrors(argv, fullIo, true);
  if (!(stdout instanceof GuardedOutput)) return code;
  await stdout.settled();
  if (!stdout.failure || stdout.readerClosed) return code;
  stderr.write(`asynclint: cannot write to standard output: ${stdout.failure.message}\n`);
  return 2;
}

async function runReportingErrors(argv: readonly string[], fullIo: CliIo, fresh: boolean): Promise<number> {
  try {
    return await run(argv, fullIo, fresh);
  } catch (error) {
    if (error instanceof UsageError || error instanceof WriteError) {
      fullIo.stderr.write(`asynclint: ${error.message}\n`);
      return 2;
    }
    const debug = argv.includes('--debug');
    const message = error instanceof Error ? error.message : String(error);
    fullIo.stderr.write(
      `asynclint: internal error: ${message}${debug ? '' : ' (run with --debug for the stack trace)'}\n`,
    );
    if (debug && error instanceof Error && error.stack) fullIo.stderr.write(`${error.stack}\n`);
    return 2;
  }
}
