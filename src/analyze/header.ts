/** The header fields the analysis reads: a snapshot has them, and so does a streamed walk (--stats). */
export type MapHeader =
  | { readonly implementation: 'classic'; readonly count: number; readonly flags: number; readonly B: number; readonly nevacuate: bigint }
  | { readonly implementation: 'swiss'; readonly used: number; readonly dirLen: number; readonly writing: number };
