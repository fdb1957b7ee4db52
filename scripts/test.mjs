// `npm test`: type check, unit and integration tests (vitest), end-to-end tests (Chromium).
// Runs every stage even if one fails, then prints one closing line "N passed, M failed" that
// counts individual tests across all stages (the type check counts as one).
import { spawnSync } from "node:child_process";
import { readFileSync, mkdirSync } from "node:fs";

const root = new URL("..", import.meta.url).pathname;
mkdirSync(`${root}test-results`, { recursive: true });
let passed = 0;
let failed = 0;

function stage(name, cmd, args) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  return r.status === 0;
}

// 1. Type check.
if (stage("typecheck", "npx", ["tsc", "--noEmit", "-p", "tsconfig.json"])) passed++;
else failed++;

// 2. vitest, with a JSON report to count from.
const vitestOk = stage("vitest", "npx", ["vitest", "run", "--reporter=default", "--reporter=json", "--outputFile.json=test-results/vitest.json"]);
try {
  const report = JSON.parse(readFileSync(`${root}test-results/vitest.json`, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests + (report.numTotalTestSuites > 0 && !vitestOk && report.numFailedTests === 0 ? 1 : 0);
} catch {
  console.error("vitest wrote no report");
  failed++;
}

// 3. End to end: e2e/run.mjs prints "N passed, M failed" as its last line.
console.log("\n=== e2e: node e2e/run.mjs");
const e2e = spawnSync(process.execPath, ["e2e/run.mjs"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
process.stdout.write(e2e.stdout ?? "");
const m = /^(\d+) passed, (\d+) failed$/m.exec(e2e.stdout ?? "");
if (m) {
  passed += Number(m[1]);
  failed += Number(m[2]);
  if (e2e.status !== 0 && Number(m[2]) === 0) failed++;
} else {
  console.error("e2e printed no summary");
  failed++;
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
