/**
 * Whether work grows linearly with its input, without a wall-clock limit: the best of a few
 * runs on an input `factor` times larger, over the best on the smaller one. Linear work grows
 * about `factor`×, quadratic about `factor`²×; the speed of the machine cancels out, and a
 * pause in one run cannot fail the check because only the fastest run counts.
 */
export function growth<T>(make: (n: number) => T, run: (input: T) => void, n: number, factor = 8): number {
  const small = make(n);
  const large = make(n * factor);
  const best = (input: T): number => {
    let min = Infinity;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      run(input);
      min = Math.min(min, performance.now() - t0);
    }
    return min;
  };
  run(small); // compiled before it is timed
  return best(large) / Math.max(best(small), 0.05);
}

/** Between linear (8×) and quadratic (64×) with room for noise either side. */
export const LINEAR_AT_8X = 24;
