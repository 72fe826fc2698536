import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/specs'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  moduleFileExtensions: ['ts', 'js', 'json', 'node'],
  // Guest boots under TCG take seconds each; the per-test budget lives in each spec.
  testTimeout: 120_000,
  // Two cores: guest specs would fight over them, so guests run one suite at a time.
  maxWorkers: 1,
};

export default config;
