/**
 * Slot states as the heatmap colours them: the tophash classes of classic buckets and the
 * control-byte states of Swiss groups. Names are those of docs/analysis.md's slotStates, so the
 * page, the JSON and the analysis speak the same words.
 */
import { tophashName } from '../../maps/classic/tophash.js';
import { ctrlDeleted, ctrlEmpty, isFull } from '../../maps/swiss/ctrl.js';

export type ClassicState = 'live' | 'emptyRest' | 'emptyOne' | 'evacuatedX' | 'evacuatedY' | 'evacuatedEmpty';
/** `invalid`: high bit set but neither empty nor deleted — no runtime writes it, so it marks corruption. */
export type SwissState = 'full' | 'empty' | 'deleted' | 'invalid';
export type SlotState = ClassicState | SwissState;

export function classicState(tophash: number): ClassicState {
  return tophashName(tophash) as ClassicState;
}

export function swissState(ctrl: number): SwissState {
  if (ctrl === ctrlEmpty) return 'empty';
  if (ctrl === ctrlDeleted) return 'deleted';
  return isFull(ctrl) ? 'full' : 'invalid';
}

export interface StateStyle {
  readonly state: SlotState;
  readonly colour: string;
  readonly meaning: string;
}

/** Occupied slots are dark, free ones pale, tombstones warm: the eye finds load and debris first. */
export const CLASSIC_STATES: readonly StateStyle[] = [
  { state: 'live', colour: '#2563eb', meaning: 'holds an entry (tophash ≥ 5: top byte of its hash)' },
  { state: 'emptyOne', colour: '#f59e0b', meaning: 'tophash 1: deleted, later cells may be live' },
  { state: 'emptyRest', colour: '#e5e7eb', meaning: 'tophash 0: empty, and so is the rest of the chain' },
  { state: 'evacuatedX', colour: '#a78bfa', meaning: 'tophash 2: moved to the lower half of the new array' },
  { state: 'evacuatedY', colour: '#7c3aed', meaning: 'tophash 3: moved to the upper half of the new array' },
  { state: 'evacuatedEmpty', colour: '#ddd6fe', meaning: 'tophash 4: was empty when its bucket was evacuated' },
];

export const SWISS_STATES: readonly StateStyle[] = [
  { state: 'full', colour: '#2563eb', meaning: 'holds an entry (ctrl = H2, low 7 bits of its hash)' },
  { state: 'deleted', colour: '#f59e0b', meaning: 'ctrl 0xfe: tombstone of a deleted entry' },
  { state: 'empty', colour: '#e5e7eb', meaning: 'ctrl 0x80: never used since the table was made' },
  { state: 'invalid', colour: '#dc2626', meaning: 'high bit set but neither empty nor deleted (corrupt)' },
];

/** CSS rules giving each state its fill (heatmap cells by their data-state, chart bars by class). */
export function stateCss(): string {
  const seen = new Set<string>();
  return [...CLASSIC_STATES, ...SWISS_STATES]
    .filter((s) => !seen.has(s.state) && seen.add(s.state))
    .map((s) => `.st-${s.state},rect[data-state="${s.state}"]{fill:${s.colour}}.sw-${s.state}{background:${s.colour}}`)
    .join('');
}
