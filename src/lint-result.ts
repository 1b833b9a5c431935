/** A file's LintResult from its messages, with ESLint's counts: the one place they are counted. */
import type { LintMessage, LintResult } from './types.js';

export function buildResult(
  filePath: string,
  messages: LintMessage[],
  suppressedMessages: LintMessage[] = [],
  source?: string,
): LintResult {
  let errorCount = 0;
  let warningCount = 0;
  let fatalErrorCount = 0;
  let fixableErrorCount = 0;
  let fixableWarningCount = 0;
  for (const message of messages) {
    if (message.severity === 2) {
      errorCount++;
      if (message.fatal) fatalErrorCount++;
      if (message.fix) fixableErrorCount++;
    } else {
      warningCount++;
      if (message.fix) fixableWarningCount++;
    }
  }
  const result: LintResult = {
    filePath,
    messages,
    suppressedMessages,
    errorCount,
    fatalErrorCount,
    warningCount,
    fixableErrorCount,
    fixableWarningCount,
    usedDeprecatedRules: [],
  };
  if (source !== undefined && messages.length > 0) result.source = source;
  return result;
}
