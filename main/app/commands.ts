// Menu commands the main process sends to the page; the preload turns each into a `trailmark:<name>` DOM event.
export const COMMAND_CHANNEL = 'trailmark:command';
export const MENU_COMMANDS = ['new-case', 'open-case', 'import-files', 'import-folders', 'pull-aws', 'export', 'case-changed'] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];
