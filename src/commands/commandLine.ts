// The command as the user typed it, for the "reproduce with" line of a report: each argument quoted
// for a POSIX shell where it needs it (a --set value with a space, say), so the line pastes back.

export function commandLine(args: readonly string[] = process.argv.slice(2)): string {
  return ["npx shortcut-bench", ...args.map(shellQuote)].join(" ");
}

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}
