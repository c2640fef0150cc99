/**
 * A few map decodings in flight at once. gdb answers MI commands one after another, but a
 * decoder waits for each answer before asking the next question; with several decoders sharing
 * the pipe, gdb is never idle between them. Thousands of small maps measured one by one spent
 * most of their time in that round-trip latency.
 */
export const IN_FLIGHT = 8;

/** Runs `fn` over every item, at most `limit` at a time; results in item order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i], i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
