// A formatter module as users write them: a default export `(results, context) => string`.
export default function formatter(results) {
  return `${results.length} results`;
}
