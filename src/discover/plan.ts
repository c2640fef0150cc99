/**
 * Scan plans: for each Go type, where in a value of that type the words a walk must look at
 * are, and the path steps that lead to them. Worked out once per type, so that a walk over
 * 100,000 objects of one struct type reads a handful of offsets from each instead of
 * re-examining the type. Types with nothing to follow (ints, strings, byte arrays) have an
 * empty plan: pointers to them are never followed.
 */
import type { GoInterfaceType, GoMapType, GoPointerType, GoSliceType, GoType } from '../layout/gotype.js';
import type { PathStep } from './path.js';

/** Words inside a value that may lead to maps. */
export type Slot =
  | { readonly kind: 'pointer'; readonly offset: number; readonly type: GoPointerType; readonly steps: readonly PathStep[] }
  | { readonly kind: 'slice'; readonly offset: number; readonly type: GoSliceType; readonly steps: readonly PathStep[] }
  | { readonly kind: 'map'; readonly offset: number; readonly type: GoMapType; readonly steps: readonly PathStep[] }
  | { readonly kind: 'eface' | 'iface'; readonly offset: number; readonly type: GoInterfaceType; readonly steps: readonly PathStep[] }
  /** A long array with something to follow in its elements: walked element by element. */
  | { readonly kind: 'array'; readonly offset: number; readonly elem: GoType; readonly length: number; readonly plan: Plan; readonly steps: readonly PathStep[] };

export type Plan = readonly Slot[];

/** Arrays up to this length are unrolled into the plan; longer ones stay one 'array' slot. */
const UNROLL = 16;

export class Planner {
  private readonly plans = new Map<GoType, Plan>();
  private readonly leads = new Map<GoType, boolean>();
  private readonly inProgress = new Set<GoType>();

  /**
   * Whether a value of this type can lead to a map: holds one, an interface (which may hold
   * anything), or a pointer or slice to such a value. A pointer whose pointee was not described
   * counts as leading on (it is looked up by name when met). A linked list of ints does not.
   */
  leadsToMaps(t: GoType): boolean {
    return this.leadsFrom(t).value;
  }

  /** `provisional`: the answer assumed "no" for a type still being worked out (a cycle), so it is not cached. */
  private slotLeads(s: Slot): { value: boolean; provisional: boolean } {
    switch (s.kind) {
      case 'map':
      case 'eface':
      case 'iface':
        return { value: true, provisional: false };
      case 'array':
        return this.leadsFrom(s.elem);
      case 'pointer':
      case 'slice':
        return s.type.elem ? this.leadsFrom(s.type.elem) : { value: true, provisional: false };
    }
  }

  private leadsFrom(t: GoType): { value: boolean; provisional: boolean } {
    const known = this.leads.get(t);
    if (known !== undefined) return { value: known, provisional: false };
    if (this.inProgress.has(t)) return { value: false, provisional: true };
    this.inProgress.add(t);
    let value = false;
    let provisional = false;
    for (const s of this.plan(t)) {
      const r = this.slotLeads(s);
      provisional ||= r.provisional;
      if (r.value) {
        value = true;
        provisional = false;
        break;
      }
    }
    this.inProgress.delete(t);
    if (value || !provisional || this.inProgress.size === 0) this.leads.set(t, value);
    return { value, provisional: provisional && this.inProgress.size > 0 };
  }

  plan(t: GoType): Plan {
    let p = this.plans.get(t);
    if (!p) {
      p = this.build(t);
      this.plans.set(t, p);
    }
    return p;
  }

  private build(t: GoType): Plan {
    switch (t.kind) {
      case 'pointer':
        return [{ kind: 'pointer', offset: 0, type: t, steps: [] }];
      case 'slice':
        return [{ kind: 'slice', offset: 0, type: t, steps: [] }];
      case 'map':
        return [{ kind: 'map', offset: 0, type: t, steps: [] }];
      case 'eface':
      case 'iface':
        return [{ kind: t.kind, offset: 0, type: t, steps: [] }];
      case 'struct': {
        const out: Slot[] = [];
        for (const f of t.fields) {
          // Blank fields cannot be named in a path; they are padding in practice.
          if (f.name === '_') continue;
          for (const s of this.plan(f.type)) out.push(shifted(s, f.offset, { kind: 'field', name: f.name }));
        }
        return out;
      }
      case 'array': {
        const inner = this.plan(t.elem);
        if (inner.length === 0 || t.length === 0) return [];
        if (t.length > UNROLL) return [{ kind: 'array', offset: 0, elem: t.elem, length: t.length, plan: inner, steps: [] }];
        const out: Slot[] = [];
        for (let i = 0; i < t.length; i++) {
          for (const s of inner) out.push(shifted(s, i * t.elem.size, { kind: 'index', key: BigInt(i) }));
        }
        return out;
      }
      default:
        // Scalars, strings, chans, funcs, unsafe.Pointer: nothing typed to follow.
        return [];
    }
  }
}

function shifted(s: Slot, offset: number, step: PathStep): Slot {
  return { ...s, offset: s.offset + offset, steps: [step, ...s.steps] };
}
