export * from './bridge';
export * from './capture';
export * from './load';
export * from './polling';
