// Preloaded into each benchmarked process: on exit, append its peak resident memory (bytes) and
// the CPU time it used (user + system, microseconds) to a file, one line per exit. Both are the
// whole process's (every thread's), so the largest line is the process's.
import { appendFileSync } from 'node:fs';

const target = process.env.ASYNCLINT_BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    appendFileSync(target, `${usage.maxRSS * 1024} ${usage.userCPUTime + usage.systemCPUTime}\n`);
  });
}
