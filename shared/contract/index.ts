export * from './commands';
export * from './define';
export * from './fields';
export * from './recording-commands';
export * from './playback-commands';
export * from './incident-commands';
export * from './export-commands';
