/** mapscope's commands: run.ts dispatches and documents them; main.ts keeps a code cache for each. */
export const COMMANDS = ['inspect', 'list', 'top', 'goroutines', 'layout'] as const;
export type Command = (typeof COMMANDS)[number];

export function isCommand(s: string): s is Command {
  return (COMMANDS as readonly string[]).includes(s);
}
