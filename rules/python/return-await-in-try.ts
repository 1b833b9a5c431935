/**
 * return-await-in-try for Python: `return work()` inside a `try` of an `async def`, where
 * `work()` makes a coroutine. The coroutine is returned un-run, so its exceptions are raised
 * wherever the caller awaits it, past this `except`, and `finally` runs before its work starts;
 * the caller of this function gets a coroutine where it awaited a value. Coroutines are known as
 * floating-promise knows them (src/languages/python/analysis/coroutines.ts).
 */
import {
  asyncFunctionOf,
  childByField,
  coroutineCallName,
  executingFunction,
  namedChildren,
} from '../../src/languages/python/analysis/index.js';
import { createPyRule, type PyNode } from '../../src/languages/python/types.js';

type MessageIds = 'returnWithoutAwait' | 'suggestAwait';

/** The `try` whose body the statement is in, and the handler its escape skips; null outside one. */
function escapedHandler(statement: PyNode): 'except' | 'finally' | null {
  const fn = executingFunction(statement);
  let child = statement;
  for (let current = statement.parent; current && current !== fn; child = current, current = current.parent) {
    if (current.type !== 'try_statement' || child.field !== 'body') continue;
    const clauses = namedChildren(current).map((clause) => clause.type);
    if (clauses.includes('except_clause') || clauses.includes('except_group_clause')) return 'except';
    if (clauses.includes('finally_clause')) return 'finally';
  }
  return null;
}

export default createPyRule<MessageIds, []>({
  name: 'return-await-in-try',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Report `return work()` of a coroutine inside `try` in an async def, whose `except` or `finally` is meant to handle it.',
      category: 'correctness',
      preset: 'recommended',
      presetSeverity: 'error',
    },
    hasSuggestions: true,
    messages: {
      returnWithoutAwait:
        '`{{ name }}(...)` makes a coroutine, returned here without `await` from inside `try`: it runs only when the caller awaits it, so its exceptions escape the `{{ handler }}` and `finally` runs before its work starts. Write `return await ...`.',
      suggestAwait: 'Add `await`.',
    },
    schema: [],
  },
  shouldRun: (text) => text.includes('async') && text.includes('try'),
  create(context) {
    const { sourceCode } = context;
    return {
      return_statement(statement) {
        const [value] = namedChildren(statement);
        if (value?.type !== 'call' || !asyncFunctionOf(statement)) return;
        const handler = escapedHandler(statement);
        const name = handler && coroutineCallName(value, sourceCode.scopes, sourceCode.text, sourceCode.project);
        if (!name || !childByField(value, 'function')) return;
        context.report({
          node: value,
          messageId: 'returnWithoutAwait',
          data: { name, handler },
          suggest: [{ messageId: 'suggestAwait', fix: { range: [value.start, value.start], text: 'await ' } }],
        });
      },
    };
  },
});
