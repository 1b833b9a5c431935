/**
 * What other modules need to know about a Python module, distilled from its text once: which of
 * its functions (module-level `def`s and the methods of its module-level classes) are coroutine
 * functions, and which calls each makes, by qualified name. A rule in another file follows an
 * imported helper through these facts (`netrc_from_env()` of `aiohttp.helpers` calls
 * `netrc.netrc`), as it follows a helper of its own file through the tree. The facts do not
 * depend on any rule's options, so one computation serves every rule and configuration.
 *
 * The host (project/python-project.ts) finds, reads and parses the module; this is pure.
 */
import { childByField, namedChildren, textOf, type PyNode } from './ast.js';
import { isAsyncFunction } from './async-context.js';
import { canSuspend, isPlainCoroutineFunction } from './coroutines.js';
import { qualifiedName } from './imports.js';
import { ownNodes } from './loops.js';
import { oncePerKeyFrom } from './memoised.js';
import type { PyCallFact, PyFunctionFacts, PyModuleFacts } from './project.js';
import type { ScopeModel } from './scopes.js';
import { yieldGuardsOf } from './yields-only.js';

/** `def f` / `async def f` at the top of a block, decorated or not: the definitions and their names. */
function definitionsIn(block: PyNode | undefined, type: string, text: string): [string, PyNode][] {
  const found: [string, PyNode][] = [];
  for (const statement of block ? namedChildren(block) : []) {
    const definition = statement.type === 'decorated_definition' ? childByField(statement, 'definition') : statement;
    const name = definition?.type === type ? childByField(definition, 'name') : undefined;
    if (definition && name) found.push([textOf(name, text), definition]);
  }
  return found;
}

/**
 * The qualified name of what a call calls, as another module can look it up: through imports
 * and instances (qualifiedName), or a function of this module (`helper()` is
 * `<module>.helper`, `self.load()` in class `Store` is `<module>.Store.load`).
 */
function calleeOf(
  call: PyNode,
  moduleName: string,
  className: string | null,
  selfName: string | null,
  scopes: ScopeModel,
  text: string,
): string | null {
  const callee = childByField(call, 'function');
  if (!callee) return null;
  if (callee.type === 'identifier') {
    const resolution = scopes.resolve(callee);
    if (resolution.kind === 'defined' && resolution.scope.kind === 'module') {
      const [definition] = resolution.definitions;
      if (resolution.definitions.length === 1 && definition!.kind === 'function')
        return `${moduleName}.${textOf(callee, text)}`;
    }
  }
  if (callee.type === 'attribute' && className && selfName) {
    const object = childByField(callee, 'object');
    const attribute = childByField(callee, 'attribute');
    if (object?.type === 'identifier' && attribute && textOf(object, text) === selfName)
      return `${moduleName}.${className}.${textOf(attribute, text)}`;
  }
  return qualifiedName(callee, scopes, text);
}

function functionFacts(
  fn: PyNode,
  moduleName: string,
  className: string | null,
  scopes: ScopeModel,
  text: string,
): PyFunctionFacts {
  const parameters = childByField(fn, 'parameters');
  const first = parameters ? namedChildren(parameters)[0] : undefined;
  const selfName = className && first?.type === 'identifier' ? textOf(first, text) : null;
  const body = childByField(fn, 'body');
  const calls: PyCallFact[] = [];
  const cachedFrom = oncePerKeyFrom(fn, scopes, text);
  for (const node of body ? ownNodes(body) : []) {
    if (node.type !== 'call') continue;
    const callee = calleeOf(node, moduleName, className, selfName, scopes, text);
    if (!callee) continue;
    const oncePerKey = cachedFrom !== null && node.start >= cachedFrom;
    calls.push(oncePerKey ? { callee, line: node.line, oncePerKey } : { callee, line: node.line });
  }
  const coroutine = isPlainCoroutineFunction(fn, scopes, text);
  const facts: PyFunctionFacts = { async: isAsyncFunction(fn), coroutine, suspends: canSuspend(fn), calls };
  const yieldsOnlyUnless = coroutine && facts.suspends ? yieldGuardsOf(fn, scopes, text) : null;
  return yieldsOnlyUnless ? { ...facts, yieldsOnlyUnless } : facts;
}

/** The facts of a parsed module whose qualified name is `moduleName`. */
export function moduleFactsOf(root: PyNode, text: string, scopes: ScopeModel, moduleName: string): PyModuleFacts {
  const functions = new Map<string, PyFunctionFacts>();
  for (const [name, fn] of definitionsIn(root, 'function_definition', text))
    functions.set(name, functionFacts(fn, moduleName, null, scopes, text));
  for (const [className, classNode] of definitionsIn(root, 'class_definition', text))
    for (const [name, fn] of definitionsIn(childByField(classNode, 'body'), 'function_definition', text))
      functions.set(`${className}.${name}`, functionFacts(fn, moduleName, className, scopes, text));
  const imported = new Map<string, string>();
  for (const [name, definitions] of scopes.module.definitions) {
    const targets = new Set(
      definitions.map((definition) => (definition.kind === 'import' ? definition.importTarget : null)),
    );
    const [target] = targets;
    if (targets.size === 1 && target) imported.set(name, target);
  }
  return { functions, imported };
}
