/**
 * Tophash and control bytes on one line, as the text report names them: tophash `__` emptyRest,
 * `..` emptyOne, `eX`/`eY` evacuatedX/Y, `e_` evacuatedEmpty, else the live byte in hex;
 * ctrl `--` empty, `xx` deleted, else the H2 of a full slot in hex.
 */
import { tophashName } from '../../maps/classic/tophash.js';
import { ctrlDeleted, ctrlEmpty, ctrlName } from '../../maps/swiss/ctrl.js';

const TOPHASH_CODE: Record<string, string> = {
  emptyRest: '__',
  emptyOne: '..',
  evacuatedX: 'eX',
  evacuatedY: 'eY',
  evacuatedEmpty: 'e_',
};

const byteHex = (b: number) => b.toString(16).padStart(2, '0');

export function tophashCells(tophash: readonly number[]): string {
  return `[${tophash.map((t) => TOPHASH_CODE[tophashName(t)] ?? byteHex(t)).join(' ')}]`;
}

export function ctrlCells(ctrl: readonly number[]): string {
  return `[${ctrl.map((c) => (c === ctrlEmpty ? '--' : c === ctrlDeleted ? 'xx' : byteHex(c))).join(' ')}]`;
}

export { ctrlName, tophashName };
