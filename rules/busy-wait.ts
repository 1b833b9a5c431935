/**
 * busy-wait: a loop in async code that spins on the clock (`while (Date.now() < end) {}`), holding
 * the event loop for the whole wait instead of yielding to it.
 */
import {
  addNamedImport,
  asyncContextOf,
  containsClockRead,
  importedLocalName,
  innermostFunction,
  mayRunAsync,
  skipTypeWrappers,
  spinsOnClock,
  whereCodeRunsFor,
  type SpinLoop,
} from '../src/languages/js/analysis/index.js';
import { createRule, type RuleFix, type RuleFixer, type SourceCode, type TSESTree } from '../src/languages/js/types.js';
import { BUSY_WAIT_DEFAULTS, BUSY_WAIT_SCHEMA, type BusyWaitOptions } from './shared/busy-wait-options.js';

type Options = [BusyWaitOptions];

type MessageIds = 'busyWait' | 'suggestSleep';

const TIMERS_PROMISES = ['node:timers/promises', 'timers/promises'];
const SLEEP_IMPORT = { module: 'node:timers/promises', imported: 'setTimeout', local: 'sleep' };

/** The time left until the deadline a `while` test compares the clock with: `end - (Date.now())`. */
function remainingTime(loop: TSESTree.WhileStatement, sourceCode: SourceCode): string | null {
  const test = skipTypeWrappers(loop.test);
  if (test.type !== 'BinaryExpression' || test.left.type === 'PrivateIdentifier') return null;
  const left = sourceCode.getText(test.left);
  const right = sourceCode.getText(test.right);
  const clockLeft = containsClockRead(test.left, sourceCode);
  const clockRight = containsClockRead(test.right, sourceCode);
  if ((test.operator === '<' || test.operator === '<=') && clockLeft && !clockRight) return `${right} - (${left})`;
  if ((test.operator === '>' || test.operator === '>=') && clockRight && !clockLeft) return `${left} - (${right})`;
  return null;
}

/**
 * `while (Date.now() < end) {}` becomes `await sleep(Math.max(0, end - Date.now()));` with
 * `import { setTimeout as sleep } from 'node:timers/promises'` (reusing an existing import).
 */
function sleepRewrite(loop: SpinLoop, sourceCode: SourceCode): ((fixer: RuleFixer) => RuleFix[]) | null {
  if (loop.type !== 'WhileStatement' || !innermostFunction(loop)?.async) return null;
  const remaining = remainingTime(loop, sourceCode);
  if (remaining === null) return null;
  const imported = importedLocalName(sourceCode, TIMERS_PROMISES, 'setTimeout');
  const addImport = imported === null ? addNamedImport(sourceCode, loop, SLEEP_IMPORT) : null;
  if (imported === null && addImport === null) return null;
  const call = `await ${imported ?? SLEEP_IMPORT.local}(Math.max(0, ${remaining}));`;
  return (fixer) => [...(addImport ? [addImport(fixer)] : []), fixer.replaceText(loop, call)];
}

/** The loop's keyword, which the finding underlines. */
function keywordOf(loop: SpinLoop): string {
  return loop.type === 'DoWhileStatement' ? 'do' : loop.type === 'ForStatement' ? 'for' : 'while';
}

export default createRule<MessageIds, Options>({
  name: 'busy-wait',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Report loops in async code that spin on the clock instead of waiting, holding the event loop for the whole wait.',
      category: 'perf',
      preset: 'recommended',
      presetSeverity: 'error',
    },
    hasSuggestions: true,
    messages: {
      busyWait:
        'This loop spins on the clock and holds the event loop for the whole wait: nothing else runs until it ends. Wait with `await setTimeout(ms)` from `node:timers/promises` instead.',
      suggestSleep: 'Wait with `await setTimeout(...)` from `node:timers/promises`.',
    },
    schema: BUSY_WAIT_SCHEMA,
    defaultOptions: BUSY_WAIT_DEFAULTS,
  },
  // A spin needs async code and a clock: without both, the engine skips the file's tree altogether.
  shouldRun: (file) => mayRunAsync(file.text) && /\b(?:Date|now|hrtime)\b/.test(file.text),
  create(context) {
    const sourceCode = context.sourceCode;
    const { contexts } = context.options[0];
    const where = whereCodeRunsFor(context);
    if (!where.mayReport(contexts)) return {};
    function check(loop: SpinLoop): void {
      if (!asyncContextOf(loop) || !where.reports(loop, contexts) || !spinsOnClock(loop, sourceCode)) return;
      const rewrite = sleepRewrite(loop, sourceCode);
      const start = sourceCode.getLoc(loop).start;
      context.report({
        node: loop,
        loc: { start, end: sourceCode.getLocFromIndex(loop.range[0] + keywordOf(loop).length) },
        messageId: 'busyWait',
        suggest: rewrite ? [{ messageId: 'suggestSleep', fix: rewrite }] : null,
      });
    }
    return { WhileStatement: check, DoWhileStatement: check, ForStatement: check };
  },
});
