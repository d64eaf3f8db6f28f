// Start-up builds both parsers and lexers with Chevrotain's validations skipped (expression-grammar.ts,
// lexer.ts); this test builds them with the validations on, so an ambiguous or left-recursive
// rule, or an invalid token pattern, still fails the build.
import { describe, expect, it } from 'vitest';
import { createToken, CstParser, Lexer } from '../../src/parser/chevrotain.js';
import { FqlParser } from '../../src/parser/expression-grammar.js';
import { MapParser } from '../../src/parser/map-grammar.js';
import { fqlTokens, mapTokens } from '../../src/parser/tokens.js';

describe('grammar validation (skipped at start-up)', () => {
  it('the FQL grammar passes every Chevrotain grammar check', () => {
    // performSelfAnalysis throws on any definition error when validations are on (last test)
    expect(() => new FqlParser(fqlTokens, true)).not.toThrow();
  });

  it('the .map grammar passes every Chevrotain grammar check', () => {
    expect(() => new MapParser(true)).not.toThrow();
  });

  it('both token vocabularies pass the lexer checks', () => {
    for (const tokens of [fqlTokens, mapTokens]) {
      const lexer = new Lexer(tokens, { positionTracking: 'full', ensureOptimizations: true });
      expect(lexer.lexerDefinitionErrors).toEqual([]);
    }
  });

  it('a defective grammar is caught when validations run, and only then (the check is live)', () => {
    const A = createToken({ name: 'A', pattern: /a/ });
    class LeftRecursive extends CstParser {
      constructor(skipValidations: boolean) {
        super([A], { skipValidations });
        this.performSelfAnalysis();
      }
      list = this.RULE('list', () => {
        this.SUBRULE(this.list); // left recursion: a defect the validations report
        this.CONSUME(A);
      });
    }
    expect(() => new LeftRecursive(false)).toThrow(/Left Recursion/i);
    expect(() => new LeftRecursive(true)).not.toThrow();
  });
});
