// The .map grammar (tokens → CST): the FQL expression grammar extended with the mapping
// constructs, plus the statement level (headers, `let`, assignments with guards, examples).
//
// Expression levels, loosest first:
//   catch  →  ?? ?:  →  or  →  and  →  comparison (=, !=, <, <=, >, >=, in)  →  pipe |  →  prefix !  →  primary
// Pipes bind tighter than comparisons so `traits.plan | lower = "pro"` compares the piped value and
// `email = traits.email | lower | trim` reads left to right; `a ?? b | lower` is `a ?? (b | lower)`
// (write `(a ?? b) | lower` to lower both). `if … then … else …`, `case … end`, `each … { }`,
// `omit`, objects and `$variables` are primaries; an `if`'s branches extend as far right as they can.
// Newlines are whitespace: a statement ends where the next token cannot continue its expression.
// parseMap feeds `statement` one statement at a time (map-split.ts); `mapFile` documents the whole.

import type { IToken } from 'chevrotain';
import { ExpressionGrammar } from './expression-grammar.js';
import {
  As,
  BlankCoalesce,
  Case,
  Catch,
  Coalesce,
  Colon,
  Comma,
  Dollar,
  Each,
  Else,
  End,
  Eq,
  Identifier,
  If,
  Keyword,
  LBracket,
  LCurly,
  Let,
  mapTokens,
  NumberTok,
  Omit,
  Pipe,
  RBracket,
  RCurly,
  Star,
  StringTok,
  Then,
  Variable,
  When,
} from './tokens.js';

/** The .map parser (one instance, reused). Entry rules: `mapFile`, and `expression` for templates and the REPL. */
export class MapParser extends ExpressionGrammar {
  /** `validate`: run Chevrotain's grammar validations (the grammar test does; start-up does not). */
  constructor(validate = false) {
    super(mapTokens, validate);
    this.performSelfAnalysis();
  }

  // ── statements ───────────────────────────────────────────────────────────────────────

  mapFile = this.RULE('mapFile', () => {
    this.MANY(() => this.SUBRULE(this.statement));
  });

  statement = this.RULE('statement', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.header) },
      { ALT: () => this.SUBRULE(this.whenHeader) },
      { ALT: () => this.SUBRULE(this.letStmt) },
      { ALT: () => this.SUBRULE(this.assignment) },
    ]);
  });

  /** `target name`, `title "text"`, `example "title" { … }`; the word is checked in CST → AST. */
  header = this.RULE('header', () => {
    this.CONSUME(Identifier);
    this.OR([
      {
        ALT: () => {
          this.CONSUME2(Identifier);
          this.MANY(() => this.SUBRULE(this.dotKey)); // only to report `email traits.email` as one mistake
        },
      },
      {
        ALT: () => {
          this.CONSUME(StringTok);
          this.OPTION(() => this.SUBRULE(this.exampleBody));
        },
      },
    ]);
  });

  /** `{ input: …, fields: …, body: … }` (commas optional, so JSON blocks can sit on separate lines). */
  exampleBody = this.RULE('exampleBody', () => {
    this.CONSUME(LCurly);
    this.MANY(() => {
      this.SUBRULE(this.objectEntry);
      this.OPTION(() => this.CONSUME(Comma));
    });
    this.CONSUME(RCurly);
  });

  whenHeader = this.RULE('whenHeader', () => {
    this.CONSUME(When);
    this.SUBRULE(this.expression);
  });

  letStmt = this.RULE('letStmt', () => {
    this.CONSUME(Let);
    this.CONSUME(Variable);
    this.CONSUME(Eq);
    this.SUBRULE(this.expression);
  });

  /** `field.path = value [when guard]`; a guard's `when` must be on the line where the value ends. */
  assignment = this.RULE('assignment', () => {
    this.CONSUME(Identifier);
    this.MANY(() => this.SUBRULE(this.dotKey));
    this.CONSUME(Eq);
    this.SUBRULE(this.expression);
    this.OPTION({
      GATE: () => sameLine(this.LA(0), this.LA(1)),
      DEF: () => {
        this.CONSUME(When);
        this.SUBRULE2(this.expression);
      },
    });
  });

  // ── expression levels added to FQL's ───────────────────────────────────────────────────

  override expression = this.OVERRIDE_RULE('expression', () => {
    this.SUBRULE(this.coalesceExpr);
    this.MANY(() => {
      this.CONSUME(Catch);
      this.SUBRULE2(this.coalesceExpr);
    });
  });

  coalesceExpr = this.RULE('coalesceExpr', () => {
    this.SUBRULE(this.orExpr);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(Coalesce) }, { ALT: () => this.CONSUME(BlankCoalesce) }]);
      this.SUBRULE2(this.orExpr);
    });
  });

  override operand = this.OVERRIDE_RULE('operand', () => {
    this.SUBRULE(this.unary);
    this.MANY(() => {
      this.CONSUME(Pipe);
      this.SUBRULE(this.pipeTarget);
    });
  });

  /** `| name` or `| name(args)`: the piped value becomes the first argument. */
  pipeTarget = this.RULE('pipeTarget', () => {
    this.CONSUME(Identifier);
    this.OPTION(() => this.SUBRULE(this.callArgs));
  });

  override primary = this.OVERRIDE_RULE('primary', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.parenExpr) },
      { ALT: () => this.SUBRULE(this.listExpr) },
      { ALT: () => this.SUBRULE(this.literal) },
      { ALT: () => this.SUBRULE(this.reference) },
      { ALT: () => this.SUBRULE(this.variablePath) },
      { ALT: () => this.SUBRULE(this.objectExpr) },
      { ALT: () => this.SUBRULE(this.ifExpr) },
      { ALT: () => this.SUBRULE(this.caseExpr) },
      { ALT: () => this.SUBRULE(this.eachExpr) },
      { ALT: () => this.SUBRULE(this.omitExpr) },
    ]);
  });

  override reference = this.OVERRIDE_RULE('reference', () => {
    this.CONSUME(Identifier);
    this.OR([{ ALT: () => this.SUBRULE(this.callArgs) }, { ALT: () => this.SUBRULE(this.pathTail) }]);
  });

  /** `.key`, `[0]`, `[-1]`, `["key"]`, `[*]` steps, in any order. */
  pathTail = this.RULE('pathTail', () => {
    this.MANY(() => {
      this.OR([{ ALT: () => this.SUBRULE(this.dotKey) }, { ALT: () => this.SUBRULE(this.indexStep) }]);
    });
  });

  indexStep = this.RULE('indexStep', () => {
    this.CONSUME(LBracket);
    this.OR([{ ALT: () => this.CONSUME(NumberTok) }, { ALT: () => this.CONSUME(StringTok) }, { ALT: () => this.CONSUME(Star) }]);
    this.CONSUME(RBracket);
  });

  /** `$name…` (a `let`/`each` variable) or `$…` / `$.a.b` (the event, mapping-kit style). */
  variablePath = this.RULE('variablePath', () => {
    this.OR([{ ALT: () => this.CONSUME(Variable) }, { ALT: () => this.CONSUME(Dollar) }]);
    this.SUBRULE(this.pathTail);
  });

  objectExpr = this.RULE('objectExpr', () => {
    this.CONSUME(LCurly);
    this.OPTION(() => this.SUBRULE(this.objectEntries));
    this.CONSUME(RCurly);
  });

  objectEntries = this.RULE('objectEntries', () => {
    this.SUBRULE(this.objectEntry);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.objectEntry);
    });
  });

  objectEntry = this.RULE('objectEntry', () => {
    this.SUBRULE(this.objectKey);
    this.CONSUME(Colon);
    this.SUBRULE(this.expression);
  });

  objectKey = this.RULE('objectKey', () => {
    this.OR([{ ALT: () => this.CONSUME(Identifier) }, { ALT: () => this.CONSUME(Keyword) }, { ALT: () => this.CONSUME(StringTok) }]);
  });

  ifExpr = this.RULE('ifExpr', () => {
    this.CONSUME(If);
    this.SUBRULE(this.expression);
    this.CONSUME(Then);
    this.SUBRULE2(this.expression);
    this.OPTION(() => {
      this.CONSUME(Else);
      this.SUBRULE3(this.expression);
    });
  });

  caseExpr = this.RULE('caseExpr', () => {
    this.CONSUME(Case);
    this.OPTION(() => this.SUBRULE(this.expression));
    this.AT_LEAST_ONE(() => this.SUBRULE(this.caseBranch));
    this.OPTION2(() => {
      this.CONSUME(Else);
      this.SUBRULE2(this.expression);
    });
    this.CONSUME(End);
  });

  caseBranch = this.RULE('caseBranch', () => {
    this.CONSUME(When);
    this.SUBRULE(this.expressionList);
    this.CONSUME(Then);
    this.SUBRULE(this.expression);
  });

  /** `each list as $p { body }`: the braces hold object entries (the usual case) or any expression. */
  eachExpr = this.RULE('eachExpr', () => {
    this.CONSUME(Each);
    this.SUBRULE(this.expression);
    this.CONSUME(As);
    this.CONSUME(Variable);
    this.CONSUME(LCurly);
    this.OPTION(() => {
      this.OR([{ ALT: () => this.SUBRULE(this.objectEntries) }, { ALT: () => this.SUBRULE2(this.expression) }]);
    });
    this.CONSUME(RCurly);
  });

  omitExpr = this.RULE('omitExpr', () => {
    this.CONSUME(Omit);
  });
}

/** True when `b` starts on the line where `a` ends (a guard's `when` must not start a new line). */
function sameLine(a: IToken | undefined, b: IToken | undefined): boolean {
  if (!a || !b || a.endLine === undefined || b.startLine === undefined) return false;
  return a.endLine === b.startLine;
}
