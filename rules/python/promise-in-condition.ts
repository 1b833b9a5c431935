/**
 * promise-in-condition for Python: a coroutine tested as a truth value (`if is_ready():` where
 * `is_ready` is an `async def`). A coroutine object is always true, so the branch never depends
 * on its answer, and the coroutine itself never runs. Coroutines are known as floating-promise
 * knows them (src/languages/python/analysis/coroutines.ts).
 */
import {
  canAwaitAt,
  childByField,
  coroutineCallName,
  namedChildren,
} from '../../src/languages/python/analysis/index.js';
import { createPyRule, type PyNode } from '../../src/languages/python/types.js';

type MessageIds = 'promiseInCondition' | 'suggestAwait';

/** Operators a truth test passes through: `not x`, `x and y`, `(x)`. */
const PASS_THROUGH = new Set(['not_operator', 'boolean_operator', 'parenthesized_expression']);

/** Whether Python reads `node`'s truth value: a condition, `not`, `and` / `or`, a comprehension's `if`, `assert`. */
function isTruthTested(node: PyNode): boolean {
  let child = node;
  let parent = node.parent;
  while (parent && PASS_THROUGH.has(parent.type)) {
    // `x or default` hands on `x` itself when it is true: a coroutine there is still read as true.
    if (parent.type === 'not_operator' || parent.type === 'boolean_operator') return true;
    child = parent;
    parent = parent.parent;
  }
  if (!parent) return false;
  switch (parent.type) {
    case 'if_statement':
    case 'elif_clause':
    case 'while_statement':
      return childByField(parent, 'condition') === child;
    case 'conditional_expression':
      return namedChildren(parent)[1] === child;
    case 'assert_statement':
      return namedChildren(parent)[0] === child;
    case 'if_clause':
      return true;
    default:
      return false;
  }
}

export default createPyRule<MessageIds, []>({
  name: 'promise-in-condition',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Report coroutines used as conditions (`if`, `while`, `not`, `and`, `or`, `assert`), which are always true.',
      category: 'correctness',
      preset: 'recommended',
      presetSeverity: 'error',
    },
    hasSuggestions: true,
    messages: {
      promiseInCondition:
        '`{{ name }}(...)` makes a coroutine, which is always true, so this condition does not depend on its answer (and the coroutine never runs). `await` it to test its value.',
      suggestAwait: 'Add `await`.',
    },
    schema: [],
  },
  shouldRun: (text) => text.includes('async'),
  create(context) {
    const { sourceCode } = context;
    return {
      call(call) {
        if (!isTruthTested(call)) return;
        const name = coroutineCallName(call, sourceCode.scopes, sourceCode.text, sourceCode.project);
        if (!name) return;
        const fix = { range: [call.start, call.start] as [number, number], text: 'await ' };
        context.report({
          node: call,
          messageId: 'promiseInCondition',
          data: { name },
          suggest: canAwaitAt(call) ? [{ messageId: 'suggestAwait', fix }] : [],
        });
      },
    };
  },
});
