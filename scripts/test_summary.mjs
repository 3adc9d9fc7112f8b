// Prints vitest's totals as one plain line ("vitest: N passed, N failed, N skipped") from the JSON
// report, so CI logs end with a count any reader can parse. Exits non-zero when a test failed or
// when no test ran at all.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2] ?? 'build/test-results.json', 'utf8'));
const passed = report.numPassedTests;
const failed = report.numFailedTests;
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`vitest: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failed > 0 || passed === 0) process.exit(1);
