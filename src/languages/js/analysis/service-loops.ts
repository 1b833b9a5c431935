/**
 * A method that runs its object's loop until the object is stopped: `worker.run()`, whose
 * `mainLoop()` goes on `while (!this.closing)` and awaits in each turn. Such a promise settles
 * only once another method sets the flag (`close()`), so code that awaits it where it starts it
 * waits until someone else stops the object: starting it without `await` is how it is used.
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { forEachDescendant, isFunctionNode, type FunctionNode } from './ast.js';
import { classMethodOf } from './functions.js';
import type { IndexedModule } from './project.js';
import { exportedMethodFacts, resolveReceiverMethod } from './typed-receivers.js';

/** Methods calling methods (`run()` awaits `mainLoop()`): a longer chain is not followed. */
const MAX_LOOP_CALLS = 3;

type LoopNode = TSESTree.WhileStatement | TSESTree.DoWhileStatement | TSESTree.ForStatement;

function isLoopWithTest(node: Node): node is LoopNode {
  return (
    node.type === 'WhileStatement' ||
    node.type === 'DoWhileStatement' ||
    (node.type === 'ForStatement' && node.test !== null)
  );
}

/** `this.closing` read as a value of its own (a flag), not as the object of a longer member chain. */
function flagFieldsOf(test: Node, sourceCode: SourceCode): Set<string> {
  const fields = new Set<string>();
  forEachDescendant(test, sourceCode.visitorKeys, (node) => {
    if (isFunctionNode(node)) return false;
    if (
      node.type === 'MemberExpression' &&
      node.object.type === 'ThisExpression' &&
      !node.computed &&
      node.property.type === 'Identifier' &&
      !(node.parent?.type === 'MemberExpression' && node.parent.object === node)
    )
      fields.add(node.property.name);
    return undefined;
  });
  return fields;
}

/** Whether code (not functions nested in it) assigns `this.<field>` for one of `fields`, or awaits. */
function scanLoopBody(body: Node, fields: Set<string>, sourceCode: SourceCode) {
  let awaits = false;
  let writesFlag = false;
  forEachDescendant(body, sourceCode.visitorKeys, (node) => {
    if (isFunctionNode(node)) return false;
    if (node.type === 'AwaitExpression' || (node.type === 'ForOfStatement' && node.await)) awaits = true;
    const target =
      node.type === 'AssignmentExpression' ? node.left : node.type === 'UpdateExpression' ? node.argument : null;
    if (
      target?.type === 'MemberExpression' &&
      target.object.type === 'ThisExpression' &&
      target.property.type === 'Identifier' &&
      fields.has(target.property.name)
    )
      writesFlag = true;
    return undefined;
  });
  return { awaits, writesFlag };
}

function enclosingClassOf(fn: FunctionNode): TSESTree.ClassDeclaration | TSESTree.ClassExpression | null {
  const definition = fn.parent;
  const body = definition?.type === 'MethodDefinition' ? definition.parent : null;
  const classNode = body?.parent;
  return classNode?.type === 'ClassDeclaration' || classNode?.type === 'ClassExpression' ? classNode : null;
}

/**
 * Whether a method awaits in a loop whose test reads a flag of its object that the method never
 * sets (`while (!this.closing)`), itself or in a method of its class it calls through `this`.
 */
export function loopsUntilStopped(fn: FunctionNode, sourceCode: SourceCode, depth = 0): boolean {
  if (!fn.async || fn.body?.type !== 'BlockStatement') return false;
  const classNode = enclosingClassOf(fn);
  let found = false;
  forEachDescendant(fn.body, sourceCode.visitorKeys, (node) => {
    if (found || isFunctionNode(node)) return false;
    if (isLoopWithTest(node)) {
      const fields = flagFieldsOf(node.test!, sourceCode);
      if (fields.size > 0) {
        const { awaits } = scanLoopBody(node.body, fields, sourceCode);
        if (awaits && !scanLoopBody(fn.body!, fields, sourceCode).writesFlag) found = true;
      }
    }
    const callee = node.type === 'CallExpression' ? node.callee : null;
    if (
      classNode &&
      depth < MAX_LOOP_CALLS &&
      callee?.type === 'MemberExpression' &&
      callee.object.type === 'ThisExpression' &&
      !callee.computed &&
      callee.property.type === 'Identifier'
    ) {
      const method = classMethodOf(classNode, callee.property.name, 'instance');
      if (method && method !== fn && loopsUntilStopped(method, sourceCode, depth + 1)) found = true;
    }
    return found ? false : undefined;
  });
  return found;
}

/** Which methods of a file's exported classes run their object's loop until it is stopped. */
const loopsUntilStoppedKind = exportedMethodFacts(
  'loops-until-stopped',
  () => '',
  (fn: FunctionNode, module: IndexedModule) => loopsUntilStopped(fn, module.sourceCode),
);

const NO_CONFIG = {};

/** `worker.run()` where the receiver's declared class's `run` loops until the worker is stopped. */
export function startsLoopUntilStopped(call: TSESTree.CallExpression, sourceCode: SourceCode, file: string): boolean {
  const method = resolveReceiverMethod(call, sourceCode, file);
  if (method?.kind === 'local') return loopsUntilStopped(method.fn, sourceCode);
  if (method?.kind === 'imported')
    return method.project.exportFacts(method.file, loopsUntilStoppedKind(NO_CONFIG))?.get(method.key) ?? false;
  return false;
}
