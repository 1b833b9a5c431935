/**
 * What the loaded parts of the languages forget when a new run starts in the same process (tests,
 * API users): each part that keeps state across files registers here when it loads, so that a
 * run that never loaded a language need not load it only to reset it.
 */
const forgetters = new Set<() => void>();

export function onFreshRun(forget: () => void): void {
  forgetters.add(forget);
}

export function forgetLoadedLanguages(): void {
  for (const forget of forgetters) forget();
}
