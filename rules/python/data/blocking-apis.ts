/**
 * Python APIs that block the calling thread, by qualified name (what the call resolves to through
 * imports), with what they wait for, what to use instead, and the ruff code that reports the
 * same call (a `# noqa` for it silences ours too). The names are facts of the standard library
 * and of well-known sync packages (HTTP clients, database drivers, bcrypt); users add their own
 * with the `blockingApis` option. `x().m` is method `m` of what `x(...)` returns.
 *
 * Left out on purpose: calls that ask about one path (`os.path.exists`, `os.stat`,
 * `Path().is_file()`), which cost microseconds, as the JS rule treats them; pure path
 * arithmetic (`pathlib.PurePath`, `Path().joinpath`), which never touches the disk.
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
  /**
   * Below this Python version the call only makes a generator, and the disk is read as it is
   * iterated (`Path.iterdir()` lists eagerly from 3.13 on).
   */
  lazyBelow?: readonly number[];
  /** Its first argument is a host name to look up: `localhost` or an address needs no DNS query. */
  hostArgument?: boolean;
  /** It removes a directory entry: for a file with no data (a socket, a FIFO, a link), nothing more. */
  removesEntry?: boolean;
  /** A method of a file object known by its annotation (`fobj: IO[bytes]`), which an in-memory buffer also fits. */
  fileObject?: boolean;
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

const TEMP_FILE = {
  blocks: 'it creates and opens a file on disk, and the file object then reads and writes it synchronously',
  replacement: '`await asyncio.to_thread(...)` around the file work, or `aiofiles.tempfile`',
  rewrite: null,
  ruffCode: null,
} as const;
const FILE_OBJECT = {
  blocks: 'reading or writing a file object waits for the disk',
  replacement:
    '`await asyncio.to_thread(...)` around the file work (as `loop.run_in_executor`), or an async file library',
  rewrite: 'to-thread',
  ruffCode: null,
} as const;
const FILE_OBJECT_CLASSES = [
  'typing.IO',
  'typing.BinaryIO',
  'typing.TextIO',
  'io.FileIO',
  'io.BufferedReader',
  'io.BufferedWriter',
  'io.BufferedRandom',
  'io.TextIOWrapper',
];
const FILE_OBJECT_METHODS = ['read', 'read1', 'readinto', 'readline', 'readlines', 'write', 'writelines'];
const SOURCE_FILES = {
  blocks: 'it reads the source file of each frame from disk',
  replacement: '`await asyncio.to_thread(...)` around the rendering',
  rewrite: 'to-thread',
  ruffCode: null,
} as const;
const FILE_SYSTEM = {
  blocks: 'it changes or lists the file system and waits for the disk',
  replacement: '`await asyncio.to_thread(...)` (or `aiofiles.os`)',
  rewrite: 'to-thread',
  ruffCode: null,
} as const;
/** Calls that return an iterator: to run only the call in a thread would leave the disk work in the loop. */
const FILE_SYSTEM_ITERATOR = {
  blocks: 'iterating it reads directories from the disk',
  replacement: '`await asyncio.to_thread(lambda: list(...))` to list everything in a thread',
  rewrite: null,
  ruffCode: null,
} as const;
const COPY_TREE = {
  blocks: 'it copies, moves, deletes or packs files and waits for the disk throughout',
  replacement: '`await asyncio.to_thread(...)`',
  rewrite: 'to-thread',
  ruffCode: null,
} as const;
const PATH_IO = {
  blocks: 'it reads or writes the file system and waits for the disk',
  replacement: '`await asyncio.to_thread(...)`, or `anyio.Path` / `aiofiles`',
  rewrite: 'to-thread',
  ruffCode: 'ASYNC240',
} as const;
const CERTIFICATES = {
  blocks: 'it reads certificate files from disk and parses them',
  replacement: '`await asyncio.to_thread(...)`, or build the context once at start-up and reuse it',
  rewrite: 'to-thread',
  ruffCode: null,
} as const;
const KEY_DERIVATION = {
  blocks: 'key derivation is slow on purpose and keeps the CPU busy for tens to hundreds of milliseconds',
  replacement: '`await asyncio.to_thread(...)` (it releases the GIL, so the loop runs meanwhile)',
  rewrite: 'to-thread',
  ruffCode: null,
} as const;
const DATABASE = {
  blocks: 'a sync database driver waits for the database server, or for the disk with sqlite3',
  replacement:
    'an async driver (`aiosqlite`, `asyncpg`, `psycopg.AsyncConnection`, `aiomysql`) or `await asyncio.to_thread(...)`',
  rewrite: 'to-thread',
  ruffCode: null,
} as const;
const ARCHIVE = {
  blocks:
    'it opens a file on disk (reading its index for a zip or tar), and the object then reads and writes it synchronously',
  replacement: '`await asyncio.to_thread(...)` around the whole archive work',
  rewrite: null,
  ruffCode: null,
} as const;

/** Each sync driver's `connect` and the connection and cursor methods that wait for the database. */
const DATABASE_DRIVERS: Record<string, { connection: string[]; cursor: string[] }> = {
  // sqlite3 steps the query as rows are fetched, so fetching reads the disk too.
  sqlite3: {
    connection: ['execute', 'executemany', 'executescript', 'commit', 'rollback', 'backup'],
    cursor: ['execute', 'executemany', 'executescript', 'fetchone', 'fetchmany', 'fetchall'],
  },
  // The network drivers' default cursors hold the whole result after `execute`: fetching does not wait.
  psycopg2: { connection: ['commit', 'rollback'], cursor: ['execute', 'executemany', 'callproc'] },
  psycopg: { connection: ['execute', 'commit', 'rollback'], cursor: ['execute', 'executemany'] },
  pymysql: { connection: ['commit', 'rollback'], cursor: ['execute', 'executemany', 'callproc'] },
  MySQLdb: { connection: ['commit', 'rollback'], cursor: ['execute', 'executemany', 'callproc'] },
};

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
  ...['create_connection', 'gethostbyaddr', 'getfqdn', 'getnameinfo'].map((name) => ({
    name: `socket.${name}`,
    ...NAME_LOOKUP,
  })),
  ...['getaddrinfo', 'gethostbyname', 'gethostbyname_ex'].map((name) => ({
    name: `socket.${name}`,
    ...NAME_LOOKUP,
    hostArgument: true,
  })),
  ...['socket.socket()', 'socket.create_connection()'].flatMap((socket) =>
    SOCKET_METHODS.map((method) => ({ name: `${socket}.${method}`, ...SOCKET_IO })),
  ),
  ...['TemporaryFile', 'NamedTemporaryFile'].map((name) => ({ name: `tempfile.${name}`, ...TEMP_FILE })),
  ...['mkstemp', 'mkdtemp'].map((name) => ({
    name: `tempfile.${name}`,
    ...FILE_SYSTEM,
    blocks: 'it creates a file or directory on disk',
  })),
  {
    // Made on entry, deleted with everything in it (`shutil.rmtree`) on exit: a thread for the
    // constructor alone would leave the deletion in the loop.
    name: 'tempfile.TemporaryDirectory',
    blocks: 'it creates a directory on disk, and deletes it with its contents on exit',
    replacement: '`await asyncio.to_thread(tempfile.mkdtemp)` and `await asyncio.to_thread(shutil.rmtree, path)`',
    rewrite: null,
    ruffCode: null,
  },
  ...['listdir', 'remove', 'unlink', 'rename', 'replace', 'makedirs', 'mkdir', 'rmdir', 'removedirs'].map((name) => ({
    name: `os.${name}`,
    ...FILE_SYSTEM,
    ...(name === 'remove' || name === 'unlink' ? { removesEntry: true } : {}),
  })),
  ...['os.walk', 'os.scandir'].map((name) => ({ name, ...FILE_SYSTEM_ITERATOR })),
  ...['copy', 'copy2', 'copyfile', 'copytree', 'move', 'rmtree', 'make_archive', 'unpack_archive'].map((name) => ({
    name: `shutil.${name}`,
    ...COPY_TREE,
  })),
  { name: 'pathlib.Path().open', ...FILE },
  // A parameter annotated as a file object (`fobj: IO[bytes]`): its author says it may be a file
  // on disk, whose reads and writes wait for it. In-memory classes (`io.BytesIO`) are left out.
  ...FILE_OBJECT_CLASSES.flatMap((fileClass) =>
    FILE_OBJECT_METHODS.map((method) => ({ name: `${fileClass}().${method}`, ...FILE_OBJECT, fileObject: true })),
  ),
  // Source lines of each frame come from the files on disk (through `linecache`): a traceback
  // page rendered in a coroutine reads a file per frame.
  ...['getinnerframes', 'getouterframes', 'stack', 'trace', 'getsource', 'getsourcelines', 'findsource'].map(
    (name) => ({ name: `inspect.${name}`, ...SOURCE_FILES }),
  ),
  ...[
    'read_text',
    'read_bytes',
    'write_text',
    'write_bytes',
    'unlink',
    'rmdir',
    'mkdir',
    'touch',
    'rename',
    'replace',
  ].map((name) => ({
    name: `pathlib.Path().${name}`,
    ...PATH_IO,
    ...(name === 'unlink' ? { removesEntry: true } : {}),
  })),
  ...['iterdir', 'glob', 'rglob'].map((name) => ({
    name: `pathlib.Path().${name}`,
    ...FILE_SYSTEM_ITERATOR,
    ruffCode: 'ASYNC240',
    ...(name === 'iterdir' ? { lazyBelow: [3, 13] } : {}),
  })),
  { name: 'ssl.create_default_context', ...CERTIFICATES, blocks: "it loads and parses the system's CA certificates" },
  ...['load_verify_locations', 'load_cert_chain', 'load_default_certs', 'set_default_verify_paths'].map((name) => ({
    name: `ssl.SSLContext().${name}`,
    ...CERTIFICATES,
  })),
  {
    name: 'netrc.netrc',
    blocks: 'it reads and parses `~/.netrc` from disk',
    replacement: '`await asyncio.to_thread(netrc.netrc, ...)`, or read it once at start-up',
    rewrite: 'to-thread',
    ruffCode: null,
  },
  ...['hashlib.pbkdf2_hmac', 'hashlib.scrypt', 'bcrypt.hashpw', 'bcrypt.checkpw', 'bcrypt.kdf'].map((name) => ({
    name,
    ...KEY_DERIVATION,
  })),
  ...Object.entries(DATABASE_DRIVERS).flatMap(([driver, methods]) => [
    { name: `${driver}.connect`, ...DATABASE },
    ...methods.connection.map((method) => ({ name: `${driver}.connect().${method}`, ...DATABASE })),
    ...methods.cursor.map((method) => ({ name: `${driver}.connect().cursor().${method}`, ...DATABASE })),
  ]),
  ...['sqlalchemy.MetaData()', 'sqlmodel.SQLModel.metadata'].flatMap((metadata) =>
    ['create_all', 'drop_all'].map((name) => ({
      name: `${metadata}.${name}`,
      blocks: 'it runs DDL statements on a sync engine and waits for the database',
      replacement: '`await conn.run_sync(metadata.create_all)` on an async engine, or `await asyncio.to_thread(...)`',
      rewrite: 'to-thread' as const,
      ruffCode: null,
    })),
  ),
  ...['zipfile.ZipFile', 'tarfile.open', 'gzip.open', 'bz2.open', 'lzma.open'].map((name) => ({ name, ...ARCHIVE })),
];

/** What a `# noqa` for ruff's flake8-async rules says about the same calls. */
export const RUFF_CODES = [...new Set(PY_BLOCKING_APIS.flatMap((api) => (api.ruffCode ? [api.ruffCode] : [])))].sort();
