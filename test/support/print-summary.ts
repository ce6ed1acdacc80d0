import { readFileSync } from 'node:fs';

/** Prints the closing line of `npm test`: the vitest totals in the plain "N passed, N failed" form. */
const report = JSON.parse(readFileSync(process.argv[2] ?? '.portico/test-results.json', 'utf8')) as {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
};
console.log(
  `Summary: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests + report.numTodoTests} skipped`,
);
