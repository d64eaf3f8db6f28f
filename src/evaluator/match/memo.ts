// A bounded memo keyed by an event's (type, event) values, for the trigger set's triggers that read
// nothing else. Tuned for its shape: a handful of types (scanned with ===, cheaper than hashing)
// and many event names (a Map per type); events without an `event` field skip the Map entirely.

interface Plan<V> {
  /** The value for events without an `event` field. */
  none: V | undefined;
  byEvent: Map<unknown, V>;
}

/** Types kept in the linear-scan array before the rest go to a Map. */
const SCAN_TYPES = 8;

export class PairMemo<V> {
  private types: unknown[] = [];
  private plans: Array<Plan<V>> = [];
  private more = new Map<unknown, Plan<V>>();
  private size = 0;

  /** `limit`: entries kept before everything is dropped (hostile streams cannot grow it). */
  constructor(private readonly limit: number) {}

  private plan(t: unknown): Plan<V> | undefined {
    const types = this.types;
    for (let i = 0; i < types.length; i++) if (types[i] === t) return this.plans[i];
    return this.more.size > 0 ? this.more.get(t) : undefined;
  }

  /** The remembered value for (t, e). Keys must be primitives or undefined, never NaN. */
  get(t: unknown, e: unknown): V | undefined {
    const plan = this.plan(t);
    if (plan === undefined) return undefined;
    return e === undefined ? plan.none : plan.byEvent.get(e);
  }

  set(t: unknown, e: unknown, value: V): void {
    if (this.size >= this.limit) {
      this.types = [];
      this.plans = [];
      this.more = new Map();
      this.size = 0;
    }
    let plan = this.plan(t);
    if (plan === undefined) {
      plan = { none: undefined, byEvent: new Map() };
      if (this.types.length < SCAN_TYPES) {
        this.types.push(t);
        this.plans.push(plan);
      } else this.more.set(t, plan);
    }
    if (e === undefined) plan.none = value;
    else plan.byEvent.set(e, value);
    this.size++;
  }
}
