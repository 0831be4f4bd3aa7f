// The `trailmark` command line: argv → command → exit status. Each command is a file in commands/;
// none imports this entry. Exit status: 0 success, 1 failure (the work could not be done, or — for
// import and pull — nothing usable came of it), 2 usage error; `verify` adds 3 and says 1 for
// discrepancies found.
import { parseArgs } from 'node:util';
import { printable } from '../../shared/printable';
import { TOOL_VERSION } from '../version';
import { exportCommand } from './commands/export';
import { importCommand } from './commands/import';
import { ipRangesCommand } from './commands/ip-ranges';
import { patternsCommand } from './commands/patterns';
import { pullCommand } from './commands/pull';
import { reportCommand } from './commands/report';
import { sampleCommand } from './commands/sample';
import { summaryCommand } from './commands/summary';
import { timelineCommand } from './commands/timeline';
import { upgradeCommand } from './commands/upgrade';
import { verifyCommand } from './commands/verify';
import { EXIT_FAILURE, EXIT_USAGE, stdio, UsageError, type CliIo, type Command } from './kit';

export type { CliIo, Command } from './kit';

export const commands: Record<string, Command> = {
  import: importCommand,
  timeline: timelineCommand,
  summary: summaryCommand,
  report: reportCommand,
  export: exportCommand,
  pull: pullCommand,
  sample: sampleCommand,
  verify: verifyCommand,
  upgrade: upgradeCommand,
  'ip-ranges': ipRangesCommand,
  patterns: patternsCommand,
};

const EXIT_TEXT = `Exit status:
  0  done (verify: VERIFIED)
  1  failed: the work could not be done, nothing could be imported, or verify found discrepancies
  2  usage error (a wrong option or value); the command's usage is printed
  3  verify only: nothing wrong found, but something could not be checked
Reading commands (timeline, summary, report, export, verify) open the case read-only; only
\`trailmark upgrade\` brings an older or out-of-date case up to this version.`;

function help(): string {
  const rows = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}\n      ${c.usage}`);
  return `trailmark ${TOOL_VERSION} — evidence toolkit for cloud storage leaks\n\nCommands:\n${rows.join('\n')}\n\n` +
    `\`trailmark COMMAND --help\` explains one command.\n\n${EXIT_TEXT}\n`;
}

function commandHelp(name: string, c: Command): string {
  return `trailmark ${name} — ${c.summary}\n\nusage: ${c.usage}\n${c.help ? `\n${c.help}\n` : ''}\n${EXIT_TEXT}\n`;
}

export async function main(argv: string[], io: CliIo = stdio): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    const about = name === 'help' && rest[0] ? commands[rest[0]] : undefined;
    io.out(about ? commandHelp(rest[0], about) : help());
    return name ? 0 : EXIT_USAGE;
  }
  if (name === '--version' || name === 'version') {
    io.out(`${TOOL_VERSION}\n`);
    return 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    io.err(`trailmark: unknown command "${printable(name)}"\n\n${help()}`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandHelp(name, command));
    return 0;
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, options: command.options, allowPositionals: command.positionals ?? false, strict: true });
    return await command.run(values as Record<string, string | boolean | string[] | undefined>, positionals, io);
  } catch (err) {
    const usage = err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
    io.err(`trailmark ${name}: ${printable((err as Error).message)}\n${usage ? `usage: ${command.usage}\n` : ''}`);
    return usage ? EXIT_USAGE : EXIT_FAILURE;
  }
}
