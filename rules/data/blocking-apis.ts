/**
 * The reviewed table of blocking APIs for `blocking-call`: what blocks the event loop, why, and
 * what to use instead. Names are export paths below the module (`readFileSync`,
 * `promises.readFile`); `*` matches part of one name; `()` is the module itself called as a
 * function (`require('sync-request')(...)`). Users add entries with the `blockingApis` option.
 */

import type { BlockingApiEntry } from '../../src/languages/js/analysis/index.js';

/** `mz/fs` promisifies fs's callback functions and hands its `*Sync` ones on unchanged. */
const FS_MODULES = ['fs', 'fs-extra', 'graceful-fs', 'mz/fs'];

/** Why an API from the `blockingApis` option blocks, as its findings say. */
export const CONFIGURED_API_BLOCKS = 'it is listed as blocking in the asynclint config';

export const BLOCKING_APIS: readonly BlockingApiEntry[] = [
  // One question about one path: microseconds on a local disk (see `cost`); listed before `*Sync`.
  ...['existsSync', 'statSync', 'lstatSync', 'accessSync', 'realpathSync', 'realpathSync.native', 'readlinkSync'].map(
    (name): BlockingApiEntry => ({
      modules: FS_MODULES,
      name,
      blocks: 'synchronous file system I/O',
      replacement: 'the promise form from `node:fs/promises` with `await`',
      cost: 'metadata',
    }),
  ),
  {
    modules: FS_MODULES,
    name: '*Sync',
    blocks: 'synchronous file system I/O',
    replacement: 'the promise form from `node:fs/promises` with `await`',
  },
  {
    modules: ['child_process'],
    name: 'execSync',
    blocks: 'it waits for a child process to exit',
    replacement: '`await promisify(exec)(...)` from `node:util` and `node:child_process`',
  },
  {
    modules: ['child_process'],
    name: 'execFileSync',
    blocks: 'it waits for a child process to exit',
    replacement: '`await promisify(execFile)(...)` from `node:util` and `node:child_process`',
  },
  {
    modules: ['child_process'],
    name: 'spawnSync',
    blocks: 'it waits for a child process to exit',
    replacement: "`spawn(...)` and `await once(child, 'close')` from `node:events`",
  },
  {
    modules: ['zlib'],
    name: '*Sync',
    blocks: 'synchronous compression work',
    replacement:
      'the callback form through `promisify` from `node:util` (for example `await promisify(gzip)(data)`), or a stream',
  },
  {
    modules: ['crypto'],
    name: 'pbkdf2Sync',
    blocks: 'CPU-heavy key derivation',
    replacement: '`await promisify(pbkdf2)(...)` from `node:util`, which runs on the thread pool',
  },
  {
    modules: ['crypto'],
    name: 'scryptSync',
    blocks: 'CPU-heavy key derivation',
    replacement: '`await promisify(scrypt)(...)` from `node:util`, which runs on the thread pool',
  },
  {
    modules: ['crypto'],
    name: 'hkdfSync',
    blocks: 'key derivation on the main thread',
    replacement: '`await promisify(hkdf)(...)` from `node:util`',
  },
  {
    modules: ['crypto'],
    name: 'generateKeyPairSync',
    blocks: 'CPU-heavy key generation',
    replacement: '`await promisify(generateKeyPair)(...)` from `node:util`',
  },
  {
    modules: ['crypto'],
    name: 'generateKeySync',
    blocks: 'key generation on the main thread',
    replacement: '`await promisify(generateKey)(...)` from `node:util`',
  },
  {
    modules: ['crypto'],
    name: 'generatePrimeSync',
    blocks: 'CPU-heavy prime generation',
    replacement: '`await promisify(generatePrime)(...)` from `node:util`',
  },
  {
    modules: ['crypto'],
    name: 'randomBytes',
    blocks: 'a large synchronous read of random data',
    replacement: 'the callback form `randomBytes(size, callback)` (or `await promisify(randomBytes)(size)`)',
    onlyWithoutCallback: true,
    minimumSize: 65536,
  },
  {
    modules: ['crypto'],
    name: 'randomFillSync',
    blocks: 'a large synchronous read of random data',
    replacement: '`randomFill(buffer, callback)` (or `await promisify(randomFill)(buffer)`)',
    minimumSize: 65536,
  },
  {
    modules: ['globalThis'],
    name: 'Atomics.wait',
    blocks: 'it suspends the thread until notified',
    replacement: '`await Atomics.waitAsync(...).value`',
  },
  {
    modules: ['bcrypt', 'bcryptjs'],
    name: 'hashSync',
    blocks: 'CPU-heavy password hashing',
    replacement: '`await bcrypt.hash(...)`',
  },
  {
    modules: ['bcrypt', 'bcryptjs'],
    name: 'compareSync',
    blocks: 'CPU-heavy password hashing',
    replacement: '`await bcrypt.compare(...)`',
  },
  {
    modules: ['bcrypt', 'bcryptjs'],
    name: 'genSaltSync',
    blocks: 'synchronous salt generation',
    replacement: '`await bcrypt.genSalt(...)`',
  },
  { modules: ['glob'], name: 'sync', blocks: 'a synchronous directory walk', replacement: '`await glob(...)`' },
  { modules: ['glob'], name: 'globSync', blocks: 'a synchronous directory walk', replacement: '`await glob(...)`' },
  { modules: ['fast-glob'], name: 'sync', blocks: 'a synchronous directory walk', replacement: '`await fg(...)`' },
  { modules: ['fast-glob'], name: 'globSync', blocks: 'a synchronous directory walk', replacement: '`await fg(...)`' },
  {
    modules: ['tinyglobby'],
    name: 'globSync',
    blocks: 'a synchronous directory walk',
    replacement: '`await glob(...)` from `tinyglobby`',
  },
  {
    modules: ['execa'],
    name: 'execaSync',
    blocks: 'it waits for a child process to exit',
    replacement: '`await execa(...)`',
  },
  {
    modules: ['execa'],
    name: 'execaCommandSync',
    blocks: 'it waits for a child process to exit',
    replacement: '`await execaCommand(...)`',
  },
  {
    modules: ['execa'],
    name: 'commandSync',
    blocks: 'it waits for a child process to exit',
    replacement: '`await execa.command(...)`',
  },
  {
    modules: ['execa'],
    name: 'sync',
    blocks: 'it waits for a child process to exit',
    replacement: '`await execa(...)`',
  },
  { modules: ['sync-request'], name: '()', blocks: 'a synchronous HTTP request', replacement: '`await fetch(...)`' },
  {
    modules: ['deasync'],
    name: '()',
    blocks: 'it spins the event loop from inside a synchronous call',
    replacement: 'an `async` function with `await`',
  },
  {
    modules: ['deasync'],
    name: '*',
    blocks: 'it spins the event loop from inside a synchronous call',
    replacement: 'an `async` function with `await`',
  },
  {
    modules: ['readline-sync'],
    name: '*',
    blocks: 'it waits synchronously for terminal input',
    replacement: '`await rl.question(...)` from `node:readline/promises`',
  },
  {
    modules: ['shelljs'],
    name: '*',
    blocks: 'shelljs commands run synchronously',
    replacement: 'the promise forms in `node:fs/promises`, or `await promisify(exec)(...)` for commands',
  },
];
