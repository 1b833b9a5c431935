/**
 * The only module that imports web-tree-sitter. Its WebAssembly runtime and the Python grammar
 * (the wasm file the tree-sitter-python package ships) load asynchronously, once per thread,
 * while linting a text is synchronous (`Language.lintText`); so the language's `prepare()` loads
 * them here before any Python file is linted, and parsing before that is a programming error
 * with a message that says what to await.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Language, Parser, Tree } from 'web-tree-sitter';

/** The grammar's tables, read once: what the tree builder asks for each node type and field. */
export interface GrammarTables {
  /** Type names by type id; anonymous tokens are named by their text (`async`, `+`). */
  typeNames: readonly string[];
  named: readonly boolean[];
  /** Field names by field id (0: no field). */
  fieldNames: readonly (string | null)[];
}

interface LoadedGrammar {
  parser: Parser;
  tables: GrammarTables;
}

let loading: Promise<void> | null = null;
let loaded: LoadedGrammar | null = null;

export class PythonParserNotLoadedError extends Error {
  constructor() {
    super(
      'The Python parser is not loaded yet: await prepare() (exported by asynclint) before linting Python text ' +
        'synchronously; lintFiles and the CLI do this themselves.',
    );
    this.name = 'PythonParserNotLoadedError';
  }
}

function grammarTables(language: Language): GrammarTables {
  const typeNames: string[] = [];
  const named: boolean[] = [];
  for (let id = 0; id < language.nodeTypeCount; id++) {
    typeNames.push(language.nodeTypeForId(id) ?? '');
    named.push(language.nodeTypeIsNamed(id));
  }
  return { typeNames, named, fieldNames: language.fields };
}

async function load(): Promise<void> {
  // Imported here, not above: a run over JavaScript files alone never loads the runtime.
  const { Language, Parser } = await import('web-tree-sitter');
  await Parser.init();
  // Read from the installed package, never downloaded: the same bytes on every machine.
  const wasmPath = createRequire(import.meta.url).resolve('tree-sitter-python/tree-sitter-python.wasm');
  const language = await Language.load(readFileSync(wasmPath));
  const parser = new Parser();
  parser.setLanguage(language);
  loaded = { parser, tables: grammarTables(language) };
}

/** Loads the runtime and the grammar on this thread; later calls share the first load. */
export function loadPythonParser(): Promise<void> {
  loading ??= load().catch((error: unknown) => {
    // A failed load (a broken install) is reported, and the next run on this thread tries again.
    loading = null;
    throw error;
  });
  return loading;
}

export function isPythonParserLoaded(): boolean {
  return loaded !== null;
}

/** The tree of `text` and the grammar's tables; the caller deletes the tree (its memory is WebAssembly's). */
export function parseToTree(text: string): { tree: Tree; tables: GrammarTables } {
  if (!loaded) throw new PythonParserNotLoadedError();
  const tree = loaded.parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return { tree, tables: loaded.tables };
}

export type { Node as SyntaxNode, Tree, TreeCursor } from 'web-tree-sitter';
