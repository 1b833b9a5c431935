/**
 * blocking-call's options, one schema for the JS and the Python rule: the same id is the same
 * pitfall, so one config line (`"blocking-call": ["error", { "contexts": [...] }]`) speaks of both.
 */
import { stringListOption, type JSONSchema } from '../../src/types.js';
import { contextsOption, type RunContext } from '../../src/analysis/context/file-context.js';

export type MetadataCalls = 'in-loops' | 'always';

export interface BlockingCallOptions {
  blockingApis: { module: string; name: string; replacement: string }[];
  allow: string[];
  helperDepth: number;
  metadataCalls: MetadataCalls;
  contexts: RunContext[];
}

/** Blocking matters where other work can be waiting on the event loop: not in a script that runs once, nor in a test. */
export const DEFAULT_CONTEXTS: RunContext[] = ['request'];

/**
 * In Python, an `async def` exists to run on an event loop beside other tasks, so library code
 * counts too: a coroutine of a library runs in its users' servers and clients. JS has no such
 * marker (any function runs on the loop, async or not), and its library findings were about 1%
 * worth changing; on six asyncio code bases, Python's library code added one finding.
 */
export const PYTHON_DEFAULT_CONTEXTS: RunContext[] = ['request', 'library'];

function blockingCallSchema(defaults: readonly RunContext[]): JSONSchema[] {
  return [
    {
      type: 'object',
      description: 'Which calls count as blocking.',
      properties: {
        blockingApis: {
          type: 'array',
          description:
            'More blocking APIs: `{ "module": "my-db", "name": "querySync", "replacement": "`await db.query(...)`" }`. `name` is an export path below the module; `*` matches part of a name and `()` is the module called as a function.',
          items: {
            type: 'object',
            properties: {
              module: { type: 'string', description: 'The module specifier, as imported (`node:` is optional).' },
              name: { type: 'string', description: 'The export path pattern (`querySync`, `*Sync`, `()`).' },
              replacement: { type: 'string', description: 'What to use instead, shown in the finding.' },
            },
            required: ['module', 'name', 'replacement'],
            additionalProperties: false,
          },
        },
        allow: stringListOption(
          'Blocking APIs to accept, named as findings name them: `fs.existsSync`, `child_process.execSync`.',
        ),
        helperDepth: {
          type: 'integer',
          minimum: 0,
          maximum: 20,
          description: 'How many sync helpers deep to follow a blocking call (0 reports direct calls only).',
        },
        metadataCalls: {
          type: 'string',
          enum: ['in-loops', 'always'],
          description:
            'When to report a call that only asks about one path (`existsSync`, `statSync`, `realpathSync`, directly or as all a helper does): `in-loops` (default) when it runs once per element of a loop or array callback, where the microseconds add up; `always` for every call.',
        },
        contexts: contextsOption(defaults),
      },
      additionalProperties: false,
    },
  ];
}

export const BLOCKING_CALL_SCHEMA = blockingCallSchema(DEFAULT_CONTEXTS);
export const PYTHON_BLOCKING_CALL_SCHEMA = blockingCallSchema(PYTHON_DEFAULT_CONTEXTS);

const DEFAULTS: Omit<BlockingCallOptions, 'contexts'> = {
  blockingApis: [],
  allow: [],
  helperDepth: 3,
  metadataCalls: 'in-loops',
};
export const BLOCKING_CALL_DEFAULTS: [BlockingCallOptions] = [{ ...DEFAULTS, contexts: DEFAULT_CONTEXTS }];
export const PYTHON_BLOCKING_CALL_DEFAULTS: [BlockingCallOptions] = [
  { ...DEFAULTS, contexts: PYTHON_DEFAULT_CONTEXTS },
];
