export * from './core';
export * from './listening';
export * from './crises';
