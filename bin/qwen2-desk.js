#!/usr/bin/env node
// Runs the CLI from its TypeScript source through tsx (a runtime dependency).
import { register } from 'tsx/esm/api';

register();
await import('../main/cli.ts');
