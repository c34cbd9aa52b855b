// The process files.test.ts kills mid-write: rewrites one file over and over with whole versions
// (each a JSON object of ~400 KB naming its version), printing each version once it is written.
//   write-child.ts <path>
import { writeFileAtomic } from '../files';

const [path] = process.argv.slice(2);
if (!path) {
  console.error('usage: write-child.ts <path>');
  process.exit(2);
}
for (let version = 1; ; version++) {
  const text = JSON.stringify({ version, pad: String(version % 10).repeat(400_000) });
  writeFileAtomic(path, text, { backup: true });
  process.stdout.write(`wrote ${version}\n`);
}
