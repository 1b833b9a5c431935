/**
 * The order to lint files in: a file before the files that import it, so its cross-file facts
 * (async exports, blocking helpers) come from its own lint and no importer parses it again. Found
 * from the text alone (relative specifiers after `from`, `import`, `require(`), resolved against
 * the files being linted: an approximate graph is enough for an order, and a wrong guess only
 * costs one extra parse, never a different finding.
 */
export interface ImportOrder {
  /** Indexes into the input, imported files first. */
  order: number[];
  /** Indexes of files some other input file imports: only their facts are worth distilling. */
  imported: Set<number>;
}

/**
 * `specifiers`: the file's relative specifiers (its language's importSpecifiers); `candidates`:
 * the files a specifier may name, most likely first (its language's moduleCandidates).
 */
export function importOrder(
  files: readonly { filePath: string; specifiers: readonly string[] }[],
  candidates: (fromFile: string, specifier: string) => readonly string[],
): ImportOrder {
  const indexOf = new Map(files.map((file, index) => [file.filePath, index]));
  const imported = new Set<number>();
  const importsOf = files.map(({ filePath, specifiers }, index) => {
    const targets: number[] = [];
    for (const specifier of specifiers) {
      for (const candidate of candidates(filePath, specifier)) {
        const target = indexOf.get(candidate);
        if (target === undefined) continue;
        if (target !== index) {
          targets.push(target);
          imported.add(target);
        }
        break;
      }
    }
    return targets;
  });
  // Depth-first, post-order, without recursion (import chains can be long).
  const order: number[] = [];
  const state = new Uint8Array(files.length); // 0 new, 1 open, 2 placed
  for (let root = 0; root < files.length; root++) {
    if (state[root]) continue;
    const stack: { file: number; next: number }[] = [{ file: root, next: 0 }];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const targets = importsOf[top.file]!;
      if (top.next < targets.length) {
        const target = targets[top.next++]!;
        if (state[target] === 0) {
          state[target] = 1;
          stack.push({ file: target, next: 0 });
        }
        continue;
      }
      stack.pop();
      state[top.file] = 2;
      order.push(top.file);
    }
  }
  return { order, imported };
}
