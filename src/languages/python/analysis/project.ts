/**
 * The project's other modules as Python rules see them: each module's facts by its qualified
 * name (module-facts.ts distils them; the host finds and reads the files), and the function a
 * qualified name stands for, through re-exports.
 */
import type { PyCallSite } from './callers.js';

export interface PyCallFact {
  /** The callee's qualified name: `netrc.netrc`, `aiohttp.helpers.basicauth_from_netrc`, `pkg.mod.Store.load`. */
  callee: string;
  /** 1-based line of the call in its module. */
  line: number;
  /** Made only on a cache miss of a function that keeps its results by key (memoised.ts): once per key. */
  oncePerKey?: boolean;
}

/** A parameter a call can leave false, by keyword or (unless null) at its positional place after a method's `self`. */
export interface PyYieldGuard {
  name: string;
  position: number | null;
}

export interface PyFunctionFacts {
  /** An `async def`, decorated or not: its body runs on the event loop as part of a coroutine. */
  async: boolean;
  /**
   * An `async def`, undecorated or under only `classmethod` / `staticmethod`: calling it makes a
   * coroutine (another decorator may return anything).
   */
  coroutine: boolean;
  /** Whether its own body can suspend (`await`, `async for`, `async with`): one that cannot runs to its end when awaited. */
  suspends: boolean;
  /** The calls its own body makes (not those of functions nested in it), in order. */
  calls: PyCallFact[];
  /**
   * For a coroutine function: the parameters (each defaulting to false) that a call must leave
   * false for the body to do no more than yield (`await asyncio.sleep(0)`); absent when it may
   * wait whatever it is given (yields-only.ts).
   */
  yieldsOnlyUnless?: PyYieldGuard[];
}

export interface PyModuleFacts {
  /** By name in the module: `helper`, or `Class.method` for a method. */
  functions: Map<string, PyFunctionFacts>;
  /** Names the module imports at its top level, and what they stand for: re-exports from an `__init__.py`. */
  imported: Map<string, string>;
}

/** A place in the project that uses a module or function, and whether it is test code. */
export interface PyProjectSite {
  test: boolean;
}

/** Who uses what, across every module of the project (gathered only when a rule asks). */
export interface PyProjectSites {
  /** The project's modules that import `moduleName` (or a submodule of it): each one's name, null outside any package. */
  importersOf(moduleName: string): (PyProjectSite & { module: string | null })[];
  /**
   * Where the project's modules other than its tests call (or otherwise use) a function or
   * method named `name`, module by module as they are read: a caller may stop at the first that
   * settles its question.
   */
  callSitesOf(name: string): Iterable<PyCallSite>;
}

/** The project's modules as the rules see them: facts of a module by its qualified name, or null when it is not the project's. */
export interface PythonProject {
  moduleFacts(moduleName: string): PyModuleFacts | null;
  /** Who imports and calls what across the project, when the host can tell. */
  sites?: PyProjectSites;
}

/** A function of the project: its facts, and its qualified name once re-exports are followed. */
export interface ProjectFunction {
  qualified: string;
  facts: PyFunctionFacts;
}

/** Re-exports followed at most this many times (`pkg.f` -> `pkg.sub.f` -> ...), never round in a circle. */
const MAX_REEXPORTS = 4;

/**
 * The project function a qualified name stands for: the longest prefix that names a module of
 * the project, then a function or `Class.method` in it, or a name it imports from elsewhere.
 */
export function projectFunction(qualified: string, project: PythonProject, hops = 0): ProjectFunction | null {
  const parts = qualified.split('.');
  for (let split = parts.length - 1; split >= 1; split--) {
    const facts = project.moduleFacts(parts.slice(0, split).join('.'));
    if (!facts) continue;
    const rest = parts.slice(split).join('.');
    const own = facts.functions.get(rest);
    if (own) return { qualified, facts: own };
    const reexported = facts.imported.get(parts[split]!);
    if (reexported && hops < MAX_REEXPORTS) {
      const target = [reexported, ...parts.slice(split + 1)].join('.');
      return target === qualified ? null : projectFunction(target, project, hops + 1);
    }
    return null;
  }
  return null;
}
