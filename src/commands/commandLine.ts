// The command as the user typed it, for the "reproduce with" line of a report.

export function commandLine(): string {
  return ["npx shortcut-bench", ...process.argv.slice(2)].join(" ");
}
