// Preloaded into each benchmarked process: on exit, append its peak resident memory (bytes) to a file.
import { appendFileSync } from 'node:fs';

const target = process.env.ASYNCLINT_BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    appendFileSync(target, `${process.resourceUsage().maxRSS * 1024}\n`);
  });
}
