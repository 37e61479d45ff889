// baselines.js: how fast two widely used JavaScript extractors read the text the
// crosscheck benchmark reads, so that its figures can be read against theirs:
// chrono-node finding dates only, and Microsoft's Recognizers-Text finding numbers only.
// Each reads every record's text once, with the record's date as the reference date for
// chrono-node. CPU time is the process's own (process.cpuUsage), so that a busy machine
// does not make them look slower than they are.
//
// usage: node baselines.js MODULES_DIR INPUT.jsonl
//   MODULES_DIR: a folder whose node_modules holds chrono-node and
//                @microsoft/recognizers-text-number (bench/run.sh installs them there)
// Prints one line each: "<name>: <MB> MB in <cpu> s CPU: <rate> MB/s per core, <n> found".
'use strict';
const fs = require('fs');
const path = require('path');

const [modules, input] = process.argv.slice(2);
if (!modules || !input) {
  console.error('usage: node baselines.js MODULES_DIR INPUT.jsonl');
  process.exit(2);
}
const load = (name) => require(path.join(modules, 'node_modules', name));
const chrono = load('chrono-node');
const recognizers = load('@microsoft/recognizers-text-number');

// The records' texts and reference dates; a record without text is skipped, as crosscheck
// skips an empty article.
const records = [];
let bytes = 0;
for (const line of fs.readFileSync(input, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  let r;
  try { r = JSON.parse(line); } catch (e) { continue; }
  const text = typeof r.text === 'string' ? r.text : '';
  if (!text.trim()) continue;
  const ref = r.date ? new Date(r.date) : null;
  records.push({ text, ref: ref && !isNaN(ref) ? ref : new Date() });
  bytes += Buffer.byteLength(text, 'utf8');
}

function measure(name, fn) {
  const start = process.cpuUsage();
  let found = 0;
  for (const r of records) found += fn(r);
  const used = process.cpuUsage(start);
  const cpu = (used.user + used.system) / 1e6;
  const mb = bytes / 1e6;
  console.log(`${name}: ${mb.toFixed(2)} MB in ${cpu.toFixed(2)} s CPU: ` +
              `${(mb / cpu).toFixed(2)} MB/s per core, ${found} found`);
}

measure('chrono-node (dates only)', (r) => chrono.parse(r.text, r.ref).length);
measure('Recognizers-Text (numbers only)',
        (r) => recognizers.recognizeNumber(r.text, recognizers.Culture.English).length);
