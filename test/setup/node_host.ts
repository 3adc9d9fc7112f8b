// Vitest setup file: installs the Node host before each test file's imports are evaluated, as
// src/index.ts and src/cli/run.ts do for an application (tests import core modules directly).
import '../../src/host/node.js';
