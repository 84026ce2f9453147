export * from './commands';
export * from './define';
export * from './fields';
