/**
 * Code in a Vite plugin's `configureServer(server)` hook. Vite calls the hook only when it creates
 * a dev server (`vite dev`, `createServer()`), never in a build or a preview; what the hook
 * registers (`server.watcher.on('change', ...)`, a timer) runs while that server lives.
 */
import type { Node } from '../types.js';
import { isFunctionNode } from './ast.js';

const HOOK = 'configureServer';

/** Whether a function is the value of a `configureServer` hook: `configureServer(server) {...}` or `configureServer: (server) => ...`. */
function isDevServerHook(fn: Node): boolean {
  const holder = fn.parent;
  if (!holder || (holder.type !== 'Property' && holder.type !== 'MethodDefinition')) return false;
  if (holder.value !== fn || holder.computed) return false;
  const key = holder.key;
  return (key.type === 'Identifier' && key.name === HOOK) || (key.type === 'Literal' && key.value === HOOK);
}

/** Whether a node sits in the body of a `configureServer` hook (in a function nested there too). */
export function runsInDevServerHook(node: Node): boolean {
  for (let current = node.parent; current; current = current.parent)
    if (isFunctionNode(current) && isDevServerHook(current)) return true;
  return false;
}
