// `cio-actions eval 'FQL' [--event FILE]`: compiles one trigger and prints whether the event
// matches (`true`/`false`; one line per event for an NDJSON file), or the diagnostics.

import { UsageError, type CommandSpec } from '../args.js';
// Public API names from their home modules, not ../../index.js: loading the whole library would cost
// every `eval` ~0.2 s of start-up (test/cli/public-api.test.ts checks they are public).
import { CompileError } from '../../diagnostics/diagnostic.js';
import { checkTrigger, compileTrigger } from '../../evaluator/trigger.js';
import { readText, styles, type CommandRun } from '../io.js';
import { LINT_CONFIG_OPTION, segmentLintsWanted } from '../config.js';
import { messageIdOf } from '../pipeline.js';
import { isSegmentLint, renderDiagnostics } from '../render.js';

export const spec: CommandSpec = {
  name: 'eval',
  summary: 'Evaluate an FQL trigger against an event: prints true or false, or the diagnostics.',
  usage: "'FQL' [--event FILE|-]",
  options: {
    event: { type: 'string', short: 'e', value: 'FILE', description: 'the event: a JSON object, or NDJSON for several (- reads stdin); default {}' },
    'no-segment-lints': { type: 'boolean', description: "do not warn where Segment's own engine would answer differently (FQL3xx)" },
    config: LINT_CONFIG_OPTION,
  },
  positionals: { min: 1, max: 1, name: 'one FQL expression (quote it for the shell)' },
  details: `Examples:
  cio-actions eval 'type = "track" and event = "Order Completed"' --event order.json
  cio-actions eval 'match(traits.email, "*@example.com")' --event examples/events.ndjson

For NDJSON, one line per event: \`line 3 (msg-050): true\` (its 1-based line and messageId).

Exit code: 0 evaluated, 1 the expression has errors, 2 usage (bad event file).`,
};

/** The events of an --event file: one JSON document (line undefined), or NDJSON (one per non-blank line, with its 1-based line). */
export function parseEvents(text: string, file: string): Array<{ event: unknown; line?: number }> {
  try {
    return [{ event: JSON.parse(text) as unknown }];
  } catch {
    const events: Array<{ event: unknown; line?: number }> = [];
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        events.push({ event: JSON.parse(line) as unknown, line: i + 1 });
      } catch (err) {
        throw new UsageError(`${file}:${i + 1}: invalid JSON: ${(err as Error).message}`);
      }
    });
    if (events.length === 0) throw new UsageError(`${file}: no event in the file`);
    return events;
  }
}

/** `line 3 (msg-050): true` for an NDJSON line; the bare result for a single JSON document. */
function resultLine(e: { event: unknown; line?: number }, matched: boolean): string {
  if (e.line === undefined) return String(matched);
  const id = messageIdOf(e.event);
  return `line ${e.line}${id === null ? '' : ` (${id})`}: ${matched}`;
}

export const run: CommandRun = async (args, io) => {
  const source = args.positionals[0] as string;
  const file = args.options.event;
  const events = typeof file === 'string' ? parseEvents(await readText(file, io), file === '-' ? '<stdin>' : file) : [{ event: {} }];
  const color = styles(io).err.color;
  let trigger;
  try {
    trigger = compileTrigger(source);
  } catch (err) {
    if (!(err instanceof CompileError)) throw err;
    io.stderr.write(renderDiagnostics(source, err.diagnostics, { filename: '<fql>', color }));
    return 1;
  }
  // warnings (e.g. where Segment's own engine would disagree) go to stderr; the result still counts
  const segmentLints = await segmentLintsWanted(args.options, io.env);
  const warnings = checkTrigger(source).filter((d) => d.severity === 'warning' && (segmentLints || !isSegmentLint(d)));
  if (warnings.length > 0) io.stderr.write(renderDiagnostics(source, warnings, { filename: '<fql>', color }));
  io.stdout.write(`${events.map((e) => resultLine(e, trigger.matches(e.event))).join('\n')}\n`);
  return 0;
};
