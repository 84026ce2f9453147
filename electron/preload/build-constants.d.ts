// Defined by vite.preload.config.ts from shared/contract at build time (keeps zod out of the preload).
declare const __CONSOLE_COMMAND_NAMES__: readonly string[];
