// The command as the user typed it, for the "reproduce with" line of a report and the lock's
// holder: each argument quoted for a POSIX shell where it needs it (a --set value with a space,
// say), so the line pastes back; and the command that resumes it after an interrupt.

export function commandLine(args: readonly string[] = process.argv.slice(2)): string {
  return ["npx shortcut-bench", ...args.map(shellQuote)].join(" ");
}

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** The command without --fresh (which would throw the finished runs away): what resumes it. */
export function resumeCommandLine(args: readonly string[] = process.argv.slice(2)): string {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--fresh" || arg.startsWith("--fresh=")) {
      if (arg === "--fresh" && (args[i + 1] === "true" || args[i + 1] === "false")) i++;
      continue;
    }
    kept.push(arg);
  }
  return commandLine(kept);
}
