/**
 * Classic tophash values (Go 1.12 and later, runtime/map.go): the first five byte values mark
 * cell states; a live cell's tophash is the hash's top byte, bumped to at least minTopHash.
 */
export const emptyRest = 0;
export const emptyOne = 1;
export const evacuatedX = 2;
export const evacuatedY = 3;
export const evacuatedEmpty = 4;
export const minTopHash = 5;

export const bucketCnt = 8;

/** hmap.flags bits. */
export const iterator = 1;
export const oldIterator = 2;
export const hashWriting = 4;
export const sameSizeGrow = 8;

export function isEmpty(top: number): boolean {
  return top <= emptyOne;
}

/** An old bucket whose cells have been moved to the new array (runtime `evacuated`). */
export function evacuated(tophash: readonly number[]): boolean {
  return evacuatedTop(tophash[0]);
}

/** evacuated, from the bucket's first tophash byte alone (evacuatedX, evacuatedY or evacuatedEmpty). */
export function evacuatedTop(first: number): boolean {
  return first > emptyOne && first < minTopHash;
}

export function tophashName(top: number): string {
  switch (top) {
    case emptyRest:
      return 'emptyRest';
    case emptyOne:
      return 'emptyOne';
    case evacuatedX:
      return 'evacuatedX';
    case evacuatedY:
      return 'evacuatedY';
    case evacuatedEmpty:
      return 'evacuatedEmpty';
    default:
      return 'live';
  }
}
