/**
 * Whether work grows linearly with its input, without a wall-clock limit: the best of a few
 * samples on an input `factor` times larger, over the best on the smaller one. Linear work grows
 * about `factor`×, quadratic about `factor`²×; the speed of the machine cancels out, and a
 * pause in one sample cannot fail the check because only the fastest sample counts.
 */
export function growth<T>(make: (n: number) => T, run: (input: T) => void, n: number, factor = 8): number {
  const small = make(n);
  const large = make(n * factor);
  run(small); // compiled before it is timed
  // Runs per sample, so that a sample of the small input lasts a few milliseconds: beside it the
  // timer's grain and a stray pause (a GC, another process) are small. A sub-millisecond sample
  // once measured 43× growth for a linear scan on a loaded machine.
  let runs = 1;
  while (runs < 1024 && sample(small, run, runs) < 5) runs *= 2;
  const best = (input: T): number => {
    let min = Infinity;
    for (let i = 0; i < 5; i++) min = Math.min(min, sample(input, run, runs));
    return min;
  };
  return best(large) / best(small);
}

function sample<T>(input: T, run: (input: T) => void, runs: number): number {
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) run(input);
  return performance.now() - t0;
}

/** Between linear (8×) and quadratic (64×) with room for noise either side. */
export const LINEAR_AT_8X = 24;
