/**
 * Type-aware answers, when the front end provides a TypeScript program (`--project`, or
 * `parserOptions.projectService` in ESLint). Only the checker's public methods are used, through
 * `parserServices`, so this module needs no import of the compiler itself.
 */
import type { Node, SourceCode } from '../types.js';
import { timed } from '../../../timing.js';

/** The subset of ts.Type and ts.TypeChecker used here. */
interface TsType {
  flags: number;
  isUnion(): this is { types: TsType[] };
  isIntersection(): this is { types: TsType[] };
  getProperty(name: string): unknown;
  getSymbol(): { getName(): string } | undefined;
  aliasSymbol?: { getName(): string };
  getCallSignatures(): readonly unknown[];
  getBaseTypes?(): TsType[] | undefined;
}

interface TsChecker {
  getTypeAtLocation(node: unknown): TsType;
  getTypeOfSymbol?(symbol: unknown): TsType;
  getTypeOfSymbolAtLocation(symbol: unknown, node: unknown): TsType;
  isArrayType?(type: TsType): boolean;
  isTupleType?(type: TsType): boolean;
  getTypeArguments?(type: TsType): readonly TsType[];
}

interface Services {
  program: { getTypeChecker(): TsChecker } | null;
  esTreeNodeToTSNodeMap?: { get(node: Node): unknown };
}

function servicesOf(sourceCode: Pick<SourceCode, 'parserServices'>): Services | null {
  const services = sourceCode.parserServices as Services | undefined;
  return services?.program && services.esTreeNodeToTSNodeMap ? services : null;
}

/** Also asked of a FileToLint, before any tree exists (a rule's shouldRun). */
export function hasTypeInformation(sourceCode: Pick<SourceCode, 'parserServices'>): boolean {
  return servicesOf(sourceCode) !== null;
}

const checkers = new WeakMap<object, TsChecker>();
function checkerOf(services: Services): TsChecker {
  const program = services.program!;
  let checker = checkers.get(program);
  if (!checker) checkers.set(program, (checker = program.getTypeChecker()));
  return checker;
}

const PROMISE_TYPE_NAMES = new Set(['Promise', 'PromiseLike']);

function isPromiseClass(type: TsType, depth = 0): boolean {
  const name = type.getSymbol()?.getName();
  if (name !== undefined && PROMISE_TYPE_NAMES.has(name)) return true;
  if (depth > 5) return false;
  return (type.getBaseTypes?.() ?? []).some((base) => isPromiseClass(base, depth + 1));
}

function isThenableType(type: TsType, checker: TsChecker, anyThenable: boolean, location: unknown): boolean {
  if (type.isUnion() || type.isIntersection())
    return type.types.some((member) => isThenableType(member, checker, anyThenable, location));
  if (!anyThenable) return isPromiseClass(type) && type.getProperty('then') !== undefined;
  const then = type.getProperty('then');
  if (!then) return false;
  return checker.getTypeOfSymbolAtLocation(then, location).getCallSignatures().length > 0;
}

/** ts.TypeFlags.Any and ts.TypeFlags.Unknown (stable values of the compiler's public enum). */
const TYPE_FLAGS_ANY_OR_UNKNOWN = 1 | 2;

/** The checker's type of a node; 'unknown' for `any` / `unknown`; null without type information. */
function typeOfNode(
  sourceCode: SourceCode,
  node: Node,
): { type: TsType; checker: TsChecker; tsNode: unknown } | 'unknown' | null {
  const services = servicesOf(sourceCode);
  const tsNode = services?.esTreeNodeToTSNodeMap!.get(node);
  if (!services || !tsNode) return null;
  const checker = checkerOf(services);
  const type = checker.getTypeAtLocation(tsNode);
  return type.flags & TYPE_FLAGS_ANY_OR_UNKNOWN ? 'unknown' : { type, checker, tsNode };
}

/**
 * What the checker says a node is: a promise (or thenable), an array of them, or neither; or
 * 'unknown' when its type is `any` / `unknown` (untyped libraries), where the checker knows nothing.
 */
export function thenableKind(
  sourceCode: SourceCode,
  node: Node,
  anyThenable: boolean,
): 'promise' | 'array' | 'unknown' | null {
  return remembered(node, anyThenable ? 'thenableKind:any' : 'thenableKind', () =>
    timed('type checker', () => askThenableKind(sourceCode, node, anyThenable)),
  );
}

/**
 * The checker's answers per node and question. floating-promise asks about one call up to three
 * times (its verdict, then whether the call is awaited elsewhere), and the checker's answer for
 * a node never changes within a run; asking again costs a descent to the TypeScript node and the
 * callee's signatures each time.
 */
const answers = new WeakMap<Node, Map<string, unknown>>();
function remembered<T>(node: Node, question: string, ask: () => T): T {
  let byQuestion = answers.get(node);
  if (!byQuestion) answers.set(node, (byQuestion = new Map()));
  if (byQuestion.has(question)) return byQuestion.get(question) as T;
  const answer = ask();
  byQuestion.set(question, answer);
  return answer;
}

function askThenableKind(
  sourceCode: SourceCode,
  node: Node,
  anyThenable: boolean,
): 'promise' | 'array' | 'unknown' | null {
  if (node.type === 'CallExpression' && node.callee.type !== 'Super') {
    const answer = kindFromCalleeSignatures(sourceCode, node, anyThenable);
    if (answer !== undefined) return answer;
  }
  const typed = typeOfNode(sourceCode, node);
  if (typed === null || typed === 'unknown') return typed;
  return kindOfType(typed.type, typed.checker, anyThenable, typed.tsNode);
}

function kindOfType(
  type: TsType,
  checker: TsChecker,
  anyThenable: boolean,
  location: unknown,
): 'promise' | 'array' | 'unknown' | null {
  if (type.flags & TYPE_FLAGS_ANY_OR_UNKNOWN) return 'unknown';
  if (isThenableType(type, checker, anyThenable, location)) return 'promise';
  const members = type.isUnion() ? type.types : [type];
  for (const member of members) {
    if (
      (checker.isArrayType?.(member) || checker.isTupleType?.(member)) &&
      (checker.getTypeArguments?.(member) ?? []).some((element) =>
        isThenableType(element, checker, anyThenable, location),
      )
    )
      return 'array';
  }
  return null;
}

/** ts.TypeFlags of types a generic call's instantiation decides: TypeParameter (and `this`), Index, IndexedAccess, Conditional, Substitution. */
const TYPE_FLAGS_INSTANTIATED = 262144 | 4194304 | 8388608 | 16777216 | 33554432;

function dependsOnInstantiation(type: TsType, checker: TsChecker): boolean {
  if (type.flags & TYPE_FLAGS_INSTANTIATED) return true;
  if (type.isUnion() || type.isIntersection())
    return type.types.some((member) => dependsOnInstantiation(member, checker));
  if (checker.isArrayType?.(type) || checker.isTupleType?.(type))
    return (checker.getTypeArguments?.(type) ?? []).some((element) => dependsOnInstantiation(element, checker));
  return false;
}

/**
 * A call's kind from its callee's signatures, without resolving the call: resolving checks every
 * argument against every overload (most of the checker's time on real code), while the declared
 * return types already answer when all signatures agree and none depends on type arguments
 * (`Promise<T>` is a promise whatever `T` is; a bare `T` is not known until the call is resolved).
 * Undefined when the call itself must be asked.
 */
function kindFromCalleeSignatures(
  sourceCode: SourceCode,
  call: Node,
  anyThenable: boolean,
): 'promise' | 'array' | 'unknown' | null | undefined {
  return fromCalleeSignatures(sourceCode, call, (type, checker, location) =>
    kindOfType(type, checker, anyThenable, location),
  );
}

/**
 * What `classify` says of the return type of every signature of a call's callee, when they all
 * agree and none depends on type arguments; undefined when the call itself must be asked.
 */
function fromCalleeSignatures<T>(
  sourceCode: SourceCode,
  call: Node,
  classify: (type: TsType, checker: TsChecker, location: unknown) => T,
): T | 'unknown' | undefined {
  const services = servicesOf(sourceCode);
  const tsCall = services?.esTreeNodeToTSNodeMap!.get(call) as
    { expression?: unknown; arguments?: unknown } | undefined;
  if (!services || !tsCall?.expression || !tsCall.arguments) return undefined;
  const checker = checkerOf(services) as TsChecker & { getReturnTypeOfSignature?(signature: unknown): TsType };
  if (!checker.getReturnTypeOfSignature) return undefined;
  const calleeType = checker.getTypeAtLocation(tsCall.expression);
  if (calleeType.flags & TYPE_FLAGS_ANY_OR_UNKNOWN) return 'unknown';
  const signatures = calleeType.getCallSignatures();
  if (signatures.length === 0) return undefined;
  let agreed: { value: T } | undefined;
  for (const signature of signatures) {
    const returned = checker.getReturnTypeOfSignature(signature);
    if (dependsOnInstantiation(returned, checker)) return undefined;
    const value = classify(returned, checker, tsCall);
    if (agreed !== undefined && value !== agreed.value) return undefined;
    agreed = { value };
  }
  return agreed?.value;
}

/**
 * Whether the node is always a promise: every member of a union (so `Promise<T> | undefined`, a
 * presence check's subject, is not). 'unknown' for `any` / `unknown`; null without type information.
 */
export function alwaysThenable(sourceCode: SourceCode, node: Node): boolean | 'unknown' | null {
  return remembered(node, 'alwaysThenable', () => timed('type checker', () => askAlwaysThenable(sourceCode, node)));
}

function askAlwaysThenable(sourceCode: SourceCode, node: Node): boolean | 'unknown' | null {
  // An optional call's type adds `undefined` to what its signatures return: ask about the call itself.
  if (
    node.type === 'CallExpression' &&
    node.callee.type !== 'Super' &&
    !node.optional &&
    node.parent?.type !== 'ChainExpression'
  ) {
    const answer = fromCalleeSignatures(sourceCode, node, (type, checker, location) =>
      type.flags & TYPE_FLAGS_ANY_OR_UNKNOWN ? 'unknown' : alwaysThenableType(type, checker, location),
    );
    if (answer !== undefined) return answer;
  }
  const typed = typeOfNode(sourceCode, node);
  if (typed === null || typed === 'unknown') return typed;
  return alwaysThenableType(typed.type, typed.checker, typed.tsNode);
}

function alwaysThenableType(type: TsType, checker: TsChecker, location: unknown): boolean {
  const members = type.isUnion() ? type.types : [type];
  return members.every((member) => isThenableType(member, checker, false, location));
}

/** Whether the node's type (or alias) is named in `names`: promise types the user declares safe. */
export function typeNameMatches(sourceCode: SourceCode, node: Node, names: readonly string[]): boolean {
  if (names.length === 0) return false;
  return remembered(node, `typeNameMatches:${names.join(',')}`, () =>
    timed('type checker', () => askTypeNameMatches(sourceCode, node, names)),
  );
}

function askTypeNameMatches(sourceCode: SourceCode, node: Node, names: readonly string[]): boolean {
  if (names.length === 0) return false;
  const services = servicesOf(sourceCode);
  const tsNode = services?.esTreeNodeToTSNodeMap!.get(node);
  if (!services || !tsNode) return false;
  const type = checkerOf(services).getTypeAtLocation(tsNode);
  const members = type.isUnion() ? type.types : [type];
  return members.some((member) => {
    const name = member.aliasSymbol?.getName() ?? member.getSymbol()?.getName();
    return name !== undefined && names.includes(name);
  });
}

/** ts.TypeFlags values (stable in the compiler's public enum). */
const TYPE_FLAGS_VOID_OR_UNDEFINED = 16384 | 32768;
const TYPE_FLAGS_BOOLEAN = 16 | 512;

interface SignatureLike {
  getReturnType(): TsType;
}

/**
 * What the parameter receiving `argument` expects its callback to return, by its declared type:
 * 'void' (`() => void`), 'boolean' (`(x) => boolean`), or null (a promise is fine, or unknown).
 */
export function expectedCallbackReturn(sourceCode: SourceCode, argument: Node): 'void' | 'boolean' | null {
  return timed('type checker', () => askExpectedCallbackReturn(sourceCode, argument));
}

function askExpectedCallbackReturn(sourceCode: SourceCode, argument: Node): 'void' | 'boolean' | null {
  const services = servicesOf(sourceCode);
  const tsNode = services?.esTreeNodeToTSNodeMap!.get(argument);
  if (!services || !tsNode) return null;
  const checker = checkerOf(services) as TsChecker & { getContextualType?(node: unknown): TsType | undefined };
  const contextual = checker.getContextualType?.(tsNode);
  if (!contextual) return null;
  const signatures = (contextual.isUnion() ? contextual.types : [contextual]).flatMap(
    (type) => type.getCallSignatures() as SignatureLike[],
  );
  if (signatures.length === 0) return null;
  const kinds = signatures.map((signature) => {
    const returned = signature.getReturnType();
    const members = returned.isUnion() ? returned.types : [returned];
    if (members.every((member) => member.flags & TYPE_FLAGS_VOID_OR_UNDEFINED)) return 'void';
    if (members.every((member) => member.flags & TYPE_FLAGS_BOOLEAN)) return 'boolean';
    return null;
  });
  return kinds.every((kind) => kind === kinds[0]) ? kinds[0]! : null;
}
