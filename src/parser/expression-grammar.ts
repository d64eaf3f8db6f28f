// The expression grammar shared by FQL and .map (tokens → CST, no embedded actions). FQL's parser
// uses these rules as they are; the .map parser extends this class and overrides a few rules
// (`expression`, `operand`, `primary`, `reference`) to add its own levels and primaries.
//
// FQL levels, loosest first (fql.md §4): or → and → comparison (no chaining: parsed as a list and
// rejected in CST → AST with a precise message) → prefix `!` → primary. `and`/`or` chains and `!`
// runs are MANY loops, not recursion, so 10,000-term chains parse in linear time.

import type { ILookaheadStrategy, IParserConfig, TokenType } from 'chevrotain';
import { CstParser, LLkLookaheadStrategy } from './chevrotain.js';
import { errorMessageProvider } from './messages.js';
import {
  And,
  Bang,
  Comma,
  CompareOp,
  Dot,
  False,
  Identifier,
  Keyword,
  LBracket,
  LParen,
  Null,
  NumberTok,
  Or,
  RBracket,
  RParen,
  StringTok,
  True,
} from './tokens.js';

type LookaheadFunction = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Chevrotain's LL(k) lookahead, each production's function computed the first time the parser
 * asks it, not all of them in `performSelfAnalysis`: the same functions, but a run pays only for
 * the productions its input reaches (most of the grammar analysis a CLI start did, issue #11).
 */
class LazyLookahead extends LLkLookaheadStrategy {
  override buildLookaheadForAlternation(options: Parameters<ILookaheadStrategy['buildLookaheadForAlternation']>[0]): ReturnType<ILookaheadStrategy['buildLookaheadForAlternation']> {
    return lazily(() => super.buildLookaheadForAlternation(options) as LookaheadFunction) as ReturnType<ILookaheadStrategy['buildLookaheadForAlternation']>;
  }

  override buildLookaheadForOptional(options: Parameters<ILookaheadStrategy['buildLookaheadForOptional']>[0]): ReturnType<ILookaheadStrategy['buildLookaheadForOptional']> {
    return lazily(() => super.buildLookaheadForOptional(options) as LookaheadFunction) as ReturnType<ILookaheadStrategy['buildLookaheadForOptional']>;
  }
}

/** A function that builds the real one on its first call, then calls it (with the parser as `this`). */
function lazily(build: () => LookaheadFunction): LookaheadFunction {
  let real: LookaheadFunction | undefined;
  return function (this: unknown, ...args: unknown[]) {
    return (real ??= build()).apply(this, args);
  };
}

/**
 * Parser settings shared by both languages: recovery on (all errors in one pass), our messages.
 * Chevrotain's grammar validations (ambiguity, left recursion) are skipped when the parsers are
 * built at start-up, where they cost ~0.1 s of every CLI run; test/parser/grammar-validation
 * builds both grammars with them on, so a grammar defect still fails the build.
 */
export const PARSER_CONFIG: IParserConfig = {
  recoveryEnabled: true,
  errorMessageProvider,
  nodeLocationTracking: 'onlyOffset',
  maxLookahead: 3,
  skipValidations: true,
};

/** PARSER_CONFIG with its lookahead strategy: one per parser (a strategy may keep state per grammar). */
function parserConfig(validate: boolean): IParserConfig {
  return { ...PARSER_CONFIG, lookaheadStrategy: new LazyLookahead({ maxLookahead: PARSER_CONFIG.maxLookahead! }), ...(validate ? { skipValidations: false } : {}) };
}

/** Shared rules; not self-analysed here (subclasses add or override rules first). */
export class ExpressionGrammar extends CstParser {
  /** `validate`: run Chevrotain's grammar validations (the grammar test does; start-up does not). */
  constructor(vocabulary: TokenType[], validate = false) {
    super(vocabulary, parserConfig(validate));
  }

  /** The expression entry point (FQL: `or_expr`; .map overrides it with `catch` and `??`). */
  expression = this.RULE('expression', () => {
    this.SUBRULE(this.orExpr);
  });

  orExpr = this.RULE('orExpr', () => {
    this.SUBRULE(this.andExpr);
    this.MANY(() => {
      this.CONSUME(Or);
      this.SUBRULE2(this.andExpr);
    });
  });

  andExpr = this.RULE('andExpr', () => {
    this.SUBRULE(this.comparison);
    this.MANY(() => {
      this.CONSUME(And);
      this.SUBRULE2(this.comparison);
    });
  });

  /** `operand [op operand]`; a second operator (a chain) is accepted here and reported later. */
  comparison = this.RULE('comparison', () => {
    this.SUBRULE(this.operand);
    this.MANY(() => {
      this.CONSUME(CompareOp);
      this.SUBRULE2(this.operand);
    });
  });

  /** A comparison operand. FQL: `unary`; .map adds pipes (`x | f(a)`). */
  operand = this.RULE('operand', () => {
    this.SUBRULE(this.unary);
  });

  unary = this.RULE('unary', () => {
    this.MANY(() => this.CONSUME(Bang));
    this.SUBRULE(this.primary);
  });

  primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.parenExpr) },
      { ALT: () => this.SUBRULE(this.listExpr) },
      { ALT: () => this.SUBRULE(this.literal) },
      { ALT: () => this.SUBRULE(this.reference) },
    ]);
  });

  parenExpr = this.RULE('parenExpr', () => {
    this.CONSUME(LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(RParen);
  });

  listExpr = this.RULE('listExpr', () => {
    this.CONSUME(LBracket);
    this.OPTION(() => this.SUBRULE(this.expressionList));
    this.CONSUME(RBracket);
  });

  /** `expr {, expr}` (no trailing comma) for lists and call arguments. */
  expressionList = this.RULE('expressionList', () => {
    this.SUBRULE(this.expression);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.expression);
    });
  });

  literal = this.RULE('literal', () => {
    this.OR([
      { ALT: () => this.CONSUME(StringTok) },
      { ALT: () => this.CONSUME(NumberTok) },
      { ALT: () => this.CONSUME(True) },
      { ALT: () => this.CONSUME(False) },
      { ALT: () => this.CONSUME(Null) },
    ]);
  });

  /** A name: a call `name(args)` or a path `name.key.key`. */
  reference = this.RULE('reference', () => {
    this.CONSUME(Identifier);
    this.OR([{ ALT: () => this.SUBRULE(this.callArgs) }, { ALT: () => this.MANY(() => this.SUBRULE(this.dotKey)) }]);
  });

  callArgs = this.RULE('callArgs', () => {
    this.CONSUME(LParen);
    this.OPTION(() => this.SUBRULE(this.expressionList));
    this.CONSUME(RParen);
  });

  /** `.key`: after a dot any identifier-shaped word is a key, keyword spellings included (fql.md §2.4). */
  dotKey = this.RULE('dotKey', () => {
    this.CONSUME(Dot);
    this.OR([{ ALT: () => this.CONSUME(Identifier) }, { ALT: () => this.CONSUME(Keyword) }]);
  });
}

/**
 * The FQL parser: `trigger = expression`. Extra top-level expressions (`type = "a" "b"`,
 * `a = 1, b = 2`) are parsed too, so the missing-operator error is precise and parsing goes on.
 */
export class FqlParser extends ExpressionGrammar {
  constructor(vocabulary: TokenType[], validate = false) {
    super(vocabulary, validate);
    this.performSelfAnalysis();
  }

  trigger = this.RULE('trigger', () => {
    this.SUBRULE(this.expression);
    this.MANY(() => {
      this.OPTION(() => this.CONSUME(Comma));
      this.SUBRULE2(this.expression);
    });
  });
}
