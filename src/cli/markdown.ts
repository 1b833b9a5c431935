import { Chalk } from 'chalk';

/** Enough Markdown for a terminal: bold headings, dimmed fences, inline code highlighted. */
export function renderMarkdownForTerminal(markdown: string, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  let inFence = false;
  const lines = markdown.split('\n').map((line) => {
    if (line.startsWith('```')) {
      inFence = !inFence;
      return c.dim(line);
    }
    if (inFence) return `  ${c.cyan(line)}`;
    const heading = /^(#+)\s+(.*)$/.exec(line);
    if (heading) return heading[1]!.length === 1 ? c.bold.underline(heading[2]) : c.bold(heading[2]);
    return line.replace(/`([^`]+)`/g, (_, code: string) => c.cyan(code));
  });
  return `${lines.join('\n').trimEnd()}\n`;
}
