// Apart from shared.ts so that the formats without colour (json, sarif, ...) do not load chalk.
import { Chalk, type ChalkInstance } from 'chalk';
import type { FormatterContext } from './shared.js';

export function paint(context: FormatterContext): ChalkInstance {
  return new Chalk({ level: context.color ? 1 : 0 });
}
