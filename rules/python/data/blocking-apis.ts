/**
 * Python APIs that block the calling thread, by qualified name (what the call resolves to through
 * imports), with what they wait for, what to use instead, and the ruff code that reports the
 * same call (a `# noqa` for it silences ours too). The names are facts of the standard library
 * and of the sync HTTP clients; users add their own with the `blockingApis` option.
 */

/** How a call can be rewritten in place: `await asyncio.sleep(...)`, or run in a thread with `asyncio.to_thread`. */
export type Rewrite = 'sleep' | 'to-thread' | null;

export interface PyBlockingApi {
  /** Qualified name; `*` matches the rest of a name part. */
  name: string;
  blocks: string;
  replacement: string;
  rewrite: Rewrite;
  ruffCode: string | null;
  /** A method of a socket, which `setblocking(False)` or `settimeout(0)` turns into one that never waits. */
  socketMethod?: boolean;
}

const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];
const HTTP = {
  blocks: 'it waits for the whole HTTP response',
  replacement: 'an async client (`httpx.AsyncClient`, `aiohttp`) or `await asyncio.to_thread(...)`',
  rewrite: 'to-thread',
  ruffCode: 'ASYNC210',
} as const;
const RUN_PROCESS = {
  blocks: 'it waits for the process to exit',
  replacement: '`await asyncio.create_subprocess_exec(...)` and `await process.wait()`',
  rewrite: 'to-thread',
  ruffCode: 'ASYNC221',
} as const;
const FILE = {
  blocks: 'file I/O waits for the disk',
  replacement: '`await asyncio.to_thread(...)` around the file work, or an async file library',
  rewrite: null,
  ruffCode: 'ASYNC230',
} as const;
const NAME_LOOKUP = {
  blocks: 'it waits for a DNS lookup or a connection',
  replacement: "the event loop's own `await loop.getaddrinfo(...)` / `await asyncio.open_connection(...)`",
  rewrite: 'to-thread',
  ruffCode: null,
} as const;
const WAIT = {
  blocks: 'it waits for a child process',
  replacement: '`await process.wait()` on an `asyncio` subprocess',
  rewrite: 'to-thread',
  ruffCode: 'ASYNC222',
} as const;

/** A socket's blocking I/O methods (a socket is blocking unless `setblocking(False)` says otherwise). */
export const SOCKET_METHODS = [
  'accept',
  'connect',
  'recv',
  'recv_into',
  'recvfrom',
  'recvfrom_into',
  'send',
  'sendall',
  'sendto',
  'sendfile',
];
const SOCKET_IO = {
  blocks: 'a blocking socket waits for the peer',
  replacement:
    "asyncio streams (`await asyncio.open_connection(...)`) or the loop's `await loop.sock_recv(...)` family",
  rewrite: null,
  ruffCode: null,
  socketMethod: true,
} as const;

export const PY_BLOCKING_APIS: readonly PyBlockingApi[] = [
  {
    name: 'time.sleep',
    blocks: 'the whole thread sleeps',
    replacement: '`await asyncio.sleep(...)`',
    rewrite: 'sleep',
    ruffCode: 'ASYNC251',
  },
  ...HTTP_VERBS.map((verb) => ({ name: `requests.${verb}`, ...HTTP })),
  ...[...HTTP_VERBS, 'stream'].map((verb) => ({ name: `httpx.${verb}`, ...HTTP })),
  // Methods of a sync client the code made (`session = requests.Session()`; `with httpx.Client() as c`).
  ...[...HTTP_VERBS, 'send'].map((verb) => ({ name: `requests.Session().${verb}`, ...HTTP })),
  ...[...HTTP_VERBS, 'send', 'stream'].map((verb) => ({
    name: `httpx.Client().${verb}`,
    ...HTTP,
    ruffCode: 'ASYNC212',
  })),
  { name: 'urllib.request.urlopen', ...HTTP },
  { name: 'urllib3.request', ...HTTP },
  ...['run', 'call', 'check_call', 'check_output', 'getoutput', 'getstatusoutput'].map((name) => ({
    name: `subprocess.${name}`,
    ...RUN_PROCESS,
  })),
  { name: 'os.system', ...RUN_PROCESS },
  ...['subprocess.Popen', 'os.popen', 'os.posix_spawn', 'os.posix_spawnp'].map((name) => ({
    name,
    blocks: 'starting a process forks and waits for it to begin',
    replacement: '`await asyncio.create_subprocess_exec(...)`',
    rewrite: null,
    ruffCode: 'ASYNC220',
  })),
  ...['os.wait', 'os.waitpid', 'os.wait3', 'os.wait4', 'os.waitid'].map((name) => ({ name, ...WAIT })),
  ...['builtins.open', 'io.open', 'codecs.open'].map((name) => ({ name, ...FILE })),
  {
    name: 'builtins.input',
    blocks: 'it waits for someone to type a line',
    replacement: '`await asyncio.to_thread(input, ...)`',
    rewrite: 'to-thread',
    ruffCode: 'ASYNC250',
  },
  ...[
    'create_connection',
    'getaddrinfo',
    'gethostbyname',
    'gethostbyname_ex',
    'gethostbyaddr',
    'getfqdn',
    'getnameinfo',
  ].map((name) => ({ name: `socket.${name}`, ...NAME_LOOKUP })),
  ...['socket.socket()', 'socket.create_connection()'].flatMap((socket) =>
    SOCKET_METHODS.map((method) => ({ name: `${socket}.${method}`, ...SOCKET_IO })),
  ),
];

/** What a `# noqa` for ruff's flake8-async rules says about the same calls. */
export const RUFF_CODES = [...new Set(PY_BLOCKING_APIS.flatMap((api) => (api.ruffCode ? [api.ruffCode] : [])))].sort();
