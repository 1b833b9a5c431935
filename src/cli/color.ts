/**
 * Colour for formatters that are not ours. ESLint hands formatters no colour setting: packages
 * such as eslint-formatter-pretty colour with chalk, whose supports-color decides once, when it
 * is first imported, from `--color` / `--no-color` in process.argv and from FORCE_COLOR (not
 * NO_COLOR, and not where the report goes). So the CLI's decision, which also weighs NO_COLOR
 * and `-o`, is written to FORCE_COLOR before such a formatter is imported, and set on the chalk
 * instance this process already loaded, which a formatter resolving the same chalk shares.
 * Both are process-wide, so the returned function puts them back once the report is formatted:
 * a second run in the same process (tests, API users) starts from the process's own setting.
 */
import chalk from 'chalk';

export function passColorToFormatters(color: boolean): () => void {
  const before = { level: chalk.level, forceColor: process.env.FORCE_COLOR };
  if (!color) process.env.FORCE_COLOR = '0';
  // Forced on for a pipe or a file: level 1; a terminal keeps the depth chalk detected.
  else if (
    process.env.FORCE_COLOR === undefined ||
    process.env.FORCE_COLOR === '0' ||
    process.env.FORCE_COLOR === 'false'
  )
    process.env.FORCE_COLOR = '1';
  if (!color) chalk.level = 0;
  else if (chalk.level === 0) chalk.level = 1;
  return () => {
    chalk.level = before.level;
    if (before.forceColor === undefined) delete process.env.FORCE_COLOR;
    else process.env.FORCE_COLOR = before.forceColor;
  };
}
