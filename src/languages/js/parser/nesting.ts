/**
 * How deeply a file nests, estimated by one linear scan of its text before it is parsed.
 *
 * The native parser (oxc) recurses on the thread's stack and a stack overflow there is a
 * segmentation fault: the whole process dies, every other file's result with it. Measured on a
 * 4 MB worker stack, it dies at about 6,600 nested template expressions, 7,000 arrows, 7,800
 * parentheses, 12,000 assignments or nested `if`s, 37,000 binary operators and 85,000 member
 * accesses. So a file whose estimated depth passes MAX_NESTING_DEPTH is refused with a fatal
 * message instead; the limit leaves a safety margin of more than five times, far above real code.
 *
 * Units: each open bracket (`(`, `[`, `{`, `${`, a type argument list, a JSX element) counts 1;
 * links that nest the tree without a bracket (`=>`, `=`, `?:`, `if`, loops, operators, `.`,
 * calls) count what they cost the parser, a fraction of a unit (see the weights below). Links
 * accumulate along a statement and reset at `;`, `,` and a line break that ends the statement.
 *
 * It is an estimate, not a tokenizer: a regular expression or JSX text it misreads can shift the
 * count by a bracket or two, and a mismatched closer pops back to its opener, so errors don't add up.
 */

/** Estimated nesting above which a file is not parsed; documented in the README. */
export const MAX_NESTING_DEPTH = 1000;

/**
 * Weights in eighths of a unit, a unit being what a parenthesis costs the parser (about 540 bytes
 * of stack); from the measurements above.
 */
const BRACKET = 8;
const RIGHT_NESTING = 8; // `=>`
const ASSIGNMENT = 5;
const STATEMENT = 5; // `if`, loops; `else` adds nothing, as `else if` is one level
const CONDITIONAL = 4; // each of `?` and `:`
const OPERATOR = 2; // binary and unary operators, calls, `typeof` and the like
const MEMBER = 1; // `.`, `?.`

export interface NestingExcess {
  /** Offset where the estimate first passed the limit. */
  offset: number;
  limit: number;
}

type FrameKind = 'paren' | 'bracket' | 'brace' | 'template-expression' | 'type-arguments' | 'jsx-tag' | 'jsx-children';

interface Frame {
  kind: FrameKind;
  /** Depth at which this frame's content starts, in eighths. */
  base: number;
  /** Links along the current statement at this level, in eighths. */
  links: number;
  /** A `(` right after `if`, `for`, `while`, `with`, `switch` or `catch`: its `)` does not end a statement. */
  header?: boolean;
}

/** What the last significant token was: it decides what `/`, `<` and a line break mean. */
type LastToken = 'expression-end' | 'operator' | 'open' | 'header-close' | 'keyword';

const STATEMENT_PREFIXES = new Set(['if', 'else', 'for', 'while', 'do', 'with']);
const HEADER_KEYWORDS = new Set(['if', 'for', 'while', 'with', 'switch', 'catch']);
const OPERATOR_KEYWORDS = new Set([
  'typeof',
  'void',
  'delete',
  'await',
  'new',
  'yield',
  'in',
  'instanceof',
  'as',
  'satisfies',
  'keyof',
  'infer',
]);
const KEYWORDS_BEFORE_EXPRESSION = new Set(['return', 'throw', 'case', 'of', 'export', 'default', 'extends']);
const OPERATOR_CHARACTERS = '+-*/%&|^<>=!~?:.';
/** The longest word of the sets above (`instanceof`). */
const MAX_KEYWORD_LENGTH = Math.max(
  ...[...STATEMENT_PREFIXES, ...HEADER_KEYWORDS, ...OPERATOR_KEYWORDS, ...KEYWORDS_BEFORE_EXPRESSION].map(
    (word) => word.length,
  ),
);

function isIdentifierStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 36 || code === 95 || code > 127;
}

function isIdentifierPart(code: number): boolean {
  return isIdentifierStart(code) || (code >= 48 && code <= 57);
}

function isLineBreak(code: number): boolean {
  return code === 10 || code === 13 || code === 0x2028 || code === 0x2029;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 11 || code === 12 || code === 0xa0 || code === 0xfeff;
}

/**
 * The first place where `text` nests deeper than `limit`, or null. `jsx` enables JSX elements
 * (as in .jsx and .tsx files), whose text content is skipped.
 */
export function findExcessiveNesting(text: string, jsx: boolean, limit = MAX_NESTING_DEPTH): NestingExcess | null {
  const limitEighths = limit * 8;
  const stack: Frame[] = [{ kind: 'brace', base: 0, links: 0 }];
  let frame = stack[0]!;
  let last: LastToken = 'open';
  /** A line break since the last token, with links pending: a statement may have ended there. */
  let lineBreakPending = false;
  let index = 0;
  const length = text.length;

  const depth = () => frame.base + frame.links;
  const exceeded = (offset: number): NestingExcess | null => (depth() > limitEighths ? { offset, limit } : null);
  const addLink = (weight: number, offset: number) => {
    frame.links += weight;
    return exceeded(offset);
  };
  const push = (kind: FrameKind, offset: number, header = false) => {
    const next: Frame = { kind, base: depth() + BRACKET, links: 0, header };
    stack.push(next);
    frame = next;
    last = 'open';
    return exceeded(offset);
  };
  /**
   * Template text from `from` to its end: at `${` a template expression opens (its `}` resumes the
   * text), at the closing backtick the template is a finished expression. Returns where to go on,
   * or the excess when the opening goes too deep.
   */
  const continueTemplate = (from: number): number | NestingExcess => {
    const at = scanTemplateText(text, from);
    if (text.charCodeAt(at) !== 36) {
      last = 'expression-end';
      return at + 1;
    }
    return push('template-expression', at) ?? at + 2;
  };
  /** Pops to the nearest frame of one of `kinds`; a closer with no such opener is ignored. */
  const popTo = (kinds: readonly FrameKind[]): Frame | null => {
    for (let at = stack.length - 1; at > 0; at--) {
      if (kinds.includes(stack[at]!.kind)) {
        const popped = stack[at]!;
        stack.length = at;
        frame = stack[at - 1]!;
        return popped;
      }
    }
    return null;
  };
  /** A statement ended: its links are done, and a `<` that was a comparison opened nothing. */
  const endStatement = () => {
    while (frame.kind === 'type-arguments') popTo(['type-arguments']);
    frame.links = 0;
  };
  /** Called before each significant token: a line break after a complete expression ends the statement. */
  const beforeToken = (code: number, at: number) => {
    if (!lineBreakPending) return;
    lineBreakPending = false;
    // `}` then `else` on the next line continues the `if`: an else-if chain nests however it is laid out.
    const continuesWord =
      isIdentifierStart(code) && /^(?:else|instanceof|in|as|satisfies)\b/.test(text.slice(at, at + 11));
    const continues =
      continuesWord ||
      OPERATOR_CHARACTERS.includes(String.fromCharCode(code)) ||
      code === 40 ||
      code === 91 ||
      code === 96;
    if (last === 'expression-end' && !continues) endStatement();
  };

  while (index < length) {
    const code = text.charCodeAt(index);
    if (frame.kind === 'jsx-children') {
      // Text between JSX tags is not code: only `<` and `{` mean something there.
      if (code === 60) {
        if (text.charCodeAt(index + 1) === 47) {
          popTo(['jsx-children']);
          // The closing tag's name up to `>`.
          const close = text.indexOf('>', index);
          index = close === -1 ? length : close + 1;
          last = 'expression-end';
          continue;
        }
        const excess = push('jsx-tag', index);
        if (excess) return excess;
        index++;
        continue;
      }
      if (code === 123) {
        const excess = push('brace', index);
        if (excess) return excess;
      }
      index++;
      continue;
    }
    if (isLineBreak(code)) {
      if (frame.links > 0) lineBreakPending = true;
      index++;
      continue;
    }
    if (isSpace(code)) {
      index++;
      continue;
    }
    const next = text.charCodeAt(index + 1);
    // Comments.
    if (code === 47 && next === 47) {
      while (index < length && !isLineBreak(text.charCodeAt(index))) index++;
      continue;
    }
    if (code === 47 && next === 42) {
      const end = text.indexOf('*/', index + 2);
      const comment = text.slice(index, end === -1 ? length : end);
      if (/[\n\r\u2028\u2029]/.test(comment) && frame.links > 0) lineBreakPending = true;
      index = end === -1 ? length : end + 2;
      continue;
    }
    beforeToken(code, index);
    // Strings end at their quote or, unterminated, at the line's end (JSX text read as code).
    if (code === 34 || code === 39) {
      index++;
      while (index < length) {
        const inner = text.charCodeAt(index);
        if (inner === code || isLineBreak(inner)) break;
        index += inner === 92 ? 2 : 1;
      }
      index++;
      last = 'expression-end';
      continue;
    }
    if (code === 96) {
      const next = continueTemplate(index + 1);
      if (typeof next !== 'number') return next;
      index = next;
      continue;
    }
    if (code === 47 && last !== 'expression-end') {
      index = scanRegularExpression(text, index + 1);
      last = 'expression-end';
      continue;
    }
    if (isIdentifierStart(code) || code === 92) {
      const start = index;
      while (index < length && (isIdentifierPart(text.charCodeAt(index)) || text.charCodeAt(index) === 92)) index++;
      const isProperty = text.charCodeAt(start - 1) === 46;
      // A property, or a word no keyword could be (keywords are 2 to 10 lowercase letters): a
      // name, known without slicing it out (most words of a file are such names).
      if (isProperty || code < 97 || code > 122 || index - start > MAX_KEYWORD_LENGTH) {
        last = 'expression-end';
        continue;
      }
      const word = text.slice(start, index);
      if (STATEMENT_PREFIXES.has(word)) {
        const excess = addLink(word === 'else' ? 0 : STATEMENT, start);
        if (excess) return excess;
        last = word === 'else' || word === 'do' ? 'operator' : 'keyword';
      } else if (OPERATOR_KEYWORDS.has(word)) {
        const excess = addLink(OPERATOR, start);
        if (excess) return excess;
        last = 'operator';
      } else if (KEYWORDS_BEFORE_EXPRESSION.has(word)) {
        last = 'operator';
      } else {
        last = HEADER_KEYWORDS.has(word) ? 'keyword' : 'expression-end';
      }
      continue;
    }
    if (code >= 48 && code <= 57) {
      while (index < length && (isIdentifierPart(text.charCodeAt(index)) || text.charCodeAt(index) === 46)) index++;
      last = 'expression-end';
      continue;
    }
    switch (code) {
      case 40: // (
      case 91: {
        // [
        // A call or an index continues a chain at this level; then the bracket nests.
        if (last === 'expression-end') {
          const excess = addLink(OPERATOR, index);
          if (excess) return excess;
        }
        const header = code === 40 && last === 'keyword';
        const excess = push(code === 40 ? 'paren' : 'bracket', index, header);
        if (excess) return excess;
        index++;
        continue;
      }
      case 123: {
        // {
        const excess = push('brace', index);
        if (excess) return excess;
        index++;
        continue;
      }
      case 41: // )
      case 93: {
        // ]
        const popped = popTo([code === 41 ? 'paren' : 'bracket']);
        last = popped?.header ? 'header-close' : 'expression-end';
        index++;
        continue;
      }
      case 125: {
        // }
        const popped = popTo(['brace', 'template-expression']);
        index++;
        if (popped?.kind === 'template-expression') {
          const next = continueTemplate(index);
          if (typeof next !== 'number') return next;
          index = next;
        } else {
          last = 'expression-end';
        }
        continue;
      }
      case 59: // ;
        endStatement();
        last = 'open';
        index++;
        continue;
      case 44: // ,
        frame.links = 0;
        last = 'open';
        index++;
        continue;
      default:
        break;
    }
    if (code === 60 && jsx && last !== 'expression-end' && (isIdentifierStart(next) || next === 62)) {
      // A JSX element: its tag, then its children.
      const excess = push('jsx-tag', index);
      if (excess) return excess;
      index++;
      continue;
    }
    if (code === 60 && last === 'expression-end' && isIdentifierPart(text.charCodeAt(index - 1))) {
      // `Array<`, `f<T>(`: type arguments nest like brackets. A comparison written `a<b` opens one
      // too; it is popped by the enclosing closer.
      const excess = push('type-arguments', index);
      if (excess) return excess;
      index++;
      continue;
    }
    if (code === 62 && frame.kind === 'type-arguments') {
      popTo(['type-arguments']);
      last = 'expression-end';
      index++;
      continue;
    }
    if (frame.kind === 'jsx-tag' && (code === 62 || (code === 47 && next === 62))) {
      if (code === 62) {
        frame.kind = 'jsx-children';
        index++;
      } else {
        popTo(['jsx-tag']);
        index += 2;
      }
      last = 'expression-end';
      continue;
    }
    if (OPERATOR_CHARACTERS.includes(text[index]!)) {
      const start = index;
      while (index < length && OPERATOR_CHARACTERS.includes(text[index]!)) index++;
      const operator = text.slice(start, index);
      const postfix = last === 'expression-end' && (operator === '++' || operator === '--');
      // Longer than any punctuator (`>>>=`): a run of unary operators such as `!!!!a`, one level each.
      const weight = operator.length > 4 ? OPERATOR * operator.length : operatorWeight(operator);
      const excess = addLink(weight, start);
      if (excess) return excess;
      if (!postfix) last = 'operator';
      continue;
    }
    // Anything else (`#`, `@`, stray characters) is a token that ends nothing.
    last = 'expression-end';
    index++;
  }
  return null;
}

/** What an operator token costs the parser (a run of operator characters such as `=!` is one token). */
function operatorWeight(operator: string): number {
  if (operator.includes('=>')) return RIGHT_NESTING;
  if (/^(?:[-+*/%&|^]|\*\*|<<|>>>?|&&|\|\||\?\?)?=$/.test(operator)) return ASSIGNMENT;
  if (operator === '.' || operator === '?.' || operator === '...') return MEMBER;
  if (operator === '?' || operator === ':') return CONDITIONAL;
  return OPERATOR;
}

/** From inside a template's text to its closing backtick or the `$` of its next `${`. */
function scanTemplateText(text: string, index: number): number {
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code === 96) return index;
    if (code === 36 && text.charCodeAt(index + 1) === 123) return index;
    index += code === 92 ? 2 : 1;
  }
  return text.length;
}

/** From inside a regular expression to just after it (and its flags); an unterminated one ends at the line's end. */
function scanRegularExpression(text: string, index: number): number {
  let inClass = false;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (isLineBreak(code)) return index;
    if (code === 92) index++;
    else if (code === 91) inClass = true;
    else if (code === 93) inClass = false;
    else if (code === 47 && !inClass) {
      index++;
      while (index < text.length && isIdentifierPart(text.charCodeAt(index))) index++;
      return index;
    }
    index++;
  }
  return text.length;
}
