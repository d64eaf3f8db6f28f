// The `when` header is parsed once, by the .map parser: the trigger is compiled from that AST (no
// re-parse of its text, no search for where it stands), its diagnostics point into the file, and a
// trigger set built from compiled subscriptions reuses their triggers.

import { describe, expect, it } from 'vitest';
import { checkMapping, compileMapping } from '../../src/mapping/api.js';
import { compileTriggerSet } from '../../src/evaluator/match/set.js';

describe('the when header, parsed once', () => {
  it('reports trigger findings at their place in the file', () => {
    const source = 'target trackEvent\nwhen type = "track"\n  and nosuch(event)\nname = event\n';
    const d = checkMapping(source).find((x) => x.code === 'FQL201' || x.message.includes('nosuch'));
    expect(d?.span.line).toBe(3);
    expect(source.slice(d!.span.start, d!.span.end)).toContain('nosuch');
  });

  it('reads nothing outside the header (a comment right after it is not part of the trigger)', () => {
    const diags = checkMapping('target trackEvent\nwhen type = "track"# the tracks\nname = event\n');
    expect(diags.filter((d) => d.code === 'FQL318')).toEqual([]);
  });

  it('gives a trigger set the compiled triggers as they are', () => {
    const a = compileMapping('target trackEvent\nwhen type = "track" and event = "A"\n');
    const b = compileMapping('target trackPageView\n');
    const set = compileTriggerSet([a.trigger, b.trigger, 'type = "identify"']);
    expect(set.match({ type: 'track', event: 'A' })).toEqual([0]);
    expect(set.match({ type: 'page' })).toEqual([1]);
    expect(set.match({ type: 'identify' })).toEqual([2]);
    // a trigger object that is not one of ours is compiled from its source
    expect(compileTriggerSet([{ source: 'type = "page"', reads: [], matches: () => false }]).match({ type: 'page' })).toEqual([0]);
  });
});
